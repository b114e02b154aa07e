"""Ctrl-C between CP-SAT solves.

CP-SAT catches SIGINT while it solves (it stops and returns its best plan) and, on return, leaves
the process with the operating system's default action, which kills Python at once: a Ctrl-C
while the next model is being built would then end the run with no plan and no message. Each
solve is followed by ``python_handles_sigint`` so Ctrl-C raises KeyboardInterrupt again, which
the pipeline and the commands handle.
"""

from __future__ import annotations

import select
import signal
import socket
import threading
from collections.abc import Callable


def python_handles_sigint() -> None:
    """Put Python's Ctrl-C handler back (a no-op outside the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        return
    handler = signal.getsignal(signal.SIGINT)
    if callable(handler):  # Python still believes it is installed: install it for real again
        signal.signal(signal.SIGINT, handler)


class SigintStops:
    """Ctrl-C during a CP-SAT search stops it (its best plan is kept) and is remembered as such.

    CP-SAT's own SIGINT catching cannot tell a Ctrl-C from any other early stop, so a search cut
    by a wall-clock limit on a loaded machine was once reported as interrupted. Here CP-SAT leaves
    SIGINT alone (``catch_sigint_signal = False``); Python's C-level handler writes the signal to a
    wake-up socket, and a small thread that waits on it stops the search, again every
    ``RESTOP_S`` until the search is over (a stop asked before CP-SAT has started its search is
    otherwise lost). ``interrupted`` is true only after a real SIGINT. Outside the main thread it
    does nothing (signals go to the main one).
    """

    RESTOP_S = 0.05

    def __init__(self, stop_search: Callable[[], None]) -> None:
        self.stop_search = stop_search
        self.interrupted = False
        self._active = threading.current_thread() is threading.main_thread()

    def __enter__(self) -> SigintStops:
        if not self._active:
            return self
        self._read, self._write = socket.socketpair()
        self._write.setblocking(False)
        self._old_handler = signal.signal(signal.SIGINT, self._note)
        try:
            self._old_fd = signal.set_wakeup_fd(self._write.fileno(), warn_on_full_buffer=False)
        except BaseException:
            signal.signal(signal.SIGINT, self._old_handler)
            raise
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def _note(self, _signum: int, _frame: object) -> None:
        self.interrupted = True

    def _watch(self) -> None:
        while True:
            ready, _, _ = select.select([self._read], [], [], self.RESTOP_S if self.interrupted else None)
            if ready:
                data = self._read.recv(64)
                if not data:  # the write end was closed: the search is over
                    return
                self.interrupted = self.interrupted or signal.SIGINT in data
            if self.interrupted:
                self.stop_search()

    def __exit__(self, *_: object) -> None:
        if not self._active:
            return
        signal.set_wakeup_fd(self._old_fd)
        signal.signal(signal.SIGINT, self._old_handler)
        self._write.close()
        self._thread.join(timeout=5)
        self._read.close()
