"""How scrubber's Ray worker processes end: like any Python process, minus Ray's C++ exit handler.

Why: that handler can deadlock. Seen with Ray 2.60.0: an actor released at the end of a pass logged
"Shutdown completed successfully" from its core worker, then stayed forever, idle and holding
~300 MB. Its main thread was waiting, inside ``exit()``, on a lock its own thread already held:
``CoreWorkerProcess::HandleAtExit`` → ``~CoreWorkerProcessImpl`` → the io service's ``shutdown()`` →
``~Publisher`` → ``PublishIfPossible`` → ``post_immediate_completion``. On a running cluster each such
process is memory lost until someone kills it; with a private Ray it outlives the run.

The fix keeps everything an exit does up to that handler. Python finishes as usual (its exit
handlers, Ray's own ``shutdown()`` among them, and the flushing of its streams), then ``exit()`` runs
the C-level handlers, newest first. :func:`install` registers, through glibc's ``on_exit``, a handler
newer than Ray's that calls ``_exit`` with the same exit status: the process ends there, and the
older handlers (Ray's, registered when its core worker started) are skipped. Just before it runs
``fflush(NULL)``, so output a C library buffered (``printf`` to a log file) is written as ``exit()``
would have written it; the rest of what the skipped handlers do is free memory, which the kernel
does anyway.

Only scrubber's own Ray processes install it (the shard actors and the dedup resolve tasks); a program
that uses scrubber's stages as a library never gets it. Without glibc's ``on_exit`` (macOS, musl)
nothing is installed and Ray's exit is unchanged.
"""

from __future__ import annotations

import ctypes

_installed = False


def install() -> bool:
    """Make this process's ``exit()`` stop after the handlers registered from now on (idempotent).

    Returns whether the handler is in place.
    """
    global _installed
    if _installed:
        return True
    try:
        libc = ctypes.CDLL(None)
        on_exit, at_exit, exit_now, flush = libc.on_exit, libc.__cxa_atexit, libc._exit, libc.fflush
    except (AttributeError, OSError, TypeError):  # no glibc: keep the platform's exit
        return False
    on_exit.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    at_exit.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
    # on_exit calls function(status, arg): _exit(status), the second argument unused.
    if on_exit(ctypes.cast(exit_now, ctypes.c_void_p), None) != 0:
        return False
    # Registered after, so it runs before: __cxa_atexit calls function(arg), i.e. fflush(NULL).
    at_exit(ctypes.cast(flush, ctypes.c_void_p), None, None)
    _installed = True
    return True
