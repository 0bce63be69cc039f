"""LLM backends: an OpenAI-compatible endpoint, the embedded llama.cpp server, and a fake.

:func:`make_backend` picks one the way the CLI does: a configured endpoint wins, otherwise
the embedded offline model runs.

The backend classes are imported on first use (PEP 562): the OpenAI SDK alone takes about a
second to import, and ``claimcheck --help`` or a run that never asks a model must not wait
for it.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimcheck import settings
from claimcheck._lazy import lazy_exports
from claimcheck.errors import ConfigError

if TYPE_CHECKING:
    from claimcheck.llm import Backend
    from claimcheck.llm.backends.fake import FakeBackend
    from claimcheck.llm.backends.local import EmbeddedBackend
    from claimcheck.llm.backends.openai_compat import OpenAIBackend

log = logging.getLogger(__name__)

_CLASSES = {
    "EmbeddedBackend": "claimcheck.llm.backends.local",
    "FakeBackend": "claimcheck.llm.backends.fake",
    "OpenAIBackend": "claimcheck.llm.backends.openai_compat",
}


__getattr__, __dir__ = lazy_exports(globals(), _CLASSES)


def make_backend(
    *,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    local_model: Path | None = None,
    timeout: float | None = None,
) -> Backend:
    """The backend for these settings.

    An endpoint is configured when ``base_url`` / ``api_key`` are given or
    ``OPENAI_BASE_URL`` / ``OPENAI_API_KEY`` are set: then an :class:`OpenAIBackend`.
    ``local_model`` (a GGUF path) asks for the embedded server explicitly and so beats an
    endpoint that only comes from the environment; together with an explicit ``base_url``
    it is a contradiction. Otherwise the embedded model runs (close it when done: its
    server process starts with the first question the cache cannot answer).

    Example::

        with LLM(make_backend()) as llm:
            ...
    """
    if local_model is not None:
        if base_url or api_key:
            raise ConfigError(
                "--local-model runs the embedded server; it cannot be combined with "
                "--base-url or an API key. Drop one of them"
            )
        if model:
            log.warning("--model %s is ignored by the embedded backend", model)
        return _embedded(model_path=local_model, request_timeout=timeout or _EMBEDDED_WAIT)
    endpoint = base_url or settings.openai_base_url()
    key = api_key or settings.openai_api_key()
    if endpoint or key:
        from claimcheck.llm.backends.openai_compat import OpenAIBackend

        return OpenAIBackend(
            model=model, base_url=base_url, api_key=api_key, timeout=timeout or _REMOTE_WAIT
        )
    if model:
        log.warning(
            "--model %s needs an endpoint (--base-url or OPENAI_BASE_URL); "
            "using the embedded model instead",
            model,
        )
    return _embedded(request_timeout=timeout or _EMBEDDED_WAIT)


def _embedded(**options: Any) -> Backend:
    from claimcheck.llm.backends.local import EmbeddedBackend

    return EmbeddedBackend(**options)


# Seconds to wait for one answer by default: a hosted endpoint answers in seconds; the
# embedded model on a busy two-core machine may need minutes for one long answer.
_REMOTE_WAIT = 300.0
_EMBEDDED_WAIT = 600.0


__all__ = ["EmbeddedBackend", "FakeBackend", "OpenAIBackend", "make_backend"]
