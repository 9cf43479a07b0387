"""The secret key behind every keyed operator: loading it, naming it, and deriving sub-keys from it.

Consistent pseudonyms without a mapping table need one secret that every worker on every machine
shares: the surrogate of a value is a pure function of (key, entity type, value), computed with
HMAC-SHA256. A different key gives unrelated surrogates. The key itself is never written anywhere;
reports carry :func:`key_fingerprint`, which identifies a key without revealing it.

Precedence: ``--key-file PATH`` wins over the ``SCRUBBER_KEY`` environment variable, because a flag
typed for this run is more specific than an environment inherited from a shell or a scheduler.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Mapping
from pathlib import Path

from scrubber.errors import ConfigError

ENV_VAR = "SCRUBBER_KEY"
#: 16 bytes = 128 bits when the key is random bytes. Shorter keys make every surrogate guessable by
#: brute force over likely values (a 6-character key is a few seconds on a laptop).
MIN_KEY_BYTES = 16


def load_key(key_file: str | None, env: Mapping[str, str] = os.environ) -> bytes | None:
    """Return the key from ``key_file`` (if given) or ``$SCRUBBER_KEY``, else ``None``.

    A key file's trailing newlines are stripped (``echo secret > key`` must work); every other byte
    counts. Errors name where the key came from and its length, never its content.
    """
    if key_file is not None:
        path = Path(key_file)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise ConfigError(f"--key-file {key_file}: no such file") from None
        except OSError as exc:
            raise ConfigError(f"--key-file {key_file}: cannot read it ({exc.strerror})") from None
        return checked_key(raw.rstrip(b"\r\n"), f"--key-file {key_file}")
    value = env.get(ENV_VAR)
    if value is None:
        return None
    return checked_key(value.encode("utf-8", "surrogateescape"), f"${ENV_VAR}")


def checked_key(key: bytes, where: str) -> bytes:
    """``key`` if it is long enough, else a ConfigError naming ``where`` it came from and its length."""
    if not key:
        raise ConfigError(f"{where} is empty; a keyed operator needs a secret of at least "
                          f"{MIN_KEY_BYTES} bytes (e.g. `head -c 32 /dev/urandom | base64`)")
    if len(key) < MIN_KEY_BYTES:
        raise ConfigError(f"{where} is {len(key)} bytes long; use at least {MIN_KEY_BYTES} bytes "
                          "(e.g. `head -c 32 /dev/urandom | base64`) so surrogates cannot be brute-forced")
    return key


def key_fingerprint(key: bytes) -> str:
    """A short, non-reversible id of ``key`` for reports: two runs with the same id used the same key."""
    return hmac.new(key, b"scrubber-key-fingerprint", hashlib.sha256).hexdigest()[:12]


def derive_key(key: bytes, purpose: str) -> bytes:
    """A sub-key per purpose (``hash/v2``, ``pseudonym/v2``, ``audit/v1``).

    Separate sub-keys mean a hash token in the output, an audit fingerprint and a pseudonym of the
    same value cannot be matched against each other by someone who sees two of the artifacts.
    """
    return hmac.new(key, b"scrubber/" + purpose.encode("ascii"), hashlib.sha256).digest()


def missing_key_error(what: str) -> ConfigError:
    """The one message for 'a keyed feature is configured but no key was given'."""
    return ConfigError(
        f"{what} needs a secret key: set the {ENV_VAR} environment variable or pass --key-file PATH "
        f"(or key=... to scrubber.api.load_pipeline; at least {MIN_KEY_BYTES} bytes; keep the same key to get "
        "the same surrogates across runs)"
    )
