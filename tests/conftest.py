"""Shared test setup: isolated environment, cassette hygiene, and LLM fixtures.

Cassettes (pytest-recording / vcrpy) are replay-only by default (``--record-mode=none`` in
pyproject), and the network is blocked except loopback, where the embedded llama.cpp server
and the tests' own fake HTTP servers listen. To re-record, run
``scripts/record-cassettes.sh`` (it starts the embedded server, records against it, stops it).

Fixtures for other test modules:

- ``fixtures_dir``   -- the repository's ``fixtures/`` directory (gold data);
- ``cache_dir``      -- this test's private cache directory (``CLAIMCHECK_CACHE_DIR``);
- ``fake_llm``       -- factory: ``fake_llm(answers, cache=False)`` -> ``LLM`` over ``FakeBackend``;
- ``openai_server``  -- a fake OpenAI-compatible HTTP server on 127.0.0.1 (scripted replies, or
  a ``faultserver.FaultInjector`` that answers the request's schema and injects faults);
- ``recorded_llm``   -- an ``LLM`` over ``OpenAIBackend`` for tests marked ``@pytest.mark.vcr``:
  the same code records against the embedded server and replays from the cassette.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from faultserver import FakeOpenAIServer, Reply, SeenRequest, chat_completion, error_body

from claimcheck.llm import LLM, memo
from claimcheck.llm.backends.fake import FakeBackend, Responder
from claimcheck.llm.backends.local import EMBEDDED_MODEL_NAME
from claimcheck.llm.backends.openai_compat import OpenAIBackend
from claimcheck.llm.cache import ResponseCache

REPO = Path(__file__).resolve().parent.parent

# Set by scripts/record-cassettes.sh to the embedded server it started (".../v1").
RECORD_BASE_URL_ENV = "CLAIMCHECK_RECORD_BASE_URL"
# In replay nothing is contacted: requests are matched on method, path and body, never on
# host or port (the embedded server picks a free port each time), so any loopback URL works.
REPLAY_BASE_URL = "http://127.0.0.1:8080/v1"

# Regexes for pytest-recording's socket guard. Loopback only: the embedded server and the
# fake OpenAI servers of the backend tests. AF_UNIX paths are local IPC, not network.
LOOPBACK_HOSTS = [r"^127\.0\.0\.1$", r"^localhost$", r"^::1$", r"^/"]

# Environment that would point a test at a real endpoint, a real key, or a shared cache.
_SCRUBBED_ENV = (
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "OPENAI_ORG_ID",
    "OPENAI_ORGANIZATION",
    "OPENAI_PROJECT_ID",
    "AZURE_OPENAI_API_KEY",
    "CLAIMCHECK_MODEL",
    "CLAIMCHECK_NO_CACHE",
    "CLAIMCHECK_BATCH",
    "CLAIMCHECK_LOCAL_THREADS",
)

# Never written to a cassette, in requests or responses.
SECRET_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "api-key",
        "x-api-key",
        "cookie",
        "set-cookie",
        "openai-organization",
        "openai-project",
    }
)
# Change on every call and carry nothing a test needs; dropping them keeps re-recordings diffable.
VOLATILE_RESPONSE_HEADERS = frozenset(
    {
        "date",
        "server",
        "x-request-id",
        "request-id",
        "openai-processing-ms",
        "openai-version",
        "cf-ray",
        "cf-cache-status",
        "alt-svc",
        "strict-transport-security",
        "keep-alive",
        "connection",
        "access-control-allow-origin",
    }
)
_VOLATILE_PREFIXES = ("x-ratelimit-", "x-stainless-", "cf-")


def _drop_header(name: str, *, response: bool) -> bool:
    lowered = name.lower()
    if lowered in SECRET_HEADERS:
        return True
    if lowered.startswith(_VOLATILE_PREFIXES):
        return True
    return response and lowered in VOLATILE_RESPONSE_HEADERS


def scrub_request(request: Any) -> Any:
    """vcrpy ``before_record_request``: remove secret and per-machine request headers."""
    for name in list(request.headers):
        if _drop_header(name, response=False):
            del request.headers[name]
    return request


def scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    """vcrpy ``before_record_response``: remove secret and volatile response headers."""
    headers = response.get("headers") or {}
    response["headers"] = {
        name: value for name, value in headers.items() if not _drop_header(name, response=True)
    }
    return response


@pytest.fixture
def vcr_config() -> dict[str, Any]:
    return {
        "filter_headers": sorted(SECRET_HEADERS),
        "filter_query_parameters": ["api-key", "api_key", "key"],
        "before_record_request": scrub_request,
        "before_record_response": scrub_response,
        "decode_compressed_response": True,
        "match_on": ["method", "path", "body"],
        "allow_playback_repeats": False,
        "allowed_hosts": LOOPBACK_HOSTS,
    }


@pytest.fixture(autouse=True)
def _cassette_fully_played(vcr: Any) -> Iterator[None]:
    """In replay, every recorded interaction must be used: a stale cassette fails the test."""
    yield
    if vcr is None or str(getattr(vcr, "record_mode", "")) not in {"none", "RecordMode.NONE"}:
        return
    if not vcr.all_played:
        unplayed = [
            f"{request.method} {request.path}"
            for index, (request, _) in enumerate(vcr.data)
            if vcr.play_counts[index] == 0
        ]
        pytest.fail(
            f"cassette {vcr._path} was only partly played; unused interactions: {unplayed}. "
            "The code under test now asks something else: re-record with "
            "scripts/record-cassettes.sh",
            pytrace=False,
        )


@pytest.fixture(autouse=True)
def _isolated_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """No key, endpoint or shared cache leaks in from the developer's environment."""
    for name in _SCRUBBED_ENV:
        monkeypatch.delenv(name, raising=False)
    directory = tmp_path_factory.mktemp("claimcheck-cache")
    monkeypatch.setenv("CLAIMCHECK_CACHE_DIR", str(directory))
    # `--no-cache` switches the derived-results store off for the rest of a process.
    monkeypatch.setattr(memo, "_switched_off", False)
    return directory


@pytest.fixture
def cache_dir(_isolated_env: Path) -> Path:
    """This test's private cache directory (what ``CLAIMCHECK_CACHE_DIR`` points at)."""
    return _isolated_env


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    """The repository's ``fixtures/`` directory (team-written articles and gold data)."""
    return REPO / "fixtures"


FakeLLMFactory = Callable[..., LLM]


@pytest.fixture
def fake_llm(cache_dir: Path) -> Iterator[FakeLLMFactory]:
    """``fake_llm(answers, *, cache=False, **llm_options)`` -> an ``LLM`` over ``FakeBackend``.

    ``answers`` is a list of JSON texts (served in order) or a function of the request. The
    backend is at ``llm.backend`` (its ``requests`` list records what was asked).
    """
    made: list[LLM] = []

    def make(answers: Iterable[str] | Responder, *, cache: bool = False, **options: Any) -> LLM:
        store = ResponseCache(cache_dir / f"fake-{len(made)}") if cache else None
        llm = LLM(FakeBackend(answers), cache=store, **options)
        made.append(llm)
        return llm

    yield make
    for llm in made:
        llm.close()
        if llm.cache is not None:
            llm.cache.close()


def recording_base_url(record_mode: str) -> str:
    """The server cassettes are recorded from, or the placeholder used in replay."""
    if record_mode == "none":
        return REPLAY_BASE_URL
    base_url = os.environ.get(RECORD_BASE_URL_ENV)
    if not base_url:
        pytest.fail(
            f"recording needs a model server: run scripts/record-cassettes.sh (it sets "
            f"{RECORD_BASE_URL_ENV}) instead of passing --record-mode by hand",
            pytrace=False,
        )
    return base_url


@pytest.fixture
def recorded_llm(record_mode: str) -> Iterator[LLM]:
    """An uncached ``LLM`` over ``OpenAIBackend`` for ``@pytest.mark.vcr`` tests.

    Recording and replay run exactly the same client code; only the base URL differs, and
    that is not part of the cassette match. The model name is the embedded model's, so a
    cassette holds what the default offline setup really answers.
    """
    backend = OpenAIBackend(base_url=recording_base_url(record_mode), model=EMBEDDED_MODEL_NAME)
    llm = LLM(backend)
    yield llm
    llm.close()


# --- Fake OpenAI-compatible servers on 127.0.0.1 (tests/faultserver.py; no SDK mocking) -------


@pytest.fixture
def openai_server() -> Iterator[FakeOpenAIServer]:
    """A fake OpenAI-compatible server on 127.0.0.1 (see :class:`FakeOpenAIServer`)."""
    server = FakeOpenAIServer()
    yield server
    server.close()


# Re-exported for the test modules that import them from here.
__all__ = ["FakeOpenAIServer", "Reply", "SeenRequest", "chat_completion", "error_body"]
