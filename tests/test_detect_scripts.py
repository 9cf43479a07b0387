"""PII in text of other languages and scripts: found with exact original offsets, replaced in place,
and nothing else of the text touched (docs/detection.md, "Text in other languages and scripts")."""

from __future__ import annotations

import pytest

from scrubber.api import load_pipeline
from scrubber.detect.textview import _SCRIPT_LETTER, BOUNDARY, text_view, text_views
from scrubber.records import Batch
from tests.detect_helpers import found, stage

NBSP, NNBSP, THIN, ZWSP, SHY = "\u00a0", "\u202f", "\u2009", "\u200b", "\u00ad"

#: (text, entity, the exact original characters the span must cover)
FOUND = [
    # no space between Chinese, Japanese, Thai, Korean or Arabic words and the value
    ("请联系jane.doe@gmail.com谢谢", "EMAIL_ADDRESS", "jane.doe@gmail.com"),
    ("邮箱是jane.doe@gmail.com。电话", "EMAIL_ADDRESS", "jane.doe@gmail.com"),
    ("邮箱jane.doe@gmail.com，电话", "EMAIL_ADDRESS", "jane.doe@gmail.com"),
    ("ติดต่อjane.doe@gmail.comครับ", "EMAIL_ADDRESS", "jane.doe@gmail.com"),
    ("البريدahmed.k@gmail.comشكرا", "EMAIL_ADDRESS", "ahmed.k@gmail.com"),
    ("電話は090-1234-5678です", "PHONE_NUMBER", "090-1234-5678"),
    ("電話は+81-90-1234-5678です", "PHONE_NUMBER", "+81-90-1234-5678"),
    ("โทร081-234-5678ครับ", "PHONE_NUMBER", "081-234-5678"),
    ("账户DE89370400440532013000谢谢", "IBAN_CODE", "DE89370400440532013000"),
    ("卡号4539148803436467谢谢", "CREDIT_CARD", "4539148803436467"),
    ("服务器IP是8.26.56.26谢谢", "IP_ADDRESS", "8.26.56.26"),
    ("密码password=hunter2x谢谢", "PASSWORD", "hunter2x"),
    # full-width forms (CJK input methods)
    ("ｊａｎｅ＠ｇｍａｉｌ．ｃｏｍ", "EMAIL_ADDRESS", "ｊａｎｅ＠ｇｍａｉｌ．ｃｏｍ"),
    ("mail jane＠gmail.com", "EMAIL_ADDRESS", "jane＠gmail.com"),
    ("電話：０９０－１２３４－５６７８", "PHONE_NUMBER", "０９０－１２３４－５６７８"),
    ("Tel ＋４４ ２０ ７９４６ ０９５８", "PHONE_NUMBER", "＋４４ ２０ ７９４６ ０９５８"),
    ("カード番号：４５３９ １４８８ ０３４３ ６４６７", "CREDIT_CARD", "４５３９ １４８８ ０３４３ ６４６７"),
    ("mail \U0001d423\U0001d41a\U0001d427\U0001d41e@gmail.com", "EMAIL_ADDRESS",
     "\U0001d423\U0001d41a\U0001d427\U0001d41e@gmail.com"),  # mathematical bold letters
    # Arabic-Indic digits
    ("هاتف: ٠٧٩٤٦ ٠٩٥٨٢٣", "PHONE_NUMBER", "٠٧٩٤٦ ٠٩٥٨٢٣"),
    # no-break, narrow no-break and thin spaces grouping digits (French and German typography)
    (f"Karte 4539{NBSP}1488{NBSP}0343{NBSP}6467 bitte", "CREDIT_CARD", f"4539{NBSP}1488{NBSP}0343{NBSP}6467"),
    (f"Carte 4539{NNBSP}1488{NNBSP}0343{NNBSP}6467", "CREDIT_CARD", f"4539{NNBSP}1488{NNBSP}0343{NNBSP}6467"),
    (f"Karte 4539{THIN}1488{THIN}0343{THIN}6467", "CREDIT_CARD", f"4539{THIN}1488{THIN}0343{THIN}6467"),
    (f"Tél : 01{NNBSP}42{NNBSP}68{NNBSP}53{NNBSP}00", "PHONE_NUMBER", f"01{NNBSP}42{NNBSP}68{NNBSP}53{NNBSP}00"),
    (f"Tel. +49{NBSP}30{NBSP}123456{NBSP}78", "PHONE_NUMBER", f"+49{NBSP}30{NBSP}123456{NBSP}78"),
    # invisible characters inside the value: the span covers them
    (f"mail jane{ZWSP}.doe@gmail.com", "EMAIL_ADDRESS", f"jane{ZWSP}.doe@gmail.com"),
    (f"mail jane.doe@gmail{SHY}.com now", "EMAIL_ADDRESS", f"jane.doe@gmail{SHY}.com"),
    (f"card 4539{ZWSP}1488{ZWSP}0343{ZWSP}6467", "CREDIT_CARD", f"4539{ZWSP}1488{ZWSP}0343{ZWSP}6467"),
    (f"card 4539{SHY}1488{SHY}0343{SHY}6467.", "CREDIT_CARD", f"4539{SHY}1488{SHY}0343{SHY}6467"),
    # phone words of other languages (numbers of countries phonenumbers is not asked about)
    ("телефон: 8 912 345-67-89", "PHONE_NUMBER", "8 912 345-67-89"),
    ("전화 010-1234-5678로 연락주세요", "PHONE_NUMBER", "010-1234-5678"),
    ("전화010-1234-5678로 연락주세요", "PHONE_NUMBER", "010-1234-5678"),
    ("연락처 010-1234-5678", "PHONE_NUMBER", "010-1234-5678"),
    ("النقال ٠٥٠١٢٣٤٥٦٧", "PHONE_NUMBER", "٠٥٠١٢٣٤٥٦٧"),
    # Chinese mobiles: 11 digits from 13-19, no trunk 0 (validated for CN; compact needs a phone word)
    ("手机13812345678谢谢", "PHONE_NUMBER", "13812345678"),
    ("手机号码：138 1234 5678", "PHONE_NUMBER", "138 1234 5678"),
    # Cyrillic and Greek look-alikes in the domain: read as the Latin domain they imitate
    ("mail jane@gmail.c\u03bfm", "EMAIL_ADDRESS", "jane@gmail.c\u03bfm"),
    ("MAIL JANE@GMAIL.\u0421\u041e\u041c", "EMAIL_ADDRESS", "JANE@GMAIL.\u0421\u041e\u041c"),
    ("пишите ivan@почта.рф", "EMAIL_ADDRESS", "ivan@почта.рф"),
    # en and em dashes between digit groups (typeset text): the whole number, not up to the dash
    ("Call +44 20 7946–0958 today", "PHONE_NUMBER", "+44 20 7946–0958"),
    ("call 555–123–4567 now", "PHONE_NUMBER", "555–123–4567"),
    ("Call (415) 555—2671.", "PHONE_NUMBER", "(415) 555—2671"),
    ("Tel. +49 30 1234–5678 (Zentrale)", "PHONE_NUMBER", "+49 30 1234–5678"),
    ("Tél. : 01–42–68–53–00", "PHONE_NUMBER", "01–42–68–53–00"),
    ("電話は090–1234–5678です", "PHONE_NUMBER", "090–1234–5678"),
    ("телефон: 8 912 345–67–89", "PHONE_NUMBER", "8 912 345–67–89"),
    ("Mobile: 516–466–638", "PHONE_NUMBER", "516–466–638"),
    ("Phone:\n439–41–66", "PHONE_NUMBER", "439–41–66"),
    ("card 4539–1488–0343–6467", "CREDIT_CARD", "4539–1488–0343–6467"),
    # Russian and Kazakh national numbers with the trunk 8 (validated for country code 7), no phone word
    ("Звоните 8 (495) 123-45-67 с 9 до 18", "PHONE_NUMBER", "8 (495) 123-45-67"),
    ("8(495)123-45-67", "PHONE_NUMBER", "8(495)123-45-67"),
    ("Горячая линия 8-800-555-35-35", "PHONE_NUMBER", "8-800-555-35-35"),
    ("бесплатно 8 800 555 35 35", "PHONE_NUMBER", "8 800 555 35 35"),
    ("Офис: 8 (7172) 12-34-56", "PHONE_NUMBER", "8 (7172) 12-34-56"),
    ("или +7 (495) 123-45-67", "PHONE_NUMBER", "+7 (495) 123-45-67"),
    # Belarusian numbers with the trunk 8 before the code's 0 (validated for BY; Ukrainian ones
    # written so too, validated for UA), no phone word
    ("Минск, ул. Ленина 5, 8 (017) 123-45-67", "PHONE_NUMBER", "8 (017) 123-45-67"),
    ("Оператор A1: 8 029 123-45-67", "PHONE_NUMBER", "8 029 123-45-67"),
    ("Брест 8 (0162) 21-34-56", "PHONE_NUMBER", "8 (0162) 21-34-56"),
    ("Менеджер Олег: 8 (067) 123-45-67", "PHONE_NUMBER", "8 (067) 123-45-67"),
    # Ukrainian and Belarusian national numbers with the trunk 0, no phone word (072: valid only in UA)
    ("Олена 072 940 24 02, пишіть", "PHONE_NUMBER", "072 940 24 02"),
    ("Київ, вул. Хрещатик 22, (044) 123-45-67", "PHONE_NUMBER", "(044) 123-45-67"),
    ("Офіс 0 44 123 45 67", "PHONE_NUMBER", "0 44 123 45 67"),
    ("Minsk 029 123 45 67", "PHONE_NUMBER", "029 123 45 67"),
    ("Kyiv +380 50 123 4567", "PHONE_NUMBER", "+380 50 123 4567"),
    ("Minsk +375 29 123-45-67", "PHONE_NUMBER", "+375 29 123-45-67"),
    # card words of other languages before a card without a known issuer prefix (Luhn-valid Maestro)
    ("Kreditkarte 501803075628", "CREDIT_CARD", "501803075628"),
    ("Meine EC-Karte: 5018 0307 5628", "CREDIT_CARD", "5018 0307 5628"),
    ("número de tarjeta 501803075628", "CREDIT_CARD", "501803075628"),
    ("carte bancaire 5018 0307 5628", "CREDIT_CARD", "5018 0307 5628"),
    ("cartão 501803075628", "CREDIT_CARD", "501803075628"),
    ("номер карты 501803075628", "CREDIT_CARD", "501803075628"),
    ("信用卡501803075628", "CREDIT_CARD", "501803075628"),
    ("用银行卡501803075628支付", "CREDIT_CARD", "501803075628"),
    ("カード番号：501803075628", "CREDIT_CARD", "501803075628"),
    ("카드번호 501803075628", "CREDIT_CARD", "501803075628"),
    # still found as before: internationalised addresses between spaces, look-alike letters inside
    ("Schreiben Sie an müller@beispiel.de bitte", "EMAIL_ADDRESS", "müller@beispiel.de"),
    ("邮箱 用户@例子.中国 谢谢", "EMAIL_ADDRESS", "用户@例子.中国"),
    # internationalised addresses whose top-level domain is glued to the next words: the public-suffix
    # list tells where the domain ends (the words after it stay in the text)
    ("邮箱用户@例子.中国谢谢", "EMAIL_ADDRESS", "邮箱用户@例子.中国"),
    ("请联系 邮箱用户@例子.中国谢谢", "EMAIL_ADDRESS", "邮箱用户@例子.中国"),
    ("请联系jane@例子.中国谢谢", "EMAIL_ADDRESS", "jane@例子.中国"),
    ("客服：用户@例子.公司谢谢", "EMAIL_ADDRESS", "用户@例子.公司"),
    ("连络：用户@例子.香港謝謝", "EMAIL_ADDRESS", "用户@例子.香港"),
    ("ユーザー@例え.コムまで", "EMAIL_ADDRESS", "ユーザー@例え.コム"),
    ("메일 사용자@예시.한국입니다", "EMAIL_ADDRESS", "사용자@예시.한국"),
    ("ผู้ใช้@ตัวอย่าง.ไทยครับ", "EMAIL_ADDRESS", "ผู้ใช้@ตัวอย่าง.ไทย"),
    # glued on both sides: nothing tells where the mailbox starts, so the words before it go with it
    ("请联系邮箱用户@例子.中国谢谢", "EMAIL_ADDRESS", "请联系邮箱用户@例子.中国"),
    ("mail j\u0430ne@gmail.com", "EMAIL_ADDRESS", "j\u0430ne@gmail.com"),
]


@pytest.mark.parametrize(("text", "entity", "value"), FOUND, ids=[f"{i}" for i in range(len(FOUND))])
def test_found_with_the_original_characters(text: str, entity: str, value: str) -> None:
    assert (entity, value) in found(text)


FULL_MODE = [case for case in FOUND
             if case[0].startswith(("请联系", "ติดต่อ", "ｊａｎｅ", "電話は", "Karte", "mail jane\u200b"))]


@pytest.mark.parametrize(("text", "entity", "value"), FULL_MODE)
def test_full_mode_finds_the_same(text: str, entity: str, value: str) -> None:
    assert (entity, value) in found(text, "full")


#: Prose in other languages with no personal data: dates, prices, postal codes, counts, ISBNs,
#: article, order and invoice numbers in their local forms. Nothing of it may be detected.
CLEAN = [
    "Am 28.11.2026 beginnt der Verkauf. Der Preis beträgt 1.234,56 € (inkl. 19 % MwSt.), das Angebot "
    "gilt bis 31.12.2026. Artikelnummer 4006381333931, Bestellung 2026-11-0042. Lieferung nach 10115 "
    "Berlin. ISBN 978-3-16-148410-0. Die Einwohnerzahl stieg von 3.644.826 auf 3.878.100.",
    f"Le 28/11/2026, le prix est de 1{NNBSP}234,56 € TTC. Livraison à 75001 Paris. La population est "
    f"passée de 2{NNBSP}165{NNBSP}423 à 2{NNBSP}133{NNBSP}111 habitants. Commande 2026-11-0042.",
    "El 28/11/2026 comienza la venta. El precio es de 1.234,56 €. Envío a 28013 Madrid. Número de "
    "pedido 2026/11/0042. ISBN 978-84-376-0494-7.",
    "28.11.2026 начинается распродажа. Цена 1 234,56 ₽. Население выросло с 12 506 468 до 13 010 112 "
    "человек. Заказ 2026-11-0042, артикул 4607001771234.",
    "2026年11月28日开始促销。价格为1,234.56元（含税）。邮编100000北京。人口从21,542,000增长到21,893,095人。"
    "会议于14:30在2041室举行。预算12,500,000元，覆盖2025—2030年。北京时间2026年11月28日14时30分。"
    "商品编号6901234567892，订单号2026112800042。",
    "2026年11月28日からセールが始まります。価格は1,234円（税込）です。〒100-0001東京都千代田区。"
    "人口は13,960,236人から14,047,594人に増えました。令和8年11月28日。商品コード4901234567894。",
    "تبدأ التخفيضات في ٢٨/١١/٢٠٢٦. السعر ١٬٢٣٤٫٥٦ ريال. الرمز البريدي ١١٥٦٤ الرياض. "
    "ارتفع عدد السكان من ٧٬٦٧٦٬٦٥٤ إلى ٧٬٠٠٩٬١٠٠ نسمة.",
]


@pytest.mark.parametrize("text", CLEAN, ids=["de", "fr", "es", "ru", "zh", "ja", "ar"])
def test_clean_prose_of_other_languages_is_left_alone(text: str) -> None:
    assert found(text) == []


#: Ranges joined by en or em dashes (years, pages, hours, prices) and 11-digit ids and counts
#: starting with 8: the dash is a phone separator only where the number validates as a phone, and
#: a trunk 8 only where it stands alone before the area code.
NOT_PHONES = [
    "From 1990–2000 she lived in Leeds (pp. 12–34); the study ran 2019–2023, and 2001—2005 before.",
    "Tel Aviv 1990–2000: a history. Tel Aviv 1990-2000 (hyphen). Call for papers 2019–23.",
    "Geöffnet 10–12 Uhr, Preis 1.000–2.000 €, siehe S. 123–456, Jahrgänge 1985–1990.",
    "Du 12–15 mars, pages 145–178, de 1 500–2 000 €.",
    "ID 81234567890, всего 81234567890 записей, население 81 234 567 890 человек, код 8-12345-67890.",
    # a Belarusian number's digits after an order word, as one run, with a code no operator has;
    # dates, times, an ISBN of Belarus and counts in the same text
    "Заказ 8 029 123-45-67. ID 80291234567, код 8 000 123-45-67. Дата 06.05.2024 (2024-05-06) в "
    "14:30, ISBN 978-985-6599-12-0, тираж 8 000 экземпляров, всего 8 029 123 строк.",
]


@pytest.mark.parametrize("text", NOT_PHONES, ids=["en", "en-tel", "de", "fr", "ru-ids", "by-ids"])
def test_ranges_with_dashes_and_ids_starting_with_8_are_left_alone(text: str) -> None:
    assert found(text) == []


#: (a card word of another language, then an order, invoice, barcode or SIM word before the number;
#: the same text without that word): the deny word cancels the card, which is found without it.
CARD_DENIED = [
    ("Kreditkarte, Bestellung 501803075628", "Kreditkarte, 501803075628"),
    ("tarjeta, pedido 501803075628", "tarjeta, 501803075628"),
    ("carte, facture 501803075628", "carte, 501803075628"),
    ("carte SIM 501803075628", "carte 501803075628"),
    ("номер карты, заказ 501803075628", "номер карты, 501803075628"),
    ("信用卡 订单501803075628", "信用卡 501803075628"),
    ("Karte EAN 501803075628", "Karte 501803075628"),
]


@pytest.mark.parametrize(("denied", "plain"), CARD_DENIED)
def test_card_words_of_other_languages_keep_the_deny_words(denied: str, plain: str) -> None:
    assert found(denied) == []
    assert found(plain) == [("CREDIT_CARD", "501803075628")]


def test_card_words_count_whatever_the_rest_of_the_batch_holds() -> None:
    # credit_card_script_v1 does not run on an all-ASCII batch (none of its words can be there); a
    # mixed batch finds the same cards as each text alone
    texts = ["信用卡501803075628", "card no 501803075628", "Kreditkarte 501803075628", "карта 4111 1111"]
    st = stage("fast")
    alone = [st.run(Batch({"text": [t]})).spans()[0] for t in texts]
    together = st.run(Batch({"text": texts})).spans()
    assert together == alone and [len(s) for s in together] == [1, 1, 1, 0]
    assert {s.recognizer for s in together[0]} == {"credit_card_script_v1"}


def test_card_words_need_luhn_and_a_whole_word() -> None:
    # a wrong checksum, and words that only begin like a card word (Kartoffel, картина: potato, picture)
    assert found("Kreditkarte 501803075627") == []
    assert found("Kartoffel 501803075628") == [] and found("картина 501803075628") == []


def test_phone_words_count_whatever_the_rest_of_the_batch_holds() -> None:
    # an all-ASCII batch is looked up with the ASCII words only; a mixed batch with all of them
    texts = ["телефон: 8 912 345-67-89", "phone: 8 912 345-67-89", "Bestellung 2026-11-0042"]
    st = stage("fast")
    alone = [st.run(Batch({"text": [t]})).spans()[0] for t in texts]
    together = st.run(Batch({"text": texts})).spans()
    assert together == alone and [len(s) for s in together] == [1, 1, 0]


def test_a_bare_eleven_digit_run_is_no_chinese_mobile() -> None:
    # without a phone word a compact run is an id as often as a phone (as in English text)
    assert found("Ticket 13812345678 closed") == [] and found("编号13812345678") == []


def test_the_view_keeps_offsets_and_only_marks_script_edges() -> None:
    text = "请联系jane@gmail.com谢谢，ｔｅｌ：０９０"
    view = text_view(text)
    assert view is not None and view.origin is None
    assert len(view.text) == len(view.context) == len(text)
    assert view.text == f"请联{BOUNDARY}jane@gmail.com{BOUNDARY}谢,tel:090"
    assert view.context == "请联系jane@gmail.com谢谢,tel:090"  # the context word 联系 stays whole
    assert text_view("plain ASCII") is None and text_view("naïve “quotes” — café") is None


@pytest.mark.parametrize("separator", ["", "\uffff"])
def test_a_batch_gets_the_view_of_each_text_alone(separator: str) -> None:
    # text_views splits one residue of the batch per text; a text holding the split character itself
    # must not shift the others' views
    texts = [f"ｊａｎｅ＠ｇｍａｉｌ．ｃｏｍ{separator}", None, "plain ASCII", "naïve café", "",
             f"卡号4539{ZWSP}1488{ZWSP}0343{ZWSP}6467", f"Tél{separator} 01{NNBSP}42", "请联系jane@gmail.com"]
    assert text_views(texts) == [text_view(t) if t else None for t in texts]
    assert [v is None for v in text_views(texts)] == [False, True, True, True, True, False, False, False]


def test_a_text_with_many_forms_to_fold_is_folded_in_one_pass_with_the_same_view() -> None:
    # every digit form and full-width letter at once: the view is the one-for-one fold either way
    from scrubber.detect.textview import fold_table

    table = fold_table()
    text = "Tel " + "".join(sorted(map(chr, table))) + f" 4111{ZWSP}1111"
    view = text_view(text)
    assert view is not None and view.text == view.context
    assert view.text == "".join(table.get(ord(ch), ch) for ch in text if ch != ZWSP)
    assert view.text.isascii()


def test_every_boundary_script_lies_above_the_shortcut_for_latin_greek_and_cyrillic() -> None:
    # text_view skips the script search when every non-ASCII character is below U+0590
    lowest = min(cp for cp in range(0x80, 0x110000) if _SCRIPT_LETTER.match(chr(cp)))
    assert lowest >= 0x590


def test_a_glued_script_domain_ends_where_the_public_suffix_list_says() -> None:
    """The view marks the first glued letter after the top-level label; the text itself is intact."""
    view = text_view("邮箱用户@例子.中国谢谢")
    assert view is not None and view.text == f"邮箱用户@例子.中国{BOUNDARY}谢"
    assert view.context == "邮箱用户@例子.中国谢谢"
    # the longest top-level label the run starts with: .中文网 (not a shorter one) before 站
    assert ("EMAIL_ADDRESS", "用户@例子.中文网") in found("用户@例子.中文网站")


#: `@` and dots in text of these scripts that make no address: a run starting no top-level domain,
#: a mention without a local part, no dot after the `@`.
GLUED_LOOKALIKES = ["用户@例子.谢谢你", "@小明 谢谢", "@小明.谢谢", "价格@100元.谢谢", "回复@张三：好的。谢谢"]


@pytest.mark.parametrize("text", GLUED_LOOKALIKES)
def test_glued_script_lookalikes_of_addresses_stay(text: str) -> None:
    assert found(text) == []


def test_redaction_replaces_exactly_the_value_and_keeps_every_other_character() -> None:
    scrub = load_pipeline(mode="fast")
    texts = ["请联系jane.doe@gmail.com谢谢", f"card 4539{ZWSP}1488{ZWSP}0343{ZWSP}6467{ZWSP}!",
             "ｊａｎｅ＠ｇｍａｉｌ．ｃｏｍへ", f"電話は０９０－１２３４－５６７８です{SHY}", "邮箱用户@例子.中国谢谢"]
    assert scrub({"text": texts})["text"] == [
        "请联系<EMAIL>谢谢", f"card <CREDIT_CARD>{ZWSP}!", "<EMAIL>へ", f"電話は<PHONE>です{SHY}", "<EMAIL>谢谢"]


def test_pseudonyms_replace_the_original_characters_deterministically() -> None:
    key = "scripts-test-key-0123456789"
    texts = ["请联系jane.doe@gmail.com谢谢", f"Karte 4539{NBSP}1488{NBSP}0343{NBSP}6467 bitte"]
    out = load_pipeline(mode="fast", operator="pseudonymize", key=key)({"text": texts})["text"]
    assert out == load_pipeline(mode="fast", operator="pseudonymize", key=key)({"text": texts})["text"]
    address = out[0].removeprefix("请联系").removesuffix("谢谢")
    assert address != "jane.doe@gmail.com" and address.split("@")[1] in ("example.com", "example.org", "example.net")
    assert "4111" not in out[1]
    card = out[1].removeprefix("Karte ").removesuffix(" bitte")
    assert len(card) == 19 and card[4] == card[9] == card[14] == NBSP  # separators kept as written


def test_full_mode_takes_no_german_nouns_for_names_but_still_finds_the_names() -> None:
    # The English model tags capitalised German nouns and article-noun pairs PERSON; in a document
    # that is not English only a NER name with a listed word stays (docs/detection.md).
    text = ("Gestern traf sich Angela Merkel mit dem Präsidenten. Die Lieferung erfolgt in drei "
            "Werktagen, der Preis ist gut und die Mauer fiel im Frühjahr. Im Jahr 1989 fiel die Mauer. "
            "Herr Schneider und Frau Okonkwo-Baptiste kamen später, sagte Jürgen.")
    persons = [value for entity, value in found(text, "full") if entity == "PERSON"]
    names = ("Angela Merkel", "Schneider", "Okonkwo-Baptiste", "Jürgen")
    assert all(any(name in value for name in names) for value in persons), persons
    assert all(any(name in value for value in persons) for name in names), persons
