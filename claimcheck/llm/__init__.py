"""The LLM layer: the one door every stage reaches a model through, and its plumbing.

- :mod:`~claimcheck.llm.door`: :class:`LLM` ("an instance of this schema for these
  messages": validation, a bounded re-ask, retries, usage), the :class:`Backend` protocol
  and the request and answer types;
- :mod:`~claimcheck.llm.client`: :func:`open_llm`, the one factory, from :class:`LLMSettings`;
- :mod:`~claimcheck.llm.backends`: the endpoints (the embedded llama.cpp server, an
  OpenAI-compatible URL, a scripted fake);
- :mod:`~claimcheck.llm.prompts`: the templates of the top-level ``prompts/`` folder,
  rendered strictly;
- :mod:`~claimcheck.llm.cache` (answers on disk), :mod:`~claimcheck.llm.article_cache`
  (an article's claims beside them), :mod:`~claimcheck.llm.memo` (results derived from a
  text alone), :mod:`~claimcheck.llm.flights` (one question asked by several threads at
  once is sent once);
- :mod:`~claimcheck.llm.redact`: secrets out of every text that leaves the process.

The names below are imported on first use, so ``import claimcheck.llm.redact`` does not load
pydantic or the OpenAI SDK.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from claimcheck._lazy import lazy_exports

if TYPE_CHECKING:
    from claimcheck.llm.backends import make_backend
    from claimcheck.llm.cache import ResponseCache
    from claimcheck.llm.client import LLMSettings, open_llm
    from claimcheck.llm.door import (
        LLM,
        Backend,
        Completion,
        CompletionRequest,
        QuestionTally,
        Sampling,
        answers_or_nothing,
        cache_key,
        json_schema_for,
        note_question,
        tally,
    )

_EXPORTS: dict[str, str] = {
    "LLM": "claimcheck.llm.door",
    "Backend": "claimcheck.llm.door",
    "Completion": "claimcheck.llm.door",
    "CompletionRequest": "claimcheck.llm.door",
    "LLMSettings": "claimcheck.llm.client",
    "QuestionTally": "claimcheck.llm.door",
    "ResponseCache": "claimcheck.llm.cache",
    "Sampling": "claimcheck.llm.door",
    "answers_or_nothing": "claimcheck.llm.door",
    "cache_key": "claimcheck.llm.door",
    "json_schema_for": "claimcheck.llm.door",
    "make_backend": "claimcheck.llm.backends",
    "note_question": "claimcheck.llm.door",
    "open_llm": "claimcheck.llm.client",
    "tally": "claimcheck.llm.door",
}

__getattr__, __dir__ = lazy_exports(globals(), _EXPORTS)

__all__ = [
    "LLM",
    "Backend",
    "Completion",
    "CompletionRequest",
    "LLMSettings",
    "QuestionTally",
    "ResponseCache",
    "Sampling",
    "answers_or_nothing",
    "cache_key",
    "json_schema_for",
    "make_backend",
    "note_question",
    "open_llm",
    "tally",
]
