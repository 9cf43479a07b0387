"""Key loading, precedence, rejection of weak keys, fingerprints (scrubber.transform.keys)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scrubber.errors import ConfigError
from scrubber.transform.keys import derive_key, key_fingerprint, load_key

FILE_KEY = "file-secret-0123456789abcdef"
ENV_KEY = "env-secret-0123456789abcdef"


def test_transform_keys_file_wins_over_env(tmp_path: Path) -> None:
    path = tmp_path / "key"
    path.write_text(FILE_KEY + "\n")
    assert load_key(str(path), {"SCRUBBER_KEY": ENV_KEY}) == FILE_KEY.encode()


@pytest.mark.parametrize(("env", "expected"), [({"SCRUBBER_KEY": ENV_KEY}, ENV_KEY.encode()), ({}, None)])
def test_transform_keys_env_or_none(env: dict[str, str], expected: bytes | None) -> None:
    assert load_key(None, env) == expected


@pytest.mark.parametrize("weak", ["", "short-key", "\n"])
def test_transform_keys_weak_keys_rejected_without_echoing_them(tmp_path: Path, weak: str) -> None:
    path = tmp_path / "key"
    path.write_text(weak)
    for kwargs in ({"key_file": str(path), "env": {}}, {"key_file": None, "env": {"SCRUBBER_KEY": weak}}):
        with pytest.raises(ConfigError) as info:
            load_key(**kwargs)
        if weak.strip():
            assert weak not in str(info.value)


def test_transform_keys_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_key(str(tmp_path / "absent"), {})


def test_transform_keys_fingerprint_identifies_without_revealing() -> None:
    a, b = FILE_KEY.encode(), ENV_KEY.encode()
    assert key_fingerprint(a) == key_fingerprint(a)
    assert key_fingerprint(a) != key_fingerprint(b)
    assert len(key_fingerprint(a)) == 12
    assert key_fingerprint(a) not in a.hex()


def test_transform_keys_subkeys_differ_per_purpose() -> None:
    key = FILE_KEY.encode()
    assert len({derive_key(key, p) for p in ("hash/v1", "pseudonym/v1", "audit/v1")}) == 3
