"""Every environment variable claimcheck reads, in one place: its name, default and meaning.

This module imports nothing of claimcheck, so every other module may use it. No other
module of the package reads the environment (``tests/test_settings.py`` fails if
one does): they call the functions below, which read it at the moment they are called, so a
variable set or changed while a process runs (as between tests) is seen. Options given on
the command line or as arguments win over these; the defaults live beside the code they
tune, and each function says which.

=============================  ==========================================================
variable                       meaning (default)
=============================  ==========================================================
``OPENAI_API_KEY``             key of a hosted endpoint; with a key or a base URL,
                               claimcheck uses that endpoint (none: the embedded model)
``OPENAI_BASE_URL``            an OpenAI-compatible endpoint (none)
``CLAIMCHECK_MODEL``           model name at the endpoint (``gpt-4o-mini``)
``CLAIMCHECK_LOCAL_MODEL``     a GGUF file for the embedded server (the bundled model)
``CLAIMCHECK_LOCAL_THREADS``   CPU threads of the embedded server (the idle cores, >= 1)
``CLAIMCHECK_CACHE_DIR``       the cache directory (the user cache dir's ``claimcheck``)
``CLAIMCHECK_NO_CACHE``        ``1``/``true``/``yes``/``on``: keep nothing between runs
``CLAIMCHECK_BATCH``           candidates of one kind asked per model call (0: one each)
``CLAIMCHECK_MAX_QUESTIONS``   questions asked about one article at most (400)
``CLAIMCHECK_FAIL_ON``         default of ``--fail-on`` (``high``)
``CLAIMCHECK_PRICES``          price table file for the cost estimate (the built-in one)
``CLAIMCHECK_SERVE_TOKEN``     default of ``serve --token`` (none; click reads it)
``CLAIMCHECK_SPARQL_ENDPOINT`` default of ``kb refresh --endpoint`` (Wikidata; click
                               reads it)
=============================  ==========================================================

Besides these, the values of variables whose names end in ``KEY``, ``TOKEN``, ``SECRET`` or
``PASSWORD`` are read only to be masked in every message, log line and cache entry
(:mod:`claimcheck.llm.redact`). The user documentation of the same table is ``docs/cli.md``
("Environment").
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

OPENAI_API_KEY = "OPENAI_API_KEY"
OPENAI_BASE_URL = "OPENAI_BASE_URL"
ENV_MODEL = "CLAIMCHECK_MODEL"
ENV_LOCAL_MODEL = "CLAIMCHECK_LOCAL_MODEL"
ENV_LOCAL_THREADS = "CLAIMCHECK_LOCAL_THREADS"
ENV_CACHE_DIR = "CLAIMCHECK_CACHE_DIR"
ENV_NO_CACHE = "CLAIMCHECK_NO_CACHE"
ENV_BATCH = "CLAIMCHECK_BATCH"
ENV_MAX_QUESTIONS = "CLAIMCHECK_MAX_QUESTIONS"
ENV_FAIL_ON = "CLAIMCHECK_FAIL_ON"
ENV_PRICES = "CLAIMCHECK_PRICES"
ENV_SERVE_TOKEN = "CLAIMCHECK_SERVE_TOKEN"
ENV_SPARQL_ENDPOINT = "CLAIMCHECK_SPARQL_ENDPOINT"

#: Every variable above, in the order of the table (tests/test_settings.py pins the
#: documentation to it).
VARIABLES = (
    OPENAI_API_KEY,
    OPENAI_BASE_URL,
    ENV_MODEL,
    ENV_LOCAL_MODEL,
    ENV_LOCAL_THREADS,
    ENV_CACHE_DIR,
    ENV_NO_CACHE,
    ENV_BATCH,
    ENV_MAX_QUESTIONS,
    ENV_FAIL_ON,
    ENV_PRICES,
    ENV_SERVE_TOKEN,
    ENV_SPARQL_ENDPOINT,
)

_TRUE = frozenset({"1", "true", "yes", "on"})


def text(name: str) -> str:
    """The variable's value without surrounding blanks; ``""`` when unset. Numbers are
    parsed, and refused with a ConfigError, by the module whose default they replace
    (``CLAIMCHECK_LOCAL_THREADS`` in :mod:`claimcheck.llm.backends.local`,
    ``CLAIMCHECK_MAX_QUESTIONS`` in :mod:`claimcheck.llm`, ``CLAIMCHECK_BATCH`` in
    :mod:`claimcheck.extract.batch`)."""
    return os.environ.get(name, "").strip()


def openai_api_key() -> str | None:
    """``OPENAI_API_KEY`` as set (None when unset)."""
    return os.environ.get(OPENAI_API_KEY)


def openai_base_url() -> str | None:
    """``OPENAI_BASE_URL`` as set (None when unset)."""
    return os.environ.get(OPENAI_BASE_URL)


def model() -> str | None:
    """``CLAIMCHECK_MODEL``, or None when unset or empty (the backend picks its default)."""
    return os.environ.get(ENV_MODEL) or None


def local_model() -> str | None:
    """``CLAIMCHECK_LOCAL_MODEL``, or None when unset or empty (the bundled model)."""
    return os.environ.get(ENV_LOCAL_MODEL) or None


def cache_dir() -> Path | None:
    """``CLAIMCHECK_CACHE_DIR`` with ``~`` expanded, or None when unset or empty."""
    override = os.environ.get(ENV_CACHE_DIR)
    return Path(override).expanduser() if override else None


def no_cache() -> bool:
    """True when ``CLAIMCHECK_NO_CACHE`` is set to a true-looking value."""
    return text(ENV_NO_CACHE).lower() in _TRUE


def fail_on(default: str) -> str:
    """``CLAIMCHECK_FAIL_ON`` as set, else ``default`` (click checks the value)."""
    return os.environ.get(ENV_FAIL_ON, default)


def prices_file() -> str | None:
    """``CLAIMCHECK_PRICES``, or None when unset or empty (the built-in price table)."""
    return os.environ.get(ENV_PRICES) or None


def values_of_names_ending(suffixes: Sequence[str], *, any_case: bool = False) -> list[str]:
    """The values of the variables whose names end with one of ``suffixes`` (compared in
    upper case with ``any_case``), empty ones included: the secrets to mask."""
    ends = tuple(suffixes)
    return [
        value
        for name, value in os.environ.items()
        if (name.upper() if any_case else name).endswith(ends)
    ]
