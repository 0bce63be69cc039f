"""Questions on their way to the model, shared by the threads that ask them at once.

Wire copy that several outlets run word for word gives identical questions about identical
sentences, asked by different articles' workers at the same moment. :class:`Flights` lets
the first asker send the question and the others wait for its answer (or its error), so the
endpoint is asked once. Used by :class:`claimcheck.llm.LLM`, keyed by the response cache key.
"""

from __future__ import annotations

import copy
import threading


class Flight:
    """One question on its way to the backend; its answer's text or its error, once known."""

    def __init__(self) -> None:
        self._done = threading.Event()
        self._text = ""
        self._error: BaseException | None = None

    def wait(self) -> str:
        """The answer's text, or the asker's error raised again (a copy, so each thread
        raises its own object)."""
        self._done.wait()
        error = self._error
        if error is not None:
            try:
                mine = copy.copy(error)
            except Exception:  # an exception type that cannot be rebuilt from its args
                mine = error
            raise mine from error
        return self._text


class Flights:
    """Questions being asked now, by cache key: the first asker leads, the others wait."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: dict[str, Flight] = {}

    def join(self, key: str) -> tuple[Flight, bool]:
        """The flight for ``key``, and whether the caller leads it (and must ask)."""
        with self._lock:
            flight = self._open.get(key)
            if flight is not None:
                return flight, False
            flight = self._open[key] = Flight()
            return flight, True

    def land(self, key: str, flight: Flight, text: str) -> None:
        """The leader got ``text``: the waiting threads take it; later askers ask anew."""
        with self._lock:
            self._open.pop(key, None)
        flight._text = text
        flight._done.set()

    def fail(self, key: str, flight: Flight, error: BaseException) -> None:
        """The leader's question failed: the waiting threads raise ``error`` too."""
        with self._lock:
            self._open.pop(key, None)
        flight._error = error
        flight._done.set()
