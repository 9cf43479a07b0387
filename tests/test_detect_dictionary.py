"""The English dictionary read from the spaCy model package: which capitalised words are common words."""

from __future__ import annotations

import pytest

from scrubber.detect.dictionary import english_dictionary
from scrubber.detect.rules import NerRules

MODEL = NerRules().model


@pytest.mark.parametrize(
    ("word", "known"),
    [
        ("Ledger", True),  # a WordNet noun
        ("Tales", True),  # a regular inflection of one (the lemmatizer's suffix rules)
        ("Children", True),  # an irregular form
        ("Salesperson", True),
        ("Because", True),  # a function word (spaCy's stop words)
        ("Everybody", True),  # a function word neither list has
        ("Lyberth", False),  # names in no dictionary
        ("Sonoka", False),
        ("Björklund", False),
        ("I'm", False),  # not a single alphabetic word
        ("", False),
    ],
)
def test_dictionary_knows_english_words(word: str, known: bool) -> None:
    assert (word in english_dictionary(MODEL)) is known


def test_dictionary_is_empty_without_the_model_package() -> None:
    # without the model (fast mode installs), no word is a dictionary word: detection as before
    assert "Ledger" not in english_dictionary("no_such_spacy_model_package")
