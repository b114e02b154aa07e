"""Ctrl-C between CP-SAT solves.

CP-SAT catches SIGINT while it solves (it stops and returns its best plan) and, on return, leaves
the process with the operating system's default action, which kills Python at once: a Ctrl-C
while the next model is being built would then end the run with no plan and no message. Each
solve is followed by ``python_handles_sigint`` so Ctrl-C raises KeyboardInterrupt again, which
the pipeline and the commands handle.
"""

from __future__ import annotations

import signal
import threading


def python_handles_sigint() -> None:
    """Put Python's Ctrl-C handler back (a no-op outside the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        return
    handler = signal.getsignal(signal.SIGINT)
    if callable(handler):  # Python still believes it is installed: install it for real again
        signal.signal(signal.SIGINT, handler)
