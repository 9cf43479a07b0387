"""The name rules' language test, judged where a word is (scrubber/detect/language.py)."""

from __future__ import annotations

import shutil
from functools import lru_cache
from pathlib import Path

import pytest

from scrubber.detect.language import LanguageView, looks_english
from scrubber.detect.rules import NerRules, load_rules
from scrubber.errors import ConfigError
from scrubber.stages.base import default_rules_dir
from tests.detect_helpers import found


@lru_cache(maxsize=1)
def ner_rules() -> NerRules:
    return load_rules(default_rules_dir() / "detect").ner


def persons(text: str) -> list[str]:
    return [value for entity, value in found(text, "full") if entity == "PERSON"]


#: A German manual page as `man` renders it: its synopsis is English option words, its prose German.
GERMAN_PAGE = (
    "APT-GET(8)                          APT                          APT-GET(8)\n\n"
    "ÜBERSICHT\n       apt-get [-asqdyfmubV] [-o=config] [-c=file] {update | upgrade | dselect-upgrade |\n"
    "               dist-upgrade | install pkg... | remove pkg... | purge pkg... | source pkg... |\n"
    "               build-dep pkg... | download pkg... | check | clean | autoclean | autoremove |\n"
    "               {-v | --version} | {-h | --help} | --no-install-recommends | --fix-broken |\n"
    "               --allow-downgrades | --only-upgrade | --print-uris | --simulate | --reinstall |\n"
    "               --show-progress | --with-new-pkgs | --download-only | --assume-yes}\n\n"
    "BESCHREIBUNG\n"
    "       Die Einstellungen setzen die Prioritäten außer Kraft, die APT den Paketversionen\n"
    "       standardmäßig zuweist. Anders als die Packages-Datei sind nahezu alle Angaben optional\n"
    "       und werden von den Werkzeugen nur gelesen, wenn sie vorhanden sind. Elke regel wird\n"
    "       dann in der Reihenfolge ausgewertet, in der sie in der Datei steht.\n"
)


def test_a_page_is_judged_by_the_words_around_a_name_not_by_its_english_synopsis() -> None:
    """A German manual page opens with English option words, which made the whole page look English
    to a test of its first words; the German prose's capitalised nouns that the lists hold as names
    ("Kraft", "Anders", "Elke") were then redacted. Judged where each word is, they are kept."""
    assert looks_english(GERMAN_PAGE, ner_rules())  # the first 40 words: the synopsis
    view = LanguageView(GERMAN_PAGE, ner_rules())
    assert view.english_at(GERMAN_PAGE.index("außer Kraft")) is False
    assert persons(GERMAN_PAGE) == []


def test_a_translators_credit_in_an_english_document_is_judged_on_its_own() -> None:
    """An English page with a German paragraph: the German nouns are kept there, and the English
    paragraph's names are found as before."""
    english = ("DESCRIPTION\n       apt-get is the command-line tool for handling packages, and may be\n"
               "       considered the user's back-end to other tools using the APT library. It was\n"
               "       written by Jason Gunthorpe and is maintained by the APT team, who review every\n"
               "       change to it.\n\n")
    german = GERMAN_PAGE[GERMAN_PAGE.index("       Die Einstellungen"):]
    assert persons(english + german) == persons(english) == ["Jason Gunthorpe"]


@pytest.mark.parametrize(
    ("text", "people"),
    [
        # one listed word, no cue: a German noun, a Dutch, French or Turkish sentence's first word
        ("Die Einstellungen setzen die Prioritäten außer Kraft, die APT den Paketversionen "
         "standardmäßig zuweist, und das gilt für alle Pakete.", []),
        ("Ceci signifie qu'une route statique vers la passerelle doit pouvoir être atteinte par "
         "le système avant que les paquets soient envoyés.", []),
        # a name the lists vouch for with more than its capital stays: a given name and a surname,
        # a greeting
        ("Die deutsche Übersetzung dieser Handbuchseite wurde von Helge Kreutzmann und Martin "
         "Eberhard Schauer erstellt, und sie ist freie Dokumentation.",
         ["Helge Kreutzmann", "Martin Eberhard Schauer"]),
        ("Hallo Anna, ich habe die Pakete gestern installiert und die Einstellungen sind jetzt "
         "für alle Benutzer gesetzt, bitte prüfe das.", ["Anna"]),
        # a listed given name alone inside a sentence stays
        ("Die Einstellungen wurden gestern für alle Pakete gesetzt, und die Werkzeuge lesen sie, "
         "sagte Jürgen.", ["Jürgen"]),
        # English text keeps a lone listed surname inside a sentence
        ("The patch was reviewed by Kraft and merged into the release branch after the tests of "
         "the nightly build had passed on every platform.", ["Kraft"]),
    ],
)
def test_a_lone_listed_word_is_no_name_in_text_that_is_not_english(text: str, people: list[str]) -> None:
    assert persons(text) == people


@pytest.mark.parametrize(
    ("text", "people"),
    [
        # a translation file: English around the other language's words
        ('msgid "Delete selected items"\nmsgstr "Usuń wybrane elementy"\n\nmsgid "Password"\n'
         'msgstr "Contraseña"\n\nmsgid "Enter the same password as before, for verification."\n'
         'msgstr "Introduzca la misma contraseña que antes, para verificar."\n', []),
        ('msgid "The value of the field"\nmsgstr "Значение поля"\n\nmsgid "Select an option"\n'
         'msgstr "Επιλογή"\n', []),
        # a name with diacritics in English prose stays, in a short sentence too
        ("Yesterday I met Zdeněk Dvořák and the rest of the team at the station.", ["Zdeněk Dvořák"]),
        ("Why is Radoš so impulsive?", ["Radoš"]),
    ],
)
def test_words_of_another_language_or_script_in_english_text_are_no_names(text: str, people: list[str]) -> None:
    assert persons(text) == people


def test_a_short_text_is_not_judged_for_lone_names() -> None:
    """A text with too few words to tell its language keeps what the lists find (a URL's words are
    no English words either)."""
    assert persons("mailto:priya.raman@acme.io?subject=Hi%20Priya") == ["Priya"]


@pytest.mark.parametrize(
    ("text", "english"),
    [
        # German articles and French ones are English dictionary words ("die", "den", "les"):
        # without language.other_language_words this read as English
        ("Die Einstellungen setzen die Prioritäten außer Kraft, die APT den Paketversionen "
         "standardmäßig zuweist. Anders als die Packages-Datei sind nahezu alle Felder optional.", False),
        ("Les options sont les mêmes pour tous les paquets, et la sortie est écrite sur la "
         "ligne de commande par défaut pour des raisons de compatibilité.", False),
        ("The options are the same for every package, and the output is written to the command "
         "line by default for compatibility with older scripts.", True),
    ],
)
def test_words_of_other_languages_count_against_english(text: str, english: bool) -> None:
    assert looks_english(text, ner_rules()) is english


def test_a_rules_folder_without_other_language_words_is_an_error(tmp_path: Path) -> None:
    """A rules folder copied before the list existed would silently judge German pages English
    again: the loader names the missing key."""
    folder = tmp_path / "detect"
    shutil.copytree(default_rules_dir() / "detect", folder)
    ner = folder / "ner.yaml"
    text = ner.read_text(encoding="utf-8")
    start = text.index("  other_language_words: [")
    end = text.index("]", start) + 1
    ner.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(ConfigError, match="language: missing 'other_language_words'"):
        load_rules(folder)
