"""``scrubber.api.load_pipeline`` as a library caller meets it: keys, errors that name what the caller
typed (not a temporary file or a command line), and configs written for the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from scrubber.api import load_pipeline
from scrubber.errors import ConfigError

KEY = "api-test-key-0123456789"
TEXT = "Mail jane.doe@gmail.com now"


@pytest.fixture(autouse=True)
def no_env_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SCRUBBER_KEY", raising=False)


@pytest.mark.parametrize("key", ["", "short", b"0123456789abcde"], ids=["empty", "short-str", "15-bytes"])
def test_a_short_key_is_refused_like_the_clis(key) -> None:
    """An empty or short key used to be accepted: every pseudonym then came from a guessable HMAC key."""
    with pytest.raises(ConfigError, match=r"load_pipeline\(key=\.\.\.\) is (empty|\d+ bytes long)"):
        load_pipeline(mode="fast", operator="pseudonymize", key=key)


@pytest.mark.parametrize("key", [12345678901234567890, ["k" * 20]], ids=["int", "list"])
def test_a_key_of_the_wrong_type_is_refused_before_any_data(key) -> None:
    with pytest.raises(TypeError, match=r"load_pipeline\(key=\.\.\.\): expected bytes or str, got"):
        load_pipeline(mode="fast", operator="pseudonymize", key=key)


def test_key_as_str_bytes_bytearray_or_environment_gives_the_same_surrogates(monkeypatch) -> None:
    outs = [load_pipeline(mode="fast", operator="pseudonymize", key=k)({"text": [TEXT]})["text"]
            for k in (KEY, KEY.encode(), bytearray(KEY.encode()), memoryview(KEY.encode()))]
    monkeypatch.setenv("SCRUBBER_KEY", KEY)
    outs.append(load_pipeline(mode="fast", operator="pseudonymize")({"text": [TEXT]})["text"])
    assert all(o == outs[0] for o in outs) and "jane.doe" not in outs[0][0]


def test_missing_key_says_how_to_pass_one_from_python() -> None:
    with pytest.raises(ConfigError, match=r"SCRUBBER_KEY.*key=\.\.\. to scrubber\.api\.load_pipeline"):
        load_pipeline(mode="fast", operator="hash")


@pytest.mark.parametrize("kwargs, message", [
    ({"mode": "fsat"}, r"^load_pipeline\(\): mode: expected one of 'fast', 'full', got 'fsat'"),
    ({"operator": "pseudonymise"}, r"^load_pipeline\(\): pipeline\[1\]\.transform: operator: unknown operator"),
    ({"text_field": ""}, r"^load_pipeline\(\): text_field must not be empty"),
])
def test_bad_arguments_are_named_as_load_pipeline_arguments(kwargs, message) -> None:
    """They used to be named after a temporary YAML file (/tmp/tmpXXXX.yaml) or 'command line'."""
    with pytest.raises(ConfigError, match=message):
        load_pipeline(**kwargs)


def test_a_cli_config_with_dedup_says_dedup_cannot_run_per_batch(tmp_path: Path) -> None:
    """It used to fail on the dedup stage's missing state folder, which a map caller cannot give."""
    config = tmp_path / "cli.yaml"
    config.write_text("pipeline: [dedup_exact, detect, transform]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"cli\.yaml: stage\(s\) dedup_exact are corpus-wide.*scrubber run"):
        load_pipeline(config)
