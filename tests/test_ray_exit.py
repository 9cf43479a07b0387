"""scrubber's Ray processes end even when a native exit handler would hang them (scrubber/engines/ray_exit.py).

Ray 2.60's C++ exit handler deadlocked in some actor processes, which then stayed alive, idle, holding
~300 MB. Here a process registers a C-level exit handler that never returns (``pause``), registered
before scrubber's, as Ray's is; with :func:`ray_exit.install` it must still end, with its own exit
status, after Python's exit handlers ran and its output was flushed (Python's, and a C library's
buffered file). No Ray needed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

PROGRAM = """
import atexit, ctypes, sys
libc = ctypes.CDLL(None)
libc.__cxa_atexit.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
libc.__cxa_atexit(ctypes.cast(libc.pause, ctypes.c_void_p), None, None)  # never returns, like Ray's did
atexit.register(lambda: print("python exit handlers ran"))
if sys.argv[1] == "install":
    from scrubber.engines import ray_exit
    assert ray_exit.install() and ray_exit.install()  # a second call changes nothing
print("last line, unflushed", end="")
libc.fopen.restype = ctypes.c_void_p
libc.fputs.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
log = libc.fopen(sys.argv[2].encode(), b"w")  # a C library's own log file, never closed
libc.fputs(b"C-level line, buffered", log)  # stays in C stdio's buffer until exit() flushes it
sys.exit(3)
"""

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's on_exit: Linux only")


def run(mode: str, c_log: Path, timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", PROGRAM, mode, str(c_log)], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)


def test_a_hanging_native_exit_handler_no_longer_keeps_the_process(tmp_path: Path) -> None:
    done = run("install", tmp_path / "c.log", timeout=60)
    assert done.returncode == 3  # the status the program exited with, not a made-up one
    assert done.stdout == "last line, unflushedpython exit handlers ran\n"
    assert done.stderr == ""
    assert (tmp_path / "c.log").read_text() == "C-level line, buffered"


def test_without_it_the_same_process_hangs(tmp_path: Path) -> None:
    """The control: the simulated handler really hangs, so the test above shows the fix."""
    with pytest.raises(subprocess.TimeoutExpired):
        run("plain", tmp_path / "c.log", timeout=3)
