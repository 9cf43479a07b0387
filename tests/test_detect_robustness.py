"""Adversarial input: detection time grows linearly with size, and huge lines are handled.

Not a speed test: it compares the time of the same input at two sizes in the same process, so a slow
or busy machine changes both numbers alike. Quadratic behaviour (a regex backtracking over a run, a
search from the start of the line for every candidate) makes the 4x input take ~16x longer.
"""

from __future__ import annotations

import time

import pytest

from scrubber.records import Batch
from tests.detect_helpers import stage

#: Below this, timings are scheduler noise; a quadratic case at these sizes takes far longer.
NOISE_FLOOR = 0.05

ADVERSARIAL = {
    "at_signs": "@",
    "dots": ".",
    "digits": "7",
    "spaced_digits": "1 ",
    "dotted_digits": "1.",
    "dashed_digits": "12-",
    "letters": "a",
    "capitals": "A",
    "capitalised_words": "Aa ",
    "brackets": "([{<",
    "colons": "a:",
    "hex_colons": "ab:",
    "email_like": "a.b@",
    "secret_prefixes": "AKIAghp_eyJ",
    "keyword_assign": "password=",
    "mixed": "x@y.z 1.2.3.4 (555) ",
}


def _seconds(text: str, mode: str) -> float:
    st = stage(mode)
    best = float("inf")
    for _ in range(2):
        started = time.perf_counter()
        st.run(Batch({"text": [text]}))
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_robustness_time_grows_linearly(name: str) -> None:
    unit = ADVERSARIAL[name]
    small = unit * (100_000 // len(unit))
    large = unit * (400_000 // len(unit))
    t_small = _seconds(small, "fast")
    t_large = _seconds(large, "fast")
    assert t_large < max(9 * t_small, NOISE_FLOOR), f"{name}: {t_small:.3f}s -> {t_large:.3f}s for 4x the input"


@pytest.mark.slow
@pytest.mark.parametrize("name", ["capitals", "capitalised_words", "mixed"])
def test_robustness_full_mode_time_grows_linearly(name: str) -> None:
    unit = ADVERSARIAL[name]
    small = unit * (20_000 // len(unit))
    large = unit * (80_000 // len(unit))
    t_small = _seconds(small, "full")
    t_large = _seconds(large, "full")
    assert t_large < max(9 * t_small, NOISE_FLOOR), f"{name}: {t_small:.3f}s -> {t_large:.3f}s for 4x the input"


@pytest.mark.slow
def test_robustness_single_5mb_line() -> None:
    line = ("Contact jane@gmail.com or 415-555-2671; version 1.2.3.4; " * 90_000)[:5_000_000]
    st = stage("fast")
    out = st.run(Batch({"text": [line]}))
    kinds = {s.entity_type for s in out.spans()[0]}
    assert kinds == {"EMAIL_ADDRESS", "PHONE_NUMBER"}
    assert out.drops() == [None]
