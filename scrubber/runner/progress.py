"""Progress for long runs: a bar on a terminal, plain periodic lines otherwise (logs, CI, nohup).

Workers add to two shared counters (documents and input bytes); the main process reads them. The
display shows counts and rates only — never a file's content.
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO


class Counters:
    """Documents and input bytes processed; shared across processes when built from a context."""

    def __init__(self, ctx: Any | None = None) -> None:
        if ctx is None:
            self.docs: Any = _Local()
            self.bytes: Any = _Local()
        else:
            self.docs = ctx.Value("q", 0)
            self.bytes = ctx.Value("q", 0)
        #: Called after each ``add`` in the single-process case, so the display moves within a shard.
        self.listener: Any = None

    def add(self, docs: int, nbytes: int) -> None:
        with self.docs.get_lock():
            self.docs.value += docs
        with self.bytes.get_lock():
            self.bytes.value += nbytes
        if self.listener is not None:
            self.listener()

    def __getstate__(self) -> dict[str, Any]:
        return {"docs": self.docs, "bytes": self.bytes, "listener": None}


class _Local:
    """Same interface as ``multiprocessing.Value`` for the in-process (one worker) case."""

    def __init__(self) -> None:
        self.value = 0

    def get_lock(self) -> _NoLock:
        return _NoLock()


class _NoLock:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def human_bytes(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if abs(n) < 1000 or unit == "TB":
            return f"{n:.1f} {unit}" if unit != "B" else f"{int(n)} B"
        n /= 1000
    return f"{n:.1f} TB"


def human_seconds(seconds: float) -> str:
    seconds = int(max(seconds, 0))
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


class ProgressDisplay:
    """Renders one pass (e.g. "scrub" or "index dedup_near") over ``total_bytes`` of input."""

    def __init__(
        self, label: str, total_bytes: int, counters: Counters, *, enabled: bool = True,
        stream: TextIO | None = None, interval: float = 10.0,
    ) -> None:
        self.label = label
        self.total = max(total_bytes, 1)
        self.counters = counters
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.interval = interval
        self.started = time.monotonic()
        self._last_line = 0.0
        self._last_printed: tuple[int, int, int] | None = None  # (shards done, docs, bytes) of that line
        self._bar: Any = None
        self._shown_bytes = 0
        if enabled and self.stream.isatty():
            import shutil

            from tqdm import tqdm

            # A terminal that reports no size (a fresh pty, some CI consoles) would get no bar at all.
            size = shutil.get_terminal_size((100, 24))
            self._bar = tqdm(total=self.total, desc=label, unit="B", unit_scale=True, file=self.stream,
                             ncols=size.columns or 100, nrows=size.lines or 24, smoothing=0.1)

    def refresh(self, shards_done: int, shards_total: int, force: bool = False) -> None:
        if not self.enabled:
            return
        docs, nbytes = self.counters.docs.value, self.counters.bytes.value
        elapsed = max(time.monotonic() - self.started, 1e-9)
        if self._bar is not None:
            self._bar.update(max(nbytes - self._shown_bytes, 0))
            self._shown_bytes = nbytes
            self._bar.set_postfix_str(f"{docs / elapsed:,.0f} docs/s, shards {shards_done}/{shards_total}")
            return
        now = time.monotonic()
        if not force and now - self._last_line < self.interval:
            return
        if (shards_done, docs, nbytes) == self._last_printed:
            return  # the closing line would repeat one just printed with the same counts
        self._last_line = now
        self._last_printed = (shards_done, docs, nbytes)
        rate = nbytes / elapsed
        eta = (self.total - nbytes) / rate if rate > 0 and nbytes < self.total else 0.0
        print(
            f"[{self.label}] shards {shards_done}/{shards_total}, {docs:,} docs ({docs / elapsed:,.0f}/s), "
            f"{human_bytes(nbytes)} of {human_bytes(self.total)} ({human_bytes(rate)}/s), "
            f"ETA {human_seconds(eta)}",
            file=self.stream, flush=True,
        )

    def close(self, shards_done: int, shards_total: int) -> None:
        if self._bar is not None:
            self.refresh(shards_done, shards_total)
            self._bar.close()
        else:
            self.refresh(shards_done, shards_total, force=True)
