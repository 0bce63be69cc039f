"""The one way an LLM client is built: :class:`LLMSettings` → :func:`open_llm` → :class:`LLM`.

The command line, the review page (:mod:`claimcheck.web`), the Ray workers
(:class:`claimcheck.cluster.Endpoint`) and library callers all build their client here, so
the backend is chosen, the response cache opened and the question limits applied the same
way everywhere. The settings hold no key: an API key comes from the environment
(:mod:`claimcheck.settings`) when the backend is made, so the settings may be logged,
pickled to a worker or shown on a page.

Example::

    from claimcheck import LLMSettings, check, open_llm, read_articles

    with open_llm(LLMSettings(base_url="http://localhost:11434/v1", model="qwen2.5")) as llm:
        report = check(read_articles(["copy/"]), llm=llm)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimcheck.llm import LLM, Backend
from claimcheck.llm.backends import make_backend
from claimcheck.llm.cache import ResponseCache, cache_disabled_by_env

#: Called with ``model``, ``base_url``, ``local_model`` and, when one is set, ``timeout``;
#: :func:`claimcheck.llm.backends.make_backend` by default, a fake in tests.
BackendFactory = Callable[..., Backend]


@dataclass(frozen=True)
class LLMSettings:
    """Which model to ask and how: the options ``--model``, ``--base-url``,
    ``--local-model``, ``--timeout``, ``--no-cache``, ``--retry-failed`` and
    ``--max-questions`` of the command line, with the same defaults (None: the backend's or
    the environment's). ``cache_dir`` None is the default cache directory."""

    model: str | None = None
    base_url: str | None = None
    local_model: Path | None = None
    timeout: float | None = None
    no_cache: bool = False
    retry_failed: bool = False
    max_questions: int | None = None
    cache_dir: Path | None = None

    def backend(self, factory: BackendFactory | None = None) -> Backend:
        """A new backend for these settings (close it, or the LLM over it, when done)."""
        options: dict[str, Any] = {
            "model": self.model,
            "base_url": self.base_url,
            "local_model": self.local_model,
        }
        if self.timeout is not None:
            options["timeout"] = self.timeout
        return (factory or make_backend)(**options)

    def cache(self) -> ResponseCache | None:
        """The response cache to use, or None when ``no_cache`` or ``CLAIMCHECK_NO_CACHE``."""
        if self.no_cache or cache_disabled_by_env():
            return None
        return ResponseCache(self.cache_dir)


def open_llm(
    settings: LLMSettings | None = None,
    *,
    backend_factory: BackendFactory | None = None,
    on_question: Callable[[], None] | None = None,
) -> LLM:
    """A new :class:`LLM` over the backend and response cache ``settings`` ask for.

    Closing the LLM (or leaving its ``with`` block) stops the backend, then closes the
    cache. ``on_question`` is called before every question (the command line's ticker).

    Example::

        with open_llm(LLMSettings(no_cache=True)) as llm:
            claims = extract(articles, llm=llm)
    """
    chosen = settings or LLMSettings()
    backend = chosen.backend(backend_factory)
    store = chosen.cache()
    try:
        return LLM(
            backend,
            cache=store,
            retry_failed=chosen.retry_failed,
            max_questions=chosen.max_questions,
            on_question=on_question,
            close_cache=True,
        )
    except BaseException:
        if store is not None:
            store.close()
        raise


__all__ = ["BackendFactory", "LLMSettings", "open_llm"]
