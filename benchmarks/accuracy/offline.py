"""Make a benchmark run provably offline.

Presidio's email recognizer calls ``tldextract``, whose default extractor downloads the public suffix
list; presidio-evaluator's hospital provider queries Wikidata. On an air-gapped worker both hang or
fail, and a benchmark that quietly used the network would not measure what users run. So the
benchmark replaces socket connection functions with ones that raise, and points tldextract at the
suffix list snapshot bundled in its wheel.
"""

from __future__ import annotations

import socket
from typing import Any, NoReturn


class NetworkAccessError(RuntimeError):
    """Raised when benchmark code tries to open a network connection."""


def _refuse(*args: Any, **kwargs: Any) -> NoReturn:
    raise NetworkAccessError(
        f"network access attempted ({args[1:2] or args[:1]}); the benchmark must run offline — "
        "find which library fetched data and make it use a local copy"
    )


def forbid_network() -> None:
    """Make every outgoing connection or DNS lookup in this process raise :class:`NetworkAccessError`."""
    socket.socket.connect = _refuse  # type: ignore[method-assign]
    socket.socket.connect_ex = _refuse  # type: ignore[method-assign]
    socket.create_connection = _refuse  # type: ignore[assignment]
    socket.getaddrinfo = _refuse  # type: ignore[assignment]


def offline_tldextract() -> None:
    """Use tldextract's bundled suffix-list snapshot instead of fetching (and caching) the live list."""
    import tldextract
    import tldextract.tldextract as impl

    extractor = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)
    impl.TLD_EXTRACTOR = extractor
    tldextract.extract = extractor  # type: ignore[assignment]
