"""One interrupt path: Ctrl-C (SIGINT) and SIGTERM stop a run between hours, never inside one.

The compiled loops (numba) cannot take a Python exception raised in the middle of them: a
``KeyboardInterrupt`` raised by the default handler while a compiled function returns becomes
a chain of ``SystemError``s. So while :meth:`PartyModel.run <sim.engine.model.PartyModel.run>`
runs hours, both signals are only noted (:class:`HeldSignals`); between two hours a noted
signal goes to the handler that was there before (Python's default raises
``KeyboardInterrupt``; the command line raises :class:`Terminated` for SIGTERM), so the run
stops with every finished hour intact.

Only the main thread can set handlers; elsewhere (a Dask worker's thread) nothing is held.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

HELD = (signal.SIGINT, signal.SIGTERM)


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised as an exception (by :func:`terminate_raises`) so that every cleanup
    runs (temporary directories, locks) as it does for Ctrl-C."""


class HeldSignals:
    """Note SIGINT and SIGTERM instead of acting on them; :meth:`deliver` hands a noted one
    to the handler that was installed before (call it where stopping is safe)."""

    def __init__(self) -> None:
        self.caught: list[int] = []
        self._old: dict[int, object] = {}

    def __enter__(self) -> HeldSignals:
        if threading.current_thread() is threading.main_thread():
            self._install()
        return self

    def _install(self) -> None:
        for sig in HELD:
            handler = signal.getsignal(sig)
            if handler in (signal.SIG_IGN, None):  # ignored (a pool worker) or not Python's
                continue
            self._old[sig] = signal.signal(sig, self._note)

    def _note(self, signum: int, frame) -> None:
        self.caught.append(signum)

    def _restore(self) -> None:
        for sig, handler in self._old.items():
            signal.signal(sig, handler)
        self._old = {}

    def deliver(self) -> None:
        """If a signal was noted, act on it now as if it had just arrived (this usually
        raises ``KeyboardInterrupt`` or :class:`Terminated`); else nothing."""
        if not self.caught:
            return
        sig = self.caught[0]
        self.caught.clear()
        self._restore()
        try:
            signal.raise_signal(sig)  # runs the restored Python handler before returning
        finally:
            if threading.current_thread() is threading.main_thread():
                self._install()  # a handler that did not raise: keep holding

    def __exit__(self, kind, value, tb) -> None:
        caught = self.caught[:1] if kind is None else []
        self._restore()
        if caught:
            signal.raise_signal(caught[0])


def _raise_terminated(signum: int, frame) -> None:
    raise Terminated(f"terminated (signal {signum})")


@contextlib.contextmanager
def terminate_raises() -> Iterator[None]:
    """Within the block (main thread), SIGTERM raises :class:`Terminated` instead of ending
    the process at once, so ``finally`` blocks run; the previous handler comes back after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)
