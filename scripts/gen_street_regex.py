"""Compose the regexes of ``street_address_v2`` (rules/detect/recognizers.yaml) from named parts.

Why a script: YAML cannot share part of a string, and the recognizer's one pattern (one pattern, so
that each hit pays one attempt: docs/detection.md, "Street addresses") is ~5,000 characters made of
a dozen parts used several times (a capitalised name, a separator, a postal code, the tail). Edit
the parts here, then write them into the rules::

    .venv/bin/python scripts/gen_street_regex.py --write

``tests/test_detect_street.py`` fails when the rules hold another pattern than this script makes.
Word lists (street types, names that open no street) stay in ``lists:`` of recognizers.yaml and are
named here as ``\\L<name>``. The codes of states and provinces a town line takes are the address
surrogate's (``address.regions`` of rules/transform/operators.yaml: ``us`` and ``ca``, ``br``), read
from there, so a region a user adds is kept by the surrogate and taken by the recognizer alike once
the script has written the rules. Inside lookbehinds, which the `regex` module matches backwards, no
quantifier is possessive (a possessive run read backwards swallows the capital a name starts with).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules" / "detect" / "recognizers.yaml"
sys.path.insert(0, str(ROOT))  # this checkout's scrubber, whichever the environment has installed

from scrubber.transform.rules import load_rules  # noqa: E402  (after the path above)


def _regions() -> dict[str, tuple[str, ...]]:
    """``address.regions`` of this checkout's rules/transform/operators.yaml, checked by its loader;
    the groups this script reads must be there."""
    regions = load_rules(ROOT / "rules").address.regions or {}
    for group in ("us", "ca", "br"):
        if not regions.get(group):
            raise SystemExit(f"{ROOT / 'rules' / 'transform' / 'operators.yaml'}: address.regions.{group}: "
                             "missing or empty; the street regex's town lines read it")
    return regions


REGIONS = _regions()

# --- names --------------------------------------------------------------------------------------
#: A capitalised word of a street name, not an article, document part, product, day or label.
NAME = r"(?!(?:\L<street_not_names>)\b)\p{Lu}[\p{L}'’\-]{0,24}+\.?"
#: The same read backwards (in a lookbehind): nothing possessive.
NAME_LB = r"(?!(?:\L<street_not_names>)\b)\p{Lu}[\p{L}'’\-]{0,24}\.?"
#: Particles between the words of a Romance street name (`Rue des Lilas`, `Avenida da Liberdade`).
PART = (r"(?:de|da|do|dos|das|del|della|delle|dei|degli|di|du|des|la|le|les|el|los|las|y|e|i|am|an"
        r"|der|den|van|von|zum|zur|[dl]['’])")
#: A name, maybe with an elided article glued to it (`d'Alésia`).
NAMEP = r"(?:[dl]['’])?" + NAME
NAMEP_LB = r"(?:[dl]['’])?" + NAME_LB

# --- house numbers and what stands before them ----------------------------------------------------
#: A house number after the street: `12`, `12a`, `12/4`, `12-14`; not a version or a decimal.
HOUSE = r"\d{1,4}(?:[A-Za-z](?![\p{L}]))?(?: ?[/\-] ?\d{1,4}[A-Za-z]?)?(?![\w/\-]|[.,:]\d)"
#: The same once its first digit is consumed by the pattern's shared `\d`.
HOUSE_REST = r"\d{0,3}(?:[A-Za-z](?![\p{L}]))?(?: ?[/\-] ?\d{1,4}[A-Za-z]?)?(?![\w/\-]|[.,:]\d)"
#: A flat or unit before the number, with its comma (`Flat 3, 12 Baker Street`); `Apt 606 157
#: Mühle` without one reads as the end of a name (`Ms. Lisa Douglas Apt`) as often.
UNITW = r"(?:Flat|Apartment|Apt|Unit|Suite)\.? [\w\-]{1,6}, "
#: A flat or unit before `N/` (`Unit 5/12 George St`).
UNITP = r"(?:Flat|Apartment|Apt|Unit|Suite)\.? "
#: What may stand before a street-after-name layout's street (read backwards).
LEAD_LB = r"(?:(?<![\w\-.])" + UNITW + r")?(?:\d{1,5}[A-Za-z]? )?"
#: What may stand before the number a number-first address starts at, read backwards: a flat or
#: unit, or a building number the trigger did not join to it (`758 8 Rue Hedi Labidi`).
UNITSTART = (r"(?:(?<=(?<![\w\-.])(?P<start>(?:" + UNITP + r")?\d{1,4}[A-Za-z]?/)\d)"
             r"|(?<=(?<![\w\-.])(?P<start>(?:" + UNITW + r")?(?:\d{1,6}[A-Za-z]? ){1,2})\d)"
             r"|(?<=(?<![\w\-.])(?P<start>" + UNITW + r")\d))?")

# --- what follows the street: the tail ------------------------------------------------------------
#: A quote mark opening a line (`> ` of e-mail replies), which does not end a postal block.
QUOTE = r"(?:[>}?|]{1,3}[ \t]{0,2})?"
#: A comma, a space or two, a line break, or a dot or bar between spaces (a signature's one line:
#: `Leopoldstraße 244 · 80807 München`, `12 Main St | Springfield, IL 62704`) between the parts.
SEP = r"(?:,[ \t]?|[ \t]{1,2}|[ \t]{0,4}\n[ \t]{0,4}" + QUOTE + r"|[ \t]{1,2}[·•|][ \t]{1,2})"
UNIT = SEP + r"(?:Apt|Apartment|Suite|Ste|Unit|Flat|Room|Rm|#)\.?[ \t]?#?[\w\-]{1,6}(?!\w)"
#: A Spanish floor and door (`, 3º B`, `, 2º izq.`).
FLOOR = r", ?\d{1,2}(?:º|ª|°)(?:[ \t\-]?(?:[A-Z](?!\w)|izq(?:uierda|\.)?|dcha\.?|dcho\.?|der(?:echa|\.)?))?"
CITYW = r"\p{Lu}[\p{L}'’\-]{1,25}+"
#: Postal codes: 5 digits (ZIP+4), Portuguese 4-3, Dutch 4 + 2 letters, Polish 2-3, Swedish 3 2.
PC = (r"(?:[A-Z]{1,2}-)?(?:\d{5}(?:-\d{3,4})?|\d{4}-\d{3}|\d{4}(?:[ \t]?[A-Z]{2}(?!\p{L}))?|\d{2}-\d{3}"
      r"|\d{3}[ \t]\d{2})")
#: A postal code and the town (`, 10115 Berlin`, `⏎1017 GJ Amsterdam`).
PCCITY = SEP + PC + r"[ \t]" + CITYW + r"(?:[ \t\-]" + CITYW + r"){0,2}"
#: A US town, state and ZIP (`, Springfield, IL 62704`), or a Canadian town, province and postal
#: code (`, Montréal, QC H3B 1K9`).
USCSZ = (SEP + CITYW + r"(?:[ \t]" + CITYW + r"){0,2},?[ \t][A-Z]{2,3},?[ \t](?:" + PC
         + r"|[A-Z]\d[A-Z][ \t]?\d[A-Z]\d)(?!\w)")
#: A UK town and postcode (`, London NW1 6XE`).
UKPC = (SEP + r"(?:" + CITYW + r"(?:[ \t]" + CITYW + r"){0,2},?[ \t])?[A-Z]{1,2}\d[A-Z\d]?[ \t]\d[A-Z]{2}"
        r"(?!\w)")
#: A postal block's last lines: up to two lines of words (a town, a region), then a line ending in
#: a postal code and nothing after it (`⏎ Ranchio⏎ Italy 45582`).
LINEW = (r"(?:,[ \t]?)?\p{Lu}[\p{L}'’\-.]{0,25}+(?:,?[ \t](?:\(?\p{Lu}[\p{L}'’\-.()]{0,25}+"
         r"|\p{Ll}{1,4}+)){0,3}")
NLB = r"[ \t]{0,4}\n(?:[ \t]{0,4}\n)?[ \t]{0,4}" + QUOTE
BLOCK = r"(?:" + NLB + LINEW + r"){0,2}" + NLB + r"(?:" + LINEW + r"[ \t])?" + PC + r"(?![ \t]{0,4}[\w(])"
#: A town (and country) after a comma, not a day, month or article, not before a number.
CITYP = (r"(?!(?:\L<street_not_names>)\b)" + CITYW + r"(?:[ \t\-](?:" + CITYW
         + r"|\p{Ll}{1,3}+(?=[ \t]\p{Lu}))){0,3}")
CITYCOMMA = r"(?:,[ \t]" + CITYP + r"){1,2}(?![ \t]?\d)"
#: The ends a street without a street word needs (no town after a comma: `Arsenal 2 Chelsea 1,
#: Liverpool`), and the ends every other layout may have.
TAILEND_REQUIRED = "(?:" + PCCITY + "|" + USCSZ + "|" + UKPC + "|" + BLOCK + ")"
#: Brazilian states (unidades federativas: ``address.regions.br``).
UF = "|".join(REGIONS["br"])
#: A Brazilian neighbourhood and town, the state and the CEP (` - Consolação, São Paulo - SP,
#: 01304-001`, `, Rio de Janeiro/RJ`): a state code must close the town, so a dash before prose
#: (`- Bela Vista`) stays out.
BRTAIL = (r"(?:[ \t]?[-–][ \t]?|,[ \t])" + CITYP + r"(?:(?:,[ \t]|[ \t][-–][ \t])" + CITYP
          + r")?(?:[ \t]?[-–/][ \t]?|,[ \t])(?:" + UF + r")(?![\w])(?:(?:,[ \t]?|[ \t]{1,2}|[ \t]?[-–][ \t]?)"
          r"(?:CEP:?[ \t]?)?\d{5}-?\d{3}(?!\w))?")
TAILEND = "(?:" + PCCITY + "|" + USCSZ + "|" + UKPC + "|" + BLOCK + "|" + BRTAIL + "|" + CITYCOMMA + ")"
#: A unit in capitals (`APT 4B`, `STE 200`, `# 12`), as USPS-formatted and shipping-label addresses
#: write the whole address.
CAPS_UNIT = SEP + r"(?:APT|APARTMENT|SUITE|STE|UNIT|FLAT|ROOM|RM|BLDG|FL|#)\.?[ \t]?#?[\w\-]{1,6}(?!\w)"
TAIL = r"(?:\.?(?:" + UNIT + "|" + CAPS_UNIT + "))?(?:" + FLOOR + r")?(?:\.?" + TAILEND + ")?"

# --- number first: US/UK/Australian, French/Spanish/Portuguese/Italian, no street word ------------
#: USPS street suffixes (street_address_v1's list).
USPS = ("Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter"
        "|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Square|Sq|Trail|Trl|Alley|Aly|Loop|Plaza|Plz|Crescent|Cres"
        "|Expressway|Freeway|Turnpike|Pike|Row|Walk|Pass|Path|Run|Point|Pt|Ridge|Hill|Hills|Heights|Hts"
        "|Park|Crossing|Xing|Junction|Jct|Summit|Mission|Village|Vista|Views?|Gardens?|Grove|Harbor|Haven"
        "|Isle|Lakes?|Landing|Manor|Meadows?|Mills?|Mount|Orchard|Pines|Ports?|Ranch|Springs?|Stations?"
        "|Streets?|Valley|Ville|Wells?|Estates?|Falls|Fields?|Forest|Fork|Green|Groves?|Knolls?|Shoals?"
        "|Shores?|Squares?|Stream|Throughway|Tunnel|Union|Unions|Bypass|Causeway|Center|Centers|Club"
        "|Common|Corners?|Course|Courts|Cove|Coves|Creek|Curve|Dale|Dam|Divide|Drives|Extension|Ferry"
        "|Flats?|Ford|Fords|Gateway|Glen|Glens|Inlet|Island|Islands|Key|Keys|Lodge|Mall|Motorway|Neck"
        "|Oval|Overpass|Passage|Plains?|Prairie|Radial|Ramp|Rapids?|Rest|Routes?|Shore|Skyway|Spur|Track"
        "|Trafficway|Underpass|Via|Viaduct"
        # British types USPS lacks that are no English verb or adjective (`9 Mill Mews`)
        "|Mews|Quay|Wharf|Wynd|Embankment")
#: After the house number: a direction (one letter or two, as Seattle, Portland, Miami and
#: Washington write them: `14509 NE 39th Street`, `1600 NW 5th Ave`), one to four capitalised words
#: or an ordinal, the suffix, a post-direction.
US_AFTER_NUMBER = (r"(?: (?:[NS][EW]|[NSEW]\.?|North|South|East|West))? (?:[A-Z][a-z'\-]{1,20}|\d{1,3}(?:st|nd|rd|th))"
                   r"(?: [A-Z][a-z'\-]{1,20}){0,3} (?:" + USPS + r")\.?(?: (?:N|S|E|W|NE|NW|SE|SW)\b\.?)?")
#: Up to two numbers before the house number (a building or box number: `96047 3240 Meadow Drive`).
US_BODY = r"\d{0,5}(?: \d{1,6}){0,2}(?:[A-Za-z]?/\d{1,6})?[A-Za-z]?" + US_AFTER_NUMBER + r"(?!\w)"
#: A UK postal block: lines of words (a town, a county), then the postcode on a line of its own or
#: after a word (`⏎Norwich⏎Norfolk NR4 7JU`).
UKBLOCK = r"(?:" + NLB + LINEW + r"){0,2}" + NLB + r"(?:" + CITYW + r"[ \t])?[A-Z]{1,2}\d[A-Z\d]?[ \t]\d[A-Z]{2}(?!\w)"
#: British street types that are also English words (`27 Kingfisher Close`, `12 Station Approach`,
#: `4 Hazel Rise`): only with a unit, a postal code or a US-style town line after them, since a
#: number before capitalised words and the word is as often a headline ("top 10 Moments Close to
#: home", "Season 4 Wedding Parade", "In 2019 Bitcoin Rise").
#: An address in capitals (`123 MAIN ST APT 4B`, `1600 PENNSYLVANIA AVE NW, WASHINGTON, DC 20500`:
#: USPS asks for capitals, and shipping labels, forms and court records write them so): the US body
#: in capitals, only with a unit, a town line or a postal block after it, since a number before
#: words in capitals and a street type is as often a headline (`TOP 10 BEST ROAD TRIPS`).
#: (The town line it needs: a real state or province and a ZIP code, or a UK postcode. The general
#: town line takes any two or three capitals for a state and four digits for a postal code, which
#: capitals alone would match in `... ROAD TRIPS OF 2024`.)
#: (US states and territories, Canadian provinces: ``address.regions.us`` and ``.ca``.)
US_STATES = "|".join((*REGIONS["us"], *REGIONS["ca"]))
CAPS_TOWN = (SEP + CITYW + r"(?:[ \t]" + CITYW + r"){0,2},?[ \t](?:" + US_STATES + r"),?[ \t]"
             r"(?:\d{5}(?:-\d{4})?|[A-Z]\d[A-Z][ \t]?\d[A-Z]\d)(?!\w)")
CAPS_BODY = (r"\d{0,5}[A-Z]?(?: (?:[NS][EW]|[NSEW]\.?|NORTH|SOUTH|EAST|WEST))?"
             r" (?:[A-Z][A-Z'\-]{1,20}|\d{1,3}(?:ST|ND|RD|TH))"
             r"(?: [A-Z][A-Z'\-]{1,20}){0,3} (?:" + USPS.upper() + r")\.?(?: (?:N|S|E|W|NE|NW|SE|SW)\.?)?(?!\w)"
             r"(?=\.?(?:" + CAPS_UNIT + "|" + UNIT + "|" + CAPS_TOWN + "|" + UKPC + "))")
UK_WORD_TYPES = "Close|Rise|Parade|Approach|Chase|Vale|Crest|Drove|Hollow|Gate"
UK_BODY = (r"\d{0,5}[A-Za-z]? (?:[A-Z][a-z'\-]{1,20} ){1,3}(?:" + UK_WORD_TYPES + r")(?!\w)"
           + r"(?=\.?(?:" + UNIT + "|" + TAILEND_REQUIRED + "|" + UKBLOCK + "))")
#: Street types after the number; the English-spelt ones in lower case, or before a particle.
FR_TYPE = (r"(?:(?i:\L<street_types_after_number>)|place|avenue|boulevard|route|esplanade"
           r"|(?:Place|Avenue|Boulevard|Route|Esplanade)(?= (?:de|du|des|la|le|les|del|della|da|do|dos|das"
           r"|[dl]['’])))")
FR_BODY = (r"\d{0,4}(?:[A-Za-z]? \d{1,5}){0,2}(?: ?(?:bis|ter|quater)|[A-Za-z])?,? " + FR_TYPE
           + r" (?:(?:" + PART + "|" + NAMEP + r") ){0,5}" + NAMEP + r"(?!\w)")
#: A building number, a name and a house number (`3564 Pargi 72`): only with a unit or a postal
#: code after it.
AROUND_BODY = (r"\d{0,4}[A-Za-z]?(?: \d{1,5}[A-Za-z]?)? (?:" + NAME + r" ){1,4}" + HOUSE
               + r"(?=\.?(?:" + UNIT + "|" + TAILEND_REQUIRED + "|" + UKBLOCK + "))")

# --- number after the street: read backwards from the house number -------------------------------
#: A street type glued to the name (`Hauptstraße`, `Goethestr.`, `Kaiser-Wilhelm-Ring`).
#: (The `-strasse` spellings of the numbered roads of street_not_streets: a word list cannot hold
#: both spellings, which fold to the same word.)
GLUED = (r"(?:" + NAME_LB + r" ){0,2}(?!(?:\L<street_not_streets>)\b)(?!(?:Bundes|Landes|Staats|Kreis|Europa)strasse\b)"
         r"\p{Lu}[\p{L}\-]{1,30}"
         r"(?:(?<=[\p{L}\-](?i:\L<street_suffixes>|strasse))|(?<=\p{L}str)\.)")
#: A street type written apart after the name (`Landsberger Allee`, `Karl Johans gate`).
APART = r"(?:" + NAME_LB + r" ){1,3}(?:(?i:\L<street_words>|strasse)|u\.|út|tee|(?<=\p{L}s )gate)"
#: A street type before the name (`Via Roma`, `ul. Marszałkowska`, `Avenida da Liberdade`).
#: (A comma may stand before the house number: `Rua das Flores, 250`, `Calle Mayor, 5`, as Spain,
#: Portugal, Brazil and Italy write it.)
PREFIXED = (r"(?<!\bet )(?:\L<street_prefixes>|\L<street_prefixes_lower>) (?:(?:" + PART + "|" + NAMEP_LB
            + r") ){0,5}" + NAMEP_LB + ",?")
STREET_LB = r"(?<=(?<![\w\-.])(?P<start>" + LEAD_LB + r"(?:" + GLUED + "|" + APART + "|" + PREFIXED + r")) \d)"
PO_BOX_LB = (r"(?<=(?<![\w.])(?P<start>(?:(?:P\.[ \t]?O\.|PO|Post[ \t]Office)[ \t]Box|Postbox|Postfach"
             r"|Apartado(?:[ \t]de[ \t]correos)?|Caixa[ \t]Postal)) \d)")
MILITARY_LB = (r"(?<=(?<![\w.])(?P<start>(?:(?:PSC|CMR|Unit) \d{1,5},? Box \d{1,5}"
               r"|(?:USNS|USNV|USCGC|USS)(?: \p{Lu}[\p{L}'’\-]{1,25}){1,3})"
               r"(?:[ \t]{0,4}\n[ \t]{0,4}|,? )(?:APO|FPO|DPO) (?:AA|AE|AP)) \d)")

# --- Turkish, Indian, Japanese: a house-number word or mark before the number -------------------
#: Turkish street types after the name (`Atatürk Cad.`, `Bağdat Caddesi`, `Çiçek Sok.`, `Nefi Sk.`,
#: `Vatan Blv.`); Turkish puts `No:` between the street and the house number.
TR_TYPE = r"(?:Caddesi|Cadde|Cad\.|Cd\.|Sokağı|Sokak|Sok\.|Sk\.|Bulvarı|Bulv\.|Blv\.)"
#: A name of a Turkish street that is not the quarter's word (which opens TR_MAH instead).
TR_NAME_LB = r"(?!(?:Mahallesi|Mah|Mh)\b)" + NAME_LB
#: The quarter before the street (`Moda Mah. `, `Caferağa Mahallesi, `).
TR_MAH = r"(?:" + NAME_LB + r" ){1,2}(?:Mahallesi|Mah\.|Mh\.),? "
#: Read backwards from the house number: quarter, street, type, `No:` (`No: 45`, `No:123`, `No. 7`).
TR_LB = (r"(?<=(?<![\w\-.])(?P<start>(?:" + TR_MAH + r")?(?:" + TR_NAME_LB + r" ){1,3}" + TR_TYPE
         + r",? No[:.]?[ \t]?)\d)")
#: A Turkish flat or floor after the number (` D: 3`, ` Daire:5`, ` Kat: 2`), then a district and
#: province written `Kadıköy / İstanbul` (maybe after the postal code); other towns are the tail's.
TR_REST = (r"(?:,?[ \t](?:Daire|Kat|D|K)[:.][ \t]?\d{1,4}(?!\w)){0,2}"
           r"(?:" + SEP + r"(?:" + PC + r"[ \t])?" + CITYW + r"[ \t]?/[ \t]?" + CITYW + r")?")
#: An Indian house number's word (`Flat No. 12`, `H.No. 4-12-56`, `No. 7`) or `#` (`#45`), read
#: backwards from the number.
IN_LB = (r"(?<=(?<![\w\-.])(?P<start>(?:(?:Flat|House|Plot|Door|Shop|Villa)[ \t]?|[HD]\.[ \t]?)?No[.:]?[ \t]?"
         r"|(?<![\w&#])#[ \t]?)\d)")
#: A word of an Indian address line: a capitalised word or an ordinal (`2nd Cross`, `MG Road`).
IN_WORD = r"(?:\d{1,2}(?:st|nd|rd|th)|\p{Lu}[\p{L}'’.\-]{0,25}+)"
#: A part of an Indian address between commas (`MG Road`, `Banjara Hills`, `Bengaluru`).
IN_PART = IN_WORD + r"(?:[ \t](?:" + IN_WORD + r"|\p{Ll}{1,3}+(?=[ \t]\p{Lu}))){0,3}"
#: A part holding a street or locality word, a large city or a state (list `street_india_words`:
#: `MG Road`, `2nd Cross`, `Bengaluru`, `Telangana`), which a ticket's fields (`#1234, Priority
#: High, Assigned 560001`) lack.
IN_KEY = (r"(?:" + IN_WORD + r"[ \t]){0,3}(?:\L<street_india_words>)(?![\p{L}])(?:[ \t]" + IN_WORD
          + r"){0,3}")
#: The rest of the number (`4-12-56`, `12/3A`), parts after commas (the street, the locality, the
#: town, the state; one of them an IN_KEY) and the six-digit PIN code closing them (`Bengaluru
#: 560001`, `Hyderabad - 500034`, `PIN: 560 038`): without the PIN the words after `No. 12,` are
#: as often a list or a reference.
IN_BODY = (r"\d{0,4}(?:[\-/]\d{1,4}){0,3}[A-Za-z]?(?:,[ \t]?" + IN_PART + r"){0,4},[ \t]?" + IN_KEY
           + r"(?:,[ \t]?" + IN_PART + r"){0,4}(?:,?[ \t]|[ \t]?[-–][ \t]?)"
           r"(?:PIN(?:[ \t]?[Cc]ode)?[ \t]?[:\-–]?[ \t]?)?[1-9]\d{2}[ \t]?\d{3}(?!\w)")
#: A Japanese postal code after the postal mark (`〒150-0002`), then the address in Japanese script
#: ending in its block and house numbers (`東京都渋谷区渋谷2-21-1`, `1丁目2番3号`); the mark alone
#: says postal code, the script and the numbers say address. (The patterns read the text view,
#: where a letter of these scripts touching a digit is a boundary, U+000B: `渋谷2` is `渋\v2`,
#: `1丁目2番` is `1\v\v2\v`; a last boundary is taken only before no letter of these scripts, so
#: the `で` of `1です` stays. docs/detection.md, "Text in other languages and scripts".)
JP_LB = r"(?<=(?P<start>〒)[ \t]?\d)"
JP_BODY = (r"\d{2}[\-−－‐]\d{4}[ \t\u3000\x0b]{0,2}[\p{Han}\p{Hiragana}\p{Katakana}ー々ヶ]{2,30}+\x0b?"
           r"\d{1,4}(?:(?:丁目|番地|番|号|[\-−－‐ーの\x0b]){1,2}+\d{1,4}){0,3}+"
           r"(?:丁目|番地|番|号|\x0b(?![\p{Han}\p{Hiragana}\p{Katakana}]))?")

#: A capitalised word among the two before the number: every street-after-name layout has one.
GUARD = r"(?<=\p{Lu}[^\s\d]{0,30} \d|\p{Lu}[^\s\d]{0,30} [^\s\d]{1,12} \d)"

#: The pattern, matched at a hit (the first digit of the house number or of a number before it).
STREET = (r"(?<![\w\-.])\d(?:" + GUARD + r"(?:" + STREET_LB + HOUSE_REST + "|" + PO_BOX_LB
          + r"\d{0,5}(?: \d{2,4}){0,2}(?!\w)|" + MILITARY_LB + r"\d{4}(?!\w))|" + TR_LB + HOUSE_REST + TR_REST
          + "|" + IN_LB + IN_BODY + "|" + JP_LB + JP_BODY + "|" + UNITSTART + r"(?:" + US_BODY
          + "|" + UK_BODY + "|" + CAPS_BODY + "|" + FR_BODY + "|" + AROUND_BODY + "))" + TAIL)

#: The hits the recognizer is tried at: a number after a street word (the trigger's branch, again),
#: or a number (up to three) before a capitalised word or a number-first street type; a number
#: after `No:`/`No.` (Turkish, Indian), after `〒` (Japanese) or after `#` and before a comma
#: (Indian: `#45, 2nd Cross`).
#:
#: The filter is tried at every `digits` hit (~19,000 per pass of 2,000 canary documents), so the
#: number-first branch is shaped to fail fast, matching what `\d{1,6}[A-Za-z]?(?:/\d{1,6}[A-Za-z]?)?`
#: `(?: \d{1,6}[A-Za-z]{0,2}){0,2},? ` matches: a lookahead for the character after the first run
#: of digits (a letter, `/`, space or comma, or the branch cannot match), and possessive runs and
#: groups: what must come after each is never what it could give back (a digit run is followed by
#: no digit, a letter by no letter, the comma by the space; a ` 12` group given back leaves a digit
#: where the street's first letter must be), so backtracking into them never lets the branch match.
#: The whole filter 19% cheaper on those hits, the same hits kept (benchmarks/RESULTS-detect.md,
#: "Cheaper patterns"). Do not "simplify" it back.
#: The hits of auth_log_user_v1 (sshd's log lines; its docs in recognizers.yaml): the client's
#: address after ` from ` and a login after `Invalid user`, `Failed … for` or `Accepted … for`.
#: The `Disconnected from … user <login> <address> port` lines are not read here: a branch for
#: them (a lookahead for ` port ` after the address) cost 2.5 times this one at every hit, and
#: their login is the one a `Failed`/`Accepted` line of the same log names (username_coref_v1).
AUTH_LOG_HITS = (r"|(?<= from )(?<=(?:(?:[Ii]nvalid|[Ii]llegal) user|[Ff]ailed [\w/\-]{4,30} for(?: invalid user)?"
                 r"|Accepted [\w/\-]{4,30} for) [^\s]{1,64} from )\d")
HITS = (r"(?:(?<=[^\W\d_],? |[^\W\d_]\. )(?<=(?:[\p{L}\-](?i:\L<street_suffixes>|strasse)|\p{L}str\."
        r"|(?i:\L<street_words>|strasse)|u\.|út|tee|\p{L}s gate|[Bb]ox|Postfach|Apartado|Postal|[AFD]PO A[AEP]"
        r"|(?:\L<street_prefixes>|\L<street_prefixes_lower>)(?: [^\s\d]{1,25}){0,4} \p{Lu}[^\s\d]{0,24}) )\d"
        r"|(?=\d{0,6}+[A-Za-z/ ,])\d{1,6}+[A-Za-z]?+(?:/\d{1,6}+[A-Za-z]?+)?+(?: \d{1,6}+[A-Za-z]{0,2}+){0,2}+,?+ "
        r"(?:(?:bis|ter|quater) )?"
        r"(?:\p{Lu}|(?:\L<street_types_after_number>|place|avenue|boulevard|route|esplanade) ))"
        r"|(?<=No[.:][ \t]?|(?:Flat|House|Plot|Door|Shop|Villa|Caddesi|Cadde|Sokak|Sokağı|Bulvarı) No |〒[ \t]?)\d"
        r"|(?<=(?<![\w&#])#)\d{1,5}, "
        # not the street's: an SSH server's log gives the login before the client's address
        # (`Failed password for jsmith from 81.2.69.160`); auth_log_user_v1 names this filter too, so
        # it adds no pass over the hits. The ` from ` before the number turns away the other hits.
        + AUTH_LOG_HITS)


#: The YAML anchor of the hits line: ls_owner_user_v1 names the same filter (`hits: *house_number_hits`),
#: so the two recognizers share one pass of the filter over the `digits` hits and one set of windows.
HITS_ANCHOR = "&house_number_hits "


def quoted(value: str) -> str:
    """A YAML single-quoted scalar."""
    return "'" + value.replace("'", "''") + "'"


def write(path: Path = RULES) -> bool:
    """Put :data:`STREET` and :data:`HITS` into the street_address_v2 entry; whether it changed."""
    text = path.read_text(encoding="utf-8")
    start = text.index("  - name: street_address_v2\n")
    end = text.index("\n  - name: ", start + 1) if "\n  - name: " in text[start + 1:] else len(text)
    block = text[start:end]
    new = re.sub(r"(?m)^    hits: (?:&\w+ )?'.*'$", lambda _: "    hits: " + HITS_ANCHOR + quoted(HITS), block, count=1)
    new = re.sub(r"(?m)^        regex: '.*'$", lambda _: "        regex: " + quoted(STREET), new, count=1)
    if new == block:
        return False
    path.write_text(text[:start] + new + text[end:], encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"write the regexes into {RULES}")
    args = parser.parse_args(argv)
    if args.write:
        print("updated" if write() else "unchanged", RULES)
    else:
        print("hits:", quoted(HITS))
        print("regex:", quoted(STREET))
    return 0


if __name__ == "__main__":
    sys.exit(main())
