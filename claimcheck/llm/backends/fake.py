"""A scripted backend for stage tests: same LLM code path, no network, no model."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from claimcheck.llm import Completion, CompletionRequest

Responder = Callable[[CompletionRequest], str]


class FakeBackend:
    """Answers from a list (in order) or from a function of the request.

    Every request is kept in ``requests`` so tests can assert what the stage asked.

    Example::

        fake = FakeBackend(['{"label": "injured"}'])
        llm = LLM(fake)
    """

    def __init__(
        self,
        answers: Iterable[str] | Responder,
        *,
        model: str = "fake-model",
        identity: str = "fake",
    ) -> None:
        self._responder: Responder | None = answers if callable(answers) else None
        self._answers: list[str] = [] if callable(answers) else list(answers)
        self._model = model
        self._identity = identity
        self._lock = threading.Lock()
        self.requests: list[CompletionRequest] = []
        self.closed = False

    @property
    def identity(self) -> str:
        return self._identity

    @property
    def model(self) -> str:
        return self._model

    def complete(self, request: CompletionRequest) -> Completion:
        with self._lock:
            self.requests.append(request)
            if self._responder is not None:
                text = self._responder(request)
            elif self._answers:
                text = self._answers.pop(0)
            else:
                raise AssertionError("FakeBackend ran out of scripted answers")
        prompt_tokens = sum(len(m.content.split()) for m in request.messages)
        return Completion(
            text=text, prompt_tokens=prompt_tokens, completion_tokens=len(text.split())
        )

    def close(self) -> None:
        self.closed = True
