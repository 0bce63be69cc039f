"""The one door to a language model: "give me an instance of this schema for these messages".

Stages call :meth:`LLM.parse`. Underneath, a :class:`Backend` turns a
:class:`CompletionRequest` into raw JSON text (the OpenAI-compatible backend, the embedded
llama.cpp server, or a fake for tests). ``LLM`` wraps any backend with the same behaviour:

- a response cache keyed on everything that changes the answer;
- validation of every answer against the pydantic schema (and an optional check in code);
- a bounded re-ask that sends the validation error back to the model;
- usage accounting summed over the run.
"""

from __future__ import annotations

import contextvars
import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Protocol, TypeVar, runtime_checkable

from pydantic import BaseModel, ValidationError

from claimcheck import settings
from claimcheck.errors import (
    BackendError,
    BackendUnavailable,
    ConfigError,
    RequestRejected,
    StructuredOutputError,
    TransientError,
)
from claimcheck.llm.cache import ResponseCache
from claimcheck.llm.flights import Flights
from claimcheck.llm.prompts import Message, RenderedPrompt, render
from claimcheck.llm.redact import redact, redact_known
from claimcheck.models import Usage
from claimcheck.settings import ENV_MAX_QUESTIONS

log = logging.getLogger(__name__)

T = TypeVar("T", bound=BaseModel)

CACHE_KEY_VERSION = 1
#: Questions asked about one article at most, by default: a long article full of figures
#: would otherwise ask thousands (the cap is reported, never silent).
DEFAULT_MAX_QUESTIONS = 400
REASK_TEMPERATURE = 0.3
#: How long a question the model could not answer is remembered as unanswerable; after
#: that (or with ``retry_failed=True``, the CLI's ``--retry-failed``) it is asked again.
FAILURE_TTL_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class Sampling:
    """Sampling parameters. Greedy by default so answers are repeatable."""

    temperature: float = 0.0
    max_tokens: int = 512
    seed: int | None = 0


@dataclass(frozen=True)
class CompletionRequest:
    """What a backend is asked: messages plus the JSON schema the answer must fit."""

    messages: tuple[Message, ...]
    schema_name: str
    json_schema: dict[str, Any]
    sampling: Sampling = Sampling()


@dataclass(frozen=True)
class Completion:
    """A backend's raw answer and what it cost."""

    text: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    retries: int = 0
    mode: str = "json_schema"
    #: the server's own timing of the call where it sends one (llama.cpp: prompt_n tokens
    #: read anew, cache_n taken from its prompt cache, prompt_ms, predicted_n, predicted_ms)
    timings: Mapping[str, float] | None = None


@runtime_checkable
class Backend(Protocol):
    """A model endpoint. ``identity`` must be stable and must never contain a secret."""

    @property
    def identity(self) -> str: ...

    @property
    def model(self) -> str: ...

    def complete(self, request: CompletionRequest) -> Completion: ...

    def close(self) -> None: ...


@lru_cache(maxsize=512)
def json_schema_for(schema: type[BaseModel]) -> dict[str, Any]:
    """The JSON schema sent to the model for a pydantic class (the same dict every time:
    pydantic builds it anew on each call, a millisecond per question). Callers must not
    change it."""
    return schema.model_json_schema()


def cache_key(
    *,
    backend: str,
    model: str,
    prompt: RenderedPrompt,
    schema: dict[str, Any],
    sampling: Sampling,
) -> str:
    """A digest of everything that changes the answer."""
    material = {
        "v": CACHE_KEY_VERSION,
        "backend": backend,
        "model": model,
        "prompt": [prompt.id, prompt.version, prompt.sha256],
        "schema": schema,
        "sampling": [sampling.temperature, sampling.max_tokens, sampling.seed],
        "messages": [m.as_dict() for m in prompt.messages],
    }
    blob = json.dumps(material, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


@dataclass
class QuestionTally:
    """What happened to the questions of one unit of work (an article): how many were
    asked, answered, re-asked and failed. :func:`tally` collects it."""

    asked: int = 0
    answered: int = 0
    reasked: int = 0
    failed: int = 0
    failed_by_prompt: dict[str, int] = field(default_factory=dict)
    asked_by_prompt: dict[str, int] = field(default_factory=dict)
    #: questions not asked because the cap per article was reached (counted failed too)
    capped: int = 0
    cap: int | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def _count(self, prompt_id: str, outcome: str) -> None:
        with self.lock:
            if outcome == "asked":
                self.asked += 1
                self.asked_by_prompt[prompt_id] = self.asked_by_prompt.get(prompt_id, 0) + 1
            elif outcome == "answered":
                self.answered += 1
            elif outcome == "reasked":
                self.reasked += 1
            elif outcome == "failed":
                self.failed += 1
                self.failed_by_prompt[prompt_id] = self.failed_by_prompt.get(prompt_id, 0) + 1

    def unhealthy(self, *, max_share: float = 0.2) -> str | None:
        """Why these answers cannot be trusted as a clean result, or None when they can:
        more than ``max_share`` of the questions failed (at least two), or every question
        of one prompt failed (at least two of them), or the cap on questions was reached."""
        if self.capped:
            return (
                f"the cap of {self.cap} questions per article was reached and "
                f"{self.capped} more were not asked (raise it with --max-questions or "
                f"{ENV_MAX_QUESTIONS})"
            )
        if self.failed >= 2 and self.failed > max_share * self.asked:
            return f"{self.failed} of {self.asked} questions to the model got no valid answer"
        for prompt_id, failed in sorted(self.failed_by_prompt.items()):
            if failed >= 2 and failed == self.asked_by_prompt.get(prompt_id, 0):
                return f"every one of the {failed} {prompt_id!r} questions got no valid answer"
        return None


_tally: contextvars.ContextVar[QuestionTally | None] = contextvars.ContextVar(
    "claimcheck_question_tally", default=None
)


@contextmanager
def tally() -> Iterator[QuestionTally]:
    """Count the questions :meth:`LLM.parse` is asked inside this block (in this thread or
    task), for run health: an article whose questions mostly failed is not a clean result."""
    current = QuestionTally()
    token = _tally.set(current)
    try:
        yield current
    finally:
        _tally.reset(token)


_soft: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "claimcheck_soft_failures", default=None
)


@contextmanager
def answers_or_nothing() -> Iterator[list[str]]:
    """Inside this block a failing endpoint costs an answer, not the run: a backend error
    (a 5xx that outlived its retries, a timeout, a dropped connection) raised by
    :meth:`LLM.parse` becomes a StructuredOutputError, which callers treat as "no answer",
    and its message is appended to the yielded list so the report can say what was left
    undecided. Cross-checking runs inside it: one failed judgement must not throw away the
    findings code already made."""
    failures: list[str] = []
    token = _soft.set(failures)
    try:
        yield failures
    finally:
        _soft.reset(token)


def note_question(prompt_id: str, outcome: str) -> None:
    """Count one question of ``prompt_id`` ("asked", "answered", "reasked" or "failed") in
    the current :func:`tally`, for a stage that answers questions without :meth:`LLM.parse`
    (a batched call stands for several questions)."""
    current = _tally.get()
    if current is not None:
        current._count(prompt_id, outcome)


_note = note_question


@dataclass
class _Meter:
    lock: threading.Lock = field(default_factory=threading.Lock)
    usage: Usage = field(default_factory=Usage)

    def add(self, **counts: float) -> None:
        with self.lock:
            self.usage = self.usage + Usage(**counts)


class LLM:
    """Structured calls through a backend, with cache, validation, re-ask and usage.

    Example::

        from claimcheck import LLM, FakeBackend
        llm = LLM(FakeBackend(['{"answer": "yes"}']))
        verdict = llm.parse(MySchema, render("my.prompt", text="..."))
    """

    def __init__(
        self,
        backend: Backend,
        *,
        cache: ResponseCache | None = None,
        max_reasks: int = 2,
        sampling: Sampling | None = None,
        retry_failed: bool = False,
        circuit_breaker: int = 5,
        max_questions: int | None = None,
        on_question: Callable[[], None] | None = None,
        close_cache: bool = False,
    ) -> None:
        if max_reasks < 0:
            raise ConfigError(f"max_reasks must be 0 or more, not {max_reasks}")
        if circuit_breaker < 1:
            raise ConfigError(f"circuit_breaker must be 1 or more, not {circuit_breaker}")
        self.max_questions = max_questions if max_questions is not None else _env_cap()
        if self.max_questions < 1:
            raise ConfigError(f"max_questions must be 1 or more, not {self.max_questions}")
        self.on_question = on_question
        self.retry_failed = retry_failed
        self.circuit_breaker = circuit_breaker
        self._failures_in_a_row = 0
        self._answered_once = False
        self._breaker_lock = threading.Lock()
        self.backend = backend
        self.cache = cache
        self._close_cache = close_cache
        self.max_reasks = max_reasks
        self.sampling = sampling or Sampling()
        self._meter = _Meter()
        self._flights = Flights()

    @property
    def usage(self) -> Usage:
        """Usage summed over every call made through this instance."""
        return self._meter.usage

    def parse(
        self,
        schema: type[T],
        prompt: RenderedPrompt,
        *,
        sampling: Sampling | None = None,
        check: Callable[[T], None] | None = None,
    ) -> T:
        """Ask for an instance of ``schema``; ``check`` may raise ValueError to reject it.

        A rejected or malformed answer is sent back with the error, at most
        ``max_reasks`` times; then StructuredOutputError is raised. Past ``max_questions``
        questions about one article (one :func:`tally`), a question is not asked: it fails
        at once, and the article is reported incomplete.
        """
        current = _tally.get()
        if current is not None and current.asked >= self.max_questions:
            with current.lock:
                current.capped += 1
                current.cap = self.max_questions
            _note(prompt.id, "asked")
            _note(prompt.id, "failed")
            raise StructuredOutputError(
                f"not asked: the cap of {self.max_questions} questions per article was reached"
            )
        _note(prompt.id, "asked")
        if self.on_question is not None:
            self.on_question()
        try:
            value = self._parse(schema, prompt, sampling=sampling, check=check)
        except StructuredOutputError as exc:
            _note(prompt.id, "failed")
            self._meter.add(failed=1)
            soft = _soft.get()
            if soft is not None:
                # A question the model never answered within the schema is as unanswered
                # as one the endpoint refused: the report says so (exit 3), not "clean".
                soft.append(f"{prompt.id}: {exc}")
            raise
        except RequestRejected as exc:
            # One refused request is that question's failure (run health counts it), never
            # the article's: the other questions are still asked.
            _note(prompt.id, "failed")
            self._meter.add(failed=1)
            soft = _soft.get()
            if soft is not None:
                soft.append(f"{prompt.id}: {exc}")
            raise StructuredOutputError(f"no answer to {prompt.id!r}: {exc}") from exc
        except BackendError as exc:
            soft = _soft.get()
            if soft is None or isinstance(exc, ConfigError):
                raise
            _note(prompt.id, "failed")
            self._meter.add(failed=1)
            soft.append(f"{prompt.id}: {exc}")
            raise StructuredOutputError(f"no answer to {prompt.id!r}: {exc}") from exc
        _note(prompt.id, "answered")
        return value

    def _parse(
        self,
        schema: type[T],
        prompt: RenderedPrompt,
        *,
        sampling: Sampling | None,
        check: Callable[[T], None] | None,
    ) -> T:
        sampling = sampling or self.sampling
        json_schema = json_schema_for(schema)
        prior: tuple[str, str] | None = None  # an answer this caller rejects, and why
        key = cache_key(
            backend=self.backend.identity,
            model=self.backend.model,
            prompt=prompt,
            schema=json_schema,
            sampling=sampling,
        )
        if self.cache is not None:
            cached = self.cache.get(key)
            failed = _failure_of(cached)
            if failed is not None and (self.retry_failed or failed.expired()):
                self.cache.delete(key)
                cached, failed = None, None
            if failed is not None and failed.tries >= self.max_reasks + 1:
                # The same question to the same model failed before, as it would again: a
                # rerun that resumes a batch must not pay for it twice. The answers it gave
                # are checked again first, in case the checks have changed since.
                self._meter.add(cache_hits=1)
                for answer in failed.answers:
                    try:
                        value = _validate(schema, answer, check)
                    except ValueError:
                        continue
                    self.cache.set(key, answer)
                    return value
                raise StructuredOutputError(
                    _give_up(prompt.id, schema.__name__, failed.tries, failed.error)
                    + " (remembered from an earlier run; `claimcheck cache clear` asks again)"
                )
            if cached is not None and failed is None:
                try:
                    value = _validate(schema, cached, check)
                except ValueError as exc:
                    if _fits(schema, cached):
                        # A sound answer this caller's own check rejects (another article
                        # with the same sentence accepted it): the model is told why, as
                        # after any rejected answer; asking the same again would repeat it.
                        prior = (cached, str(exc))
                    else:
                        log.warning("cache entry %s… is invalid (%s); asking again", key[:12], exc)
                        self.cache.delete(key)
                else:
                    self._meter.add(cache_hits=1)
                    return value

        # One question asked by several threads at once (wire copy that outlets run word for
        # word gives identical questions about identical sentences) is sent once: the others
        # wait for its answer and take it as if from the cache.
        flight, leader = self._flights.join(key)
        if not leader:
            text = flight.wait()
            try:
                value = _validate(schema, text, check)
            except ValueError as exc:
                # their own check rejects it: they go on from it, as from a cached answer
                return self._ask_text(
                    schema, prompt, key, json_schema, sampling, check, (text, str(exc))
                )[0]
            self._meter.add(cache_hits=1)
            return value
        try:
            value, text = self._ask_text(schema, prompt, key, json_schema, sampling, check, prior)
        except BaseException as exc:
            self._flights.fail(key, flight, exc)
            raise
        self._flights.land(key, flight, text)
        return value

    def _ask_text(
        self,
        schema: type[T],
        prompt: RenderedPrompt,
        key: str,
        json_schema: dict[str, Any],
        sampling: Sampling,
        check: Callable[[T], None] | None,
        prior: tuple[str, str] | None = None,
    ) -> tuple[T, str]:
        """Ask the backend (re-asking within the bound) and cache what comes back; the
        value and the accepted answer's text. ``prior`` is an answer already rejected and
        why: the asking then starts at the first re-ask."""
        messages = prompt.messages
        last_error = ""
        rejected: list[str] = []
        first = 0
        if prior is not None:
            answer, last_error = prior
            rejected.append(answer)
            messages = _reask_messages(prompt, answer, last_error)
            first = 1
        for attempt in range(first, self.max_reasks + 1):
            request = CompletionRequest(
                messages=messages,
                schema_name=schema.__name__,
                json_schema=json_schema,
                sampling=_reask_sampling(sampling, attempt),
            )
            started = time.perf_counter()
            if attempt:
                _note(prompt.id, "reasked")
            self._check_breaker()
            try:
                completion = self.backend.complete(request)
            except BackendUnavailable as exc:
                self._meter.add(failed_requests=1, seconds=time.perf_counter() - started)
                self._trip(exc)
                if self._answered_once and not self._breaker_open():
                    # An endpoint that has answered in this run and loses one request (all
                    # its retries) fails that question, not the run: the breaker stops the
                    # run after ``circuit_breaker`` failed requests in a row.
                    raise TransientError(str(exc)) from exc
                raise
            except BackendError as exc:
                self._meter.add(failed_requests=1, seconds=time.perf_counter() - started)
                self._trip(exc)
                raise
            with self._breaker_lock:
                self._failures_in_a_row = 0
                self._answered_once = True
            self._meter.add(
                calls=1,
                prompt_tokens=completion.prompt_tokens,
                completion_tokens=completion.completion_tokens,
                retries=completion.retries,
                reasks=1 if attempt else 0,
                seconds=time.perf_counter() - started,
            )
            try:
                value = _validate(schema, completion.text, check)
            except ValueError as exc:
                last_error = str(exc)
                rejected.append(completion.text)
                log.info("answer to %s did not fit (%s); re-asking", prompt.id, last_error)
                messages = _reask_messages(prompt, completion.text, last_error)
                continue
            if self.cache is not None:
                self.cache.set(key, redact_known(completion.text, short=False))
            return value, completion.text
        if self.cache is not None:
            # A failed answer may echo anything the server saw, the key included: it is
            # kept only redacted (it is shown again only as the reason of the failure).
            record = {
                "tries": self.max_reasks + 1,
                "error": redact(last_error),
                "answers": [redact(answer) for answer in rejected],
                "at": time.time(),
            }
            self.cache.set(key, _FAILED + json.dumps(record))
        raise StructuredOutputError(
            _give_up(prompt.id, schema.__name__, self.max_reasks + 1, last_error)
        )

    def count_cache_hits(self, answers: int) -> None:
        """Count ``answers`` as served from the cache without passing through :meth:`parse`
        (the pipeline keeps whole articles' claims, and a re-run takes them at once)."""
        self._meter.add(cache_hits=answers)

    def _breaker_open(self) -> bool:
        with self._breaker_lock:
            return self._failures_in_a_row >= self.circuit_breaker

    def _check_breaker(self) -> None:
        with self._breaker_lock:
            failures = self._failures_in_a_row
        if failures >= self.circuit_breaker:
            raise BackendUnavailable(
                f"{self.backend.identity.split('|')[-1]} failed {failures} requests in a row "
                "(each after its own retries); stopped asking it for the rest of this run"
            )

    def _trip(self, exc: BackendError) -> None:
        """Count a request the endpoint did not answer; configuration errors do not count."""
        if isinstance(exc, (StructuredOutputError, ConfigError)):
            return
        with self._breaker_lock:
            self._failures_in_a_row += 1

    def close(self) -> None:
        """Release the backend (stops an embedded server), then the cache when this LLM
        owns it (``close_cache=True``, as :func:`claimcheck.llm.client.open_llm` builds it)."""
        try:
            self.backend.close()
        finally:
            if self._close_cache and self.cache is not None:
                self.cache.close()

    def __enter__(self) -> LLM:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _env_cap() -> int:
    raw = settings.text(ENV_MAX_QUESTIONS)
    if not raw:
        return DEFAULT_MAX_QUESTIONS
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(
            f"{ENV_MAX_QUESTIONS}={raw!r} is not a whole number; set it to the most questions "
            "to ask about one article"
        ) from None


# Marks a cache entry that records a question the model could not answer (never valid JSON).
_FAILED = "\x00claimcheck:unanswered:"


@dataclass(frozen=True)
class _Failure:
    """A remembered question the model could not answer: tries, last error, its answers."""

    tries: int
    error: str
    answers: tuple[str, ...]
    at: float = 0.0  # when it failed (seconds since the epoch); 0 for records before 1.2

    def expired(self, now: float | None = None) -> bool:
        """Whether the failure is old enough to be asked again."""
        return (now if now is not None else time.time()) - self.at > FAILURE_TTL_SECONDS


def _failure_of(cached: str | None) -> _Failure | None:
    """The failure a cache entry records, else None (an ordinary answer or no entry)."""
    if cached is None or not cached.startswith(_FAILED):
        return None
    try:
        record = json.loads(cached[len(_FAILED) :])
        answers = tuple(map(str, record["answers"]))
        at = float(record.get("at", time.time()))
        return _Failure(int(record["tries"]), str(record["error"]), answers, at)
    except (ValueError, KeyError, TypeError):
        return None  # unreadable: treated like any corrupt entry, recomputed


def _give_up(prompt_id: str, schema_name: str, tries: int, last_error: str) -> str:
    return (
        f"the model's answers to prompt {prompt_id!r} did not fit {schema_name} after "
        f"{tries} tries (last error: {_short(last_error)}); "
        "a stronger model (--model/--base-url) usually fixes this"
    )


def _reask_sampling(sampling: Sampling, attempt: int) -> Sampling:
    """Sampling for try number ``attempt`` (0 = the first ask).

    Greedy decoding gives a small model's rejected answer back word for word, so a re-ask
    samples a little (seeded by the attempt, so reruns stay repeatable).
    """
    if attempt == 0 or sampling.temperature >= REASK_TEMPERATURE:
        return sampling
    seed = (sampling.seed or 0) + attempt
    return replace(sampling, temperature=REASK_TEMPERATURE, seed=seed)


def _reask_messages(prompt: RenderedPrompt, answer: str, error: str) -> tuple[Message, ...]:
    """The question, the rejected answer, and why it was rejected."""
    reask = render("reask", error=_short(error))
    return (*prompt.messages, Message(role="assistant", content=answer), *reask.messages)


def _fits(schema: type[BaseModel], text: str) -> bool:
    """Whether ``text`` is an instance of ``schema`` (whatever a caller's check says)."""
    try:
        schema.model_validate_json(_strip_fences(text))
    except ValidationError:
        return False
    return True


def _validate(schema: type[T], text: str, check: Callable[[T], None] | None) -> T:
    """Parse ``text`` as ``schema``; ValidationError and check failures become ValueError."""
    try:
        value = schema.model_validate_json(_strip_fences(text))
    except ValidationError as exc:
        raise ValueError(_describe(exc)) from None
    if check is not None:
        check(value)
    return value


def _strip_fences(text: str) -> str:
    """Models in plain-JSON mode often wrap JSON in Markdown fences; take what is inside."""
    stripped = text.strip()
    if stripped.startswith("```"):
        stripped = stripped.split("\n", 1)[1] if "\n" in stripped else ""
        stripped = stripped.rsplit("```", 1)[0]
    return stripped.strip()


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        loc = ".".join(str(p) for p in err["loc"]) or "answer"
        parts.append(f"{loc}: {err['msg']}")
    return "; ".join(parts)


def _short(text: str, limit: int = 400) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
