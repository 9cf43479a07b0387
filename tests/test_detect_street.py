"""Street addresses in the layouts of other countries (street_address_v2), and what stays.

Each layout is anchored on a street word and a house number (docs/detection.md, "Street
addresses"): a user relies on `Hauptstraße 12` being redacted as surely as `42 Elm Street`, and on
`Platz 1`, `Windows 10` or `Chapter 12` staying as written.
"""

from __future__ import annotations

import pytest

from tests.detect_helpers import found

#: (text, the address span) per layout and language.
FOUND = [
    # German, Austrian, Swiss: the street type glued to the name or apart, the number after it
    ("Wir wohnen in der Hauptstraße 12.", "Hauptstraße 12"),
    ("Lieferadresse: Goethestr. 7, 10115 Berlin", "Goethestr. 7, 10115 Berlin"),
    ("Büro: Landsberger Allee 2, 10249 Berlin", "Landsberger Allee 2, 10249 Berlin"),
    ("Sie wohnt in der August-Bebel-Straße 12a", "August-Bebel-Straße 12a"),
    ("Kaiser-Wilhelm-Ring 3, 50672 Köln", "Kaiser-Wilhelm-Ring 3, 50672 Köln"),
    ("Praxis in der Bahnhofstrasse 96, 8001 Zürich", "Bahnhofstrasse 96, 8001 Zürich"),
    ("Postanschrift Potsdamer Platz 1", "Potsdamer Platz 1"),
    # Dutch
    ("Kerkstraat 12a, 1017 GJ Amsterdam", "Kerkstraat 12a, 1017 GJ Amsterdam"),
    ("ons adres is Rooseveltlaan 110", "Rooseveltlaan 110"),
    # Scandinavian and Finnish
    ("Skicka till Storgatan 5, 114 51 Stockholm", "Storgatan 5, 114 51 Stockholm"),
    ("Besøk oss i Karl Johans gate 22, 0159 Oslo", "Karl Johans gate 22, 0159 Oslo"),
    ("Martin Linges veg 149, 7072 Heimdal", "Martin Linges veg 149, 7072 Heimdal"),
    ("Vi bor på Hindsholmvej 75", "Hindsholmvej 75"),
    ("Vesterbrogade 12, 1620 København", "Vesterbrogade 12, 1620 København"),
    ("Osoite: Mannerheimintie 5", "Mannerheimintie 5"),
    # Polish, Hungarian, Estonian
    ("Adres: ul. Marszałkowska 12/4, 00-001 Warszawa", "ul. Marszałkowska 12/4, 00-001 Warszawa"),
    ("Budapest, Bécsi utca 35", "Bécsi utca 35"),
    ("Männimetsa tee 69, 76505 Tiskre", "Männimetsa tee 69, 76505 Tiskre"),
    # Italian, Spanish, Portuguese, Greek: the street type before the name
    ("Send it to Via Giuseppe Garibaldi 22, 10122 Torino", "Via Giuseppe Garibaldi 22, 10122 Torino"),
    ("Ci vediamo in Piazza San Marco 1", "Piazza San Marco 1"),
    ("Vivo en la Calle Mayor 5, 3º B", "Calle Mayor 5, 3º B"),
    ("la oficina está en calle de Alcalá 42, 28014 Madrid", "calle de Alcalá 42, 28014 Madrid"),
    ("Morada: Avenida da Liberdade 110, 1250-096 Lisboa", "Avenida da Liberdade 110, 1250-096 Lisboa"),
    ("Γραφεία: Λεωφόρος Αλεξάνδρας 80", "Λεωφόρος Αλεξάνδρας 80"),
    # French, Spanish: the house number before the street type
    ("I live at 7 Rue des Lilas, 75011 Paris.", "7 Rue des Lilas, 75011 Paris"),
    ("Écrivez au 12 bis avenue Victor Hugo", "12 bis avenue Victor Hugo"),
    ("Rendez-vous au 3 Place de la République", "3 Place de la République"),
    ("el piso de 45 calle Mayor", "45 calle Mayor"),
    # UK, Irish, Australian: a flat or unit before the number
    ("Deliver to Flat 3, 12 Baker Street", "Flat 3, 12 Baker Street"),
    ("Unit 5/12 George St, Sydney", "Unit 5/12 George St, Sydney"),
    ("Deliver to Flat 3, 12 Baker Street, London NW1 6XE today", "Flat 3, 12 Baker Street, London NW1 6XE"),
    ("221B Baker Street\nLondon NW1 6XE", "221B Baker Street\nLondon NW1 6XE"),
    # a signature's one line, its parts between dots or bars
    ("Firma Beispiel GmbH · Leopoldstraße 244 · 80807 München", "Leopoldstraße 244 · 80807 München"),
    ("HQ: 12 Main St | Springfield, IL 62704 | +1 217 555 0100", "12 Main St | Springfield, IL 62704"),
    # a comma between a prefixed street's name and its number, as Spain, Portugal, Brazil and Italy write it
    ("Endereço: Rua das Flores, 250, apto 31, São Paulo - SP", "Rua das Flores, 250"),
    ("Calle Mayor, 5, 28013 Madrid", "Calle Mayor, 5, 28013 Madrid"),
    ("Avenida Paulista, 1578 - Bela Vista", "Avenida Paulista, 1578"),
    # a Canadian town, province and postal code
    ("Canada office: 1200 Rue Sainte-Catherine O, Montréal, QC H3B 1K9.",
     "1200 Rue Sainte-Catherine O, Montréal, QC H3B 1K9"),
    # US: town, state and ZIP on the line or the next; post office boxes; military mail
    ("Mail it to 42 Elm Street, Springfield, IL 62704 today", "42 Elm Street, Springfield, IL 62704"),
    ("42 Elm Street\nSpringfield, IL 62704", "42 Elm Street\nSpringfield, IL 62704"),
    # an ordinal street after the house number (the trigger saw no house number there before)
    ("He lives at 123 5th Avenue, New York, NY 10010", "123 5th Avenue, New York, NY 10010"),
    ("Send checks to P.O. Box 1234.", "P.O. Box 1234"),
    ("Postfach 12 34, 10115 Berlin", "Postfach 12 34, 10115 Berlin"),
    ("Apartado 45, Sevilla", "Apartado 45, Sevilla"),
    ("Caixa Postal 1234", "Caixa Postal 1234"),
    ("Ship to PSC 2295, Box 0118\nAPO AP 58231", "PSC 2295, Box 0118\nAPO AP 58231"),
    # a postal block: unit on the next line, then the town and a line ending in the postal code
    ("Jane Roe\n804 Via Partenope 67\n Apt. 294\n Ranchio\n Italy 45582",
     "804 Via Partenope 67\n Apt. 294\n Ranchio\n Italy 45582"),
    # a building number, a street written without a street word and a house number: only with a
    # unit or a postal code after it
    ("3564 Pargi 72\n Suite 526\n Martna\n Estonia 27318", "3564 Pargi 72\n Suite 526\n Martna\n Estonia 27318"),
    # British street types: a mews or quay anywhere, a type that is also an English word (Close,
    # Rise, Approach, ...) with a postcode or a unit after it, on its line or as a postal block
    ("9 Mill Mews, York YO1 7HH", "9 Mill Mews, York YO1 7HH"),
    ("we met at 14 Riverside Quay", "14 Riverside Quay"),
    ("I live at 27 Kingfisher Close, Norwich NR4 7JU, and", "27 Kingfisher Close, Norwich NR4 7JU"),
    ("12 Station Approach, Woking GU22 7AP", "12 Station Approach, Woking GU22 7AP"),
    ("4 Hazel Rise, Flat 2", "4 Hazel Rise, Flat 2"),
    ("33 Willow Close\nNorwich\nNorfolk NR4 7JU", "33 Willow Close"),
    # US addresses in capitals (USPS layout, shipping labels): with a unit or a town, state and ZIP
    ("SHIP TO: JOHN SMITH, 42 ELM STREET, SPRINGFIELD IL 62704", "42 ELM STREET, SPRINGFIELD IL 62704"),
    ("1600 PENNSYLVANIA AVE NW, WASHINGTON, DC 20500", "1600 PENNSYLVANIA AVE NW, WASHINGTON, DC 20500"),
    ("123 MAIN ST APT 4B", "123 MAIN ST APT 4B"),
    ("42 ELM STREET\nSPRINGFIELD, IL 62704", "42 ELM STREET\nSPRINGFIELD, IL 62704"),
]


@pytest.mark.parametrize(("text", "covered"), FOUND)
def test_street_found_in_each_layout(text: str, covered: str) -> None:
    assert ("STREET_ADDRESS", covered) in found(text)


#: Numbers after capitalised words that are no address; each text must come out with no span.
KEPT = [
    "See Section 3 for details and Chapter 12 of the manual.",
    "Hauptstraße, 12 Leute kamen; La Rua Augusta, 1998 foi um ano.",  # a comma, then no address's end
    "Table 4 and Figure 2 show the results of Version 2.",
    "Install Python 3.11 on Windows 10 before you start.",
    "We drove Route 66 in 2019, then Article 5 of the treaty applied.",
    "Road 2 Recovery is a charity; the iPhone 12 and Schedule 3 are listed.",
    "Upgrade to v1.2.3 or version 10.0.19041.1 now.",
    "Am 12. Juni 2024 und am Juni 12 trafen wir uns; March 3 was a Monday.",
    "Die Mannschaft steht auf Platz 1 der Tabelle. Auf Platz 1 der Charts!",
    "Platz 1 ging an Berlin. Er belegte Platz 1.",
    "Der Ring 3 ist eine Oper. The Ring 2 was a film.",
    "Spring 2021 was warm, String 3 broke, Stargate 2 aired, the Brigade 2 marched.",
    "Arsenal 2 Chelsea 1, Manchester United 0 Everton 2.",
    "Liverpool 3 Everton 0",
    "Via Windows 10 you can sync files, or send it via Email 2 times.",
    "Smith et al. Nature 12 (2019) reported it; see et al. Science 2005.",
    "Top 10 Songs 2020 and Final Fantasy 7 and Xbox 360 and PlayStation 5.",
    "Street Fighter 2 and Grand Theft Auto 5 and Windows Server 2019 and Visual Studio 2022.",
    "Ubuntu 22.04 and Fedora 39 and Apollo 11 and Boeing 747 and Airbus A320.",
    "Der Heimweg 2 war lang; am Bahnsteig 3 wartete er; Parkplatz 5 war frei.",
    "Kapitel 3, Seite 12, Abschnitt 4, Tabelle 2, Version 3, Weg 2.",
    "Der Weg 2 ist lang. Im Jahr 2020 kamen 3 Leute.",
    "le 3 mai, page 12, chapitre 3; Capítulo 3; el 5 de mayo.",
    "For sale: 2 bd Apartment with 1 ba, 3 Place Settings included.",
    "Terminal 5 gate 22 at Heathrow, Platform 9 and Gate 12.",
    "Champions League 2023 and Formula 1 and Ocean's 11.",
    "The meeting is at 3 pm in Room 12, Floor 4.",
    "Warcraft 3 was released in 2002 by Blizzard.",
    "In 2019 Apple sold 3 Million phones.",
    "Postleitzahl 10115 Berlin, Preis 1.234,56 €.",
    # numbered roads: a highway, not a house
    "Die Bundesstraße 96 führt nach Rügen, die Bundesstrasse 2 ist gesperrt.",
    "De Rijksweg 12 is dicht; Riksväg 40 går mellan Göteborg och Västervik.",
    "the Renegade 2 album",
    # a British street type that is also a word, with no postcode or unit after it: a headline
    "Chapter 3 Draws To A Close. The top 10 Moments Close to home.",
    "In 2019 Bitcoin Rise continued; Released 2 Paper Chase games.",
    "Season 4 Wedding Parade, the finale. Top 5 Reasons Rates Rise, London.",
    # capitals: a headline with a street type, a town line that is no state and ZIP
    "TOP 10 BEST ROAD TRIPS OF 2024",
    "CHAPTER 3 MAIN STREET BLUES",
    "BUILD 2 TEST DRIVE, NY 10001",
]


@pytest.mark.parametrize("text", KEPT)
def test_street_look_alikes_kept(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(("text", "covered"), [
    # a sentence ending after the number: the next sentence's first word is no town
    ("Sie wohnt in der Hauptstraße 12. Berlin ist schön.", "Hauptstraße 12"),
    # the town after a comma stops before a day, a month or an article
    ("I moved to 12 Oak Street, Monday was busy.", "12 Oak Street"),
    ("He lives at 42 Elm Street, The Times said.", "42 Elm Street"),
    # a postal block's last line must end at its postal code
    ("2017B NT 77\nJane Roe\n93217 Main Road", "93217 Main Road"),
    # a bar between table cells is no address part unless a town follows it
    ("| 12 Oak Street | shipped | 3 |", "12 Oak Street"),
])
def test_street_span_ends_where_the_address_does(text: str, covered: str) -> None:
    assert [c for e, c in found(text) if e == "STREET_ADDRESS"] == [covered]


def test_street_name_inside_a_french_address_is_no_person() -> None:
    """Full mode: `Lilas` of `7 Rue des Lilas` was reported as a PERSON and the street stayed."""
    spans = found("I live at 7 Rue des Lilas, 75011 Paris.", mode="full")
    assert spans == [("STREET_ADDRESS", "7 Rue des Lilas, 75011 Paris")]


def test_street_rules_hold_the_pattern_the_script_composes() -> None:
    """The recognizer's regexes are written by scripts/gen_street_regex.py from named parts: an edit
    made in the rules alone would be lost the next time the script writes them."""
    import importlib.util
    from pathlib import Path

    from scrubber.detect.rules import load_rules

    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location("gen_street_regex", root / "scripts" / "gen_street_regex.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    yaml_text = (root / "rules" / "detect" / "recognizers.yaml").read_text(encoding="utf-8")
    assert "    hits: " + script.HITS_ANCHOR + script.quoted(script.HITS) + "\n" in yaml_text
    assert "        regex: " + script.quoted(script.STREET) + "\n" in yaml_text
    (rule,) = [r for r in load_rules(root / "rules" / "detect").recognizers if r.name == "street_address_v2"]
    assert len(rule.patterns) == 1 and rule.hits is not None


def test_street_town_line_codes_are_the_address_surrogates() -> None:
    """One list of state and province codes: the street regex's US/Canadian town line and Brazilian
    tail take exactly the codes the address surrogate keeps (``address.regions`` of operators.yaml),
    so a region added there is kept and found alike once the script has written the rules."""
    import importlib.util
    from pathlib import Path

    from scrubber.transform.rules import load_rules as load_transform_rules

    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location("gen_street_regex", root / "scripts" / "gen_street_regex.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    regions = load_transform_rules(root / "rules").address.regions
    assert regions is not None
    assert script.US_STATES.split("|") == [*regions["us"], *regions["ca"]]
    assert script.UF.split("|") == list(regions["br"])
    assert "(?:" + script.US_STATES + r"),?[ \t]" in script.CAPS_TOWN
    text = "123 MAIN ST, HAGATNA, GU 96910"  # Guam: a territory's code on a town line in capitals
    assert found(text) == [("STREET_ADDRESS", text)]


#: Turkish, Brazilian, Indian and Japanese layouts (the twelfth session): (text, the address span).
#: Each was left whole before; found in both modes, and in full mode the street's words are no
#: PERSON (`Bağdat Caddesi`, `Çiçek Sok` were).
MORE_LAYOUTS = [
    # Turkish: street type after the name, `No:` before the house number, flat and floor, district / province
    ("Adres: Atatürk Cad. No: 45 D: 3, Kadıköy / İstanbul", "Atatürk Cad. No: 45 D: 3, Kadıköy / İstanbul"),
    ("Bağdat Caddesi No:123 Daire:5 34728 Kadıköy/İstanbul", "Bağdat Caddesi No:123 Daire:5 34728 Kadıköy/İstanbul"),
    ("Adres: Çiçek Sok. No. 7", "Çiçek Sok. No. 7"),
    ("Moda Mah. Şair Nefi Sk. No: 12 Kadıköy", "Moda Mah. Şair Nefi Sk. No: 12"),
    ("Caferağa Mah. Moda Cad. No: 5 K: 2 D: 4 34710 Kadıköy/İstanbul",
     "Caferağa Mah. Moda Cad. No: 5 K: 2 D: 4 34710 Kadıköy/İstanbul"),
    ("Ship to Atatürk Cad. No: 45, 06420 Çankaya, thanks", "Atatürk Cad. No: 45, 06420 Çankaya"),
    ("Adres: Çiçek Sok. No:7, Beşiktaş / İstanbul", "Çiçek Sok. No:7, Beşiktaş / İstanbul"),
    # Brazilian: neighbourhood, town, state and CEP after the number
    ("Rua Augusta, 1500 - Consolação, São Paulo - SP, 01304-001",
     "Rua Augusta, 1500 - Consolação, São Paulo - SP, 01304-001"),
    ("Av. Brasil, 500, Centro, Rio de Janeiro/RJ, CEP 20040-002",
     "Av. Brasil, 500, Centro, Rio de Janeiro/RJ, CEP 20040-002"),
    ("Rua das Flores, 250 - Centro, Curitiba/PR", "Rua das Flores, 250 - Centro, Curitiba/PR"),
    # Indian: a house number's word or `#`, the parts after commas, the six-digit PIN code
    ("Flat No. 12, MG Road, Bengaluru 560001", "Flat No. 12, MG Road, Bengaluru 560001"),
    ("H.No. 4-12-56, Banjara Hills, Hyderabad - 500034", "H.No. 4-12-56, Banjara Hills, Hyderabad - 500034"),
    ("#45, 2nd Cross, Indiranagar, Bangalore 560038", "#45, 2nd Cross, Indiranagar, Bangalore 560038"),
    ("No. 12, 3rd Main Road, Jayanagar, Bangalore - 560011", "No. 12, 3rd Main Road, Jayanagar, Bangalore - 560011"),
    # Japanese: the postal mark, the postal code, the address in Japanese script and its numbers
    ("〒150-0002 東京都渋谷区渋谷2-21-1", "〒150-0002 東京都渋谷区渋谷2-21-1"),
    ("住所：〒150-0002東京都渋谷区渋谷2-21-1です", "〒150-0002東京都渋谷区渋谷2-21-1"),
    ("〒150-0002 東京都渋谷区渋谷２丁目２１番１号", "〒150-0002 東京都渋谷区渋谷２丁目２１番１号"),
    # US: a two-letter direction before the street, as Seattle, Portland, Miami and Washington write it
    ("S: 14509 NE 39th Street #1096", "14509 NE 39th Street #1096"),
    ("Office: 1600 NW 5th Ave, Miami", "1600 NW 5th Ave, Miami"),
    ("SHIP TO 1600 NW 5TH AVE, MIAMI, FL 33136", "1600 NW 5TH AVE, MIAMI, FL 33136"),
]


@pytest.mark.parametrize("mode", ["fast", "full"])
@pytest.mark.parametrize(("text", "covered"), MORE_LAYOUTS)
def test_street_more_layouts_found_whole(text: str, covered: str, mode: str) -> None:
    spans = found(text, mode=mode)
    assert [c for e, c in spans if e == "STREET_ADDRESS"] == [covered]
    assert not [c for e, c in spans if e == "PERSON" and c in covered]


#: Look-alikes of those layouts: no span at all, in either mode's patterns (full mode's names are
#: another matter, so fast mode only).
MORE_KEPT = [
    "Use 100 SE Asian recipes daily; 12 NW Passage maps.",
    "We have No: 45 items in stock. Symphony No. 5, Op. 67 in C minor.",
    "See issue #45, Fixes the bug. PR #12, Merged.",
    "Ticket #1234, Priority High, Assigned 560001 times.",
    "No. 1, Main, 2, 3 and 4; No. 12, Smith, Jones 560 001 votes",
    "Order No. 12, Qty 2, Total 150000 rupees.",
    "Cad. No: 45 items; Sok. No. 7; Atatürk Cad. was busy. Blv. No: 3.5 km.",
    "In 1932 - the year of the crash - and 250 - 300 people came.",
    "São Paulo - SP ganhou 3 - 1 de Rio - RJ, 2019.",
    "Moradores de São Paulo - SP, 01304-001 e outros.",  # a CEP without a street: no phone either
    "Road 2 Recovery; Python 3.11; version 2.3.1; released 2021-03-12.",
    "郵便番号 〒150-0002 only",  # a postal code alone
    "〒 symbol and 東京都渋谷区 without a number",
]


@pytest.mark.parametrize("text", MORE_KEPT)
def test_street_more_layouts_look_alikes_kept(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(("text", "covered"), [
    # a Brazilian street before prose: no state code, so the dash and what follows stay
    ("Avenida Paulista, 1578 - Bela Vista", "Avenida Paulista, 1578"),
    # a US unit written `#283,` is no Indian house number: the ZIP has five digits
    ("2980 Chestnut Hill Rd #283, Springfield, IL 62704", "2980 Chestnut Hill Rd #283, Springfield, IL 62704"),
    # a Japanese address ends at its last number, not in the words after it
    ("〒565-0871 大阪府吹田市山田丘1-1\n電話は", "〒565-0871 大阪府吹田市山田丘1-1"),
])
def test_street_more_layouts_span_ends_where_the_address_does(text: str, covered: str) -> None:
    assert [c for e, c in found(text) if e == "STREET_ADDRESS"] == [covered]
