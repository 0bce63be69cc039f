"""The one place the stages meet: read → extract → cross-check → :class:`Report`.

Stage modules never import each other; this module composes them. It is built for batches
of thousands of articles:

- extraction runs concurrently, bounded by a semaphore; the synchronous LLM calls run in
  worker threads;
- one article's failure never sinks the run: the article stays in the report with its error
  (``Report.errors``) and the others go on. Because :class:`~claimcheck.llm.LLM` caches
  every validated answer, rerunning the same batch repeats no call that already succeeded;
- a failure that no article can survive (no endpoint, missing model file, bad
  configuration, a broken prompt template) stops the run at once instead of failing
  thousands of articles one by one;
- a progress callback sees every article start, finish or fail;
- a re-run costs no extraction work for an article whose every question was answered
  before: its claims are kept in the response cache too (:mod:`claimcheck.llm.article_cache`),
  keyed on the article, the model and a digest of claimcheck's own code, data and prompts,
  so any change to how claims are found asks the per-question cache again instead.

Example::

    from claimcheck import check, open_llm, read_articles

    with open_llm() as llm:
        report = check(read_articles(["copy/"]), llm=llm, concurrency=4)
    for finding in report.findings:
        print(finding.severity.value, finding.explanation)
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Coroutine, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from typing_extensions import Unpack

from claimcheck.crosscheck import cross_check
from claimcheck.errors import (
    BackendUnavailable,
    ConfigError,
    ModelFileError,
    PromptError,
    StructuredOutputError,
)
from claimcheck.extract import extract_claims
from claimcheck.extract.batch import batch_size_from_env
from claimcheck.grouping import read_grouping
from claimcheck.llm import LLM, answers_or_nothing, tally
from claimcheck.llm.article_cache import ArticleCache, extraction_fingerprint
from claimcheck.llm.redact import redact
from claimcheck.models import (
    Article,
    ArticleClaims,
    ArticleError,
    Claim,
    Evidence,
    Finding,
    Report,
    Usage,
)
from claimcheck.options import (
    CheckOptions,
    CrossChecker,
    CrossCheckOutcome,
    Extractor,
    ProgressEvent,
    RunKeywords,
    options_from,
)
from claimcheck.options import Progress as Progress

log = logging.getLogger(__name__)

#: ``ArticleError.article_id`` of the error that says cross-checking lost model answers.
CROSSCHECK_ERROR_ID = "(cross-check)"

R = TypeVar("R")

# Failures that every later article would hit too: stop instead of recording each one.
# A missing or broken prompt template is one of them (a damaged install).
_FATAL: tuple[type[Exception], ...] = (
    ModelFileError,
    ConfigError,
    PromptError,
)
# The endpoint is gone (unreachable, or the circuit breaker opened after repeated failures):
# stop asking, but report what was done and name every article left unchecked.
_STOP: tuple[type[Exception], ...] = (BackendUnavailable,)


@dataclass(frozen=True)
class Extraction:
    """The outcome of extracting a batch: claims of the articles that worked, errors of the rest."""

    items: tuple[ArticleClaims, ...]
    errors: tuple[ArticleError, ...]


# --------------------------------------------------------------------------- extraction


async def aextract(
    articles: Sequence[Article],
    *,
    llm: LLM,
    concurrency: int = 1,
    progress: Progress | None = None,
    extractor: Extractor | None = None,
    options: CheckOptions | None = None,
) -> Extraction:
    """Extract the claims of every article, at most ``concurrency`` at a time.

    Results keep the input order. An article that fails is recorded in ``errors``; a fatal
    backend or configuration error is raised. ``options`` gives ``concurrency``,
    ``progress`` and ``extractor`` as one :class:`CheckOptions` (its other fields are for
    the cross-check).
    """
    run_options = options_from(
        options, concurrency=concurrency, progress=progress, extractor=extractor
    )
    concurrency = run_options.concurrency
    progress = run_options.progress
    extractor = run_options.extractor
    if concurrency < 1:
        raise ConfigError(f"concurrency must be at least 1, not {concurrency}")
    _check_unique_ids(articles)
    extractor_ = extractor or extract_claims

    incomplete: list[ArticleError] = []
    # Only the built-in stage: the fingerprint says nothing about another extractor's code.
    # Batched and one-at-a-time questions may read an article differently: the batch size
    # the built-in stage reads is part of the whole-article key.
    done_before = ArticleCache.of(llm, batch=batch_size_from_env()) if extractor is None else None

    def run(article: Article, llm: LLM) -> ArticleClaims:
        if done_before is not None:
            cached = done_before.get(article)
            if cached is not None:
                return cached
        with tally() as questions:
            result = extractor_(article, llm)
        if done_before is not None and questions.failed == 0:
            # An article with a failed question is not kept whole: its failures are
            # remembered one by one, expire, and --retry-failed asks them again.
            done_before.set(article, result, answers=questions.asked)
        problem = questions.unhealthy()
        if problem is not None and not result.claims:
            raise StructuredOutputError(
                f"{problem} and no claim was left, so it is reported as not checked (a "
                "stronger model, --model/--base-url, usually fixes this; --retry-failed asks "
                "the failed questions again)"
            )
        if problem is not None:
            # Too many questions failed for a clean result, but the claims that were read
            # are kept and cross-checked: nothing is lost, and the run is not clean (exit 3).
            incomplete.append(
                ArticleError(
                    article_id=article.id,
                    stage="extract",
                    error="IncompleteExtraction",
                    message=f"{problem}; its claims are incomplete, so findings may be "
                    "missing (a stronger model, --model/--base-url, usually fixes this; "
                    "--retry-failed asks the failed questions again)",
                )
            )
        return result

    gate = asyncio.Semaphore(concurrency)
    total = len(articles)
    finished = 0

    def emit(
        status: Literal["started", "done", "failed"], article: Article, err: str | None
    ) -> None:
        if progress is not None:
            progress(ProgressEvent("extract", status, article.id, finished, total, err))

    stopping = False
    stopped_by: str | None = None

    async def one(article: Article) -> ArticleClaims | ArticleError | None:
        nonlocal finished, stopping, stopped_by
        async with gate:
            if stopped_by is not None:
                finished += 1
                failure = ArticleError(
                    article_id=article.id,
                    error="BackendUnavailable",
                    message=f"not checked: the run stopped asking the model ({stopped_by})",
                )
                emit("failed", article, failure.message)
                return failure
            if stopping:
                # A fatal error elsewhere ends the run; do not start more work in the meantime.
                return None
            emit("started", article, None)
            try:
                result = await loop.run_in_executor(workers, run, article, llm)
            except _FATAL:
                stopping = True
                raise
            except _STOP as exc:
                stopped_by = redact(str(exc)) or type(exc).__name__
                log.error("stopped asking the model: %s", stopped_by)
                finished += 1
                failure = ArticleError(
                    article_id=article.id, error=type(exc).__name__, message=stopped_by
                )
                emit("failed", article, failure.message)
                return failure
            except Exception as exc:  # isolate any per-article failure; see module doc
                log.warning("extraction of %s failed: %s", article.id, exc)
                log.debug("traceback of the failure on %s", article.id, exc_info=True)
                finished += 1
                failure = ArticleError(
                    article_id=article.id,
                    stage="extract",
                    error=type(exc).__name__,
                    message=redact(str(exc)) or type(exc).__name__,
                )
                emit("failed", article, failure.message)
                return failure
            finished += 1
            emit("done", article, None)
            return result

    loop = asyncio.get_running_loop()
    # Own workers, sized to the bound: the loop's default executor has min(32, CPUs + 4)
    # threads, which would silently cap a high --concurrency on a small machine.
    workers = ThreadPoolExecutor(concurrency, thread_name_prefix="claimcheck-extract")
    tasks = [asyncio.ensure_future(one(a)) for a in articles]
    try:
        outcomes = await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        # Waiting here would hold Ctrl-C (or a fatal error) until every call in flight had
        # finished its retries, minutes on a slow endpoint. Queued articles are dropped;
        # calls in flight end on their own and still fill the cache.
        workers.shutdown(wait=False, cancel_futures=True)
        raise
    workers.shutdown(wait=True)
    items = tuple(o for o in outcomes if isinstance(o, ArticleClaims))
    order = {a.id: n for n, a in enumerate(articles)}
    errors = tuple(
        sorted(
            [o for o in outcomes if isinstance(o, ArticleError)] + incomplete,
            key=lambda e: order.get(e.article_id, len(order)),
        )
    )
    return Extraction(items=items, errors=errors)


def extract(
    articles: Sequence[Article],
    *,
    llm: LLM,
    concurrency: int = 1,
    progress: Progress | None = None,
    extractor: Extractor | None = None,
    options: CheckOptions | None = None,
) -> list[ArticleClaims]:
    """Extract the grounded claims of each article; failed articles are left out (and logged).

    Use :func:`aextract` to get the errors too. ``options`` is as in :func:`aextract`.

    Example::

        claims = extract(read_articles(["a.md", "b.md"]), llm=llm, concurrency=2)
    """
    run = options_from(options, concurrency=concurrency, progress=progress, extractor=extractor)
    result = run_sync(aextract(articles, llm=llm, options=run))
    return list(result.items)


# --------------------------------------------------------------------------- comparison


def compare(
    items: Sequence[ArticleClaims],
    *,
    llm: LLM | None = None,
    options: CheckOptions | None = None,
    **keywords: Unpack[RunKeywords],
) -> Report:
    """Cross-check claims that were already extracted (no extraction call is made).

    With ``llm=None`` the cross-check itself makes no LLM call either.

    ``model_knowledge=True`` (off by default; needs ``llm``, else ConfigError) also asks the
    model, from its own knowledge, about every title the office-holder ``knowledge`` cannot
    decide (every title when ``knowledge`` is None), once per distinct person, title and
    date: was this person this title on this date? Only a "no" is reported, as a
    low-severity misattribution with ``basis=model`` and confidence 0.35 whose explanation
    says it rests on the model's knowledge and should be verified. Titles the knowledge
    settles are never asked. The calls are counted in ``Report.usage``.

    ``concurrency``: how many events ask the model their questions at once (the findings
    do not depend on it). ``options`` gives these as one :class:`CheckOptions` (its
    ``extractor`` is not used: nothing is extracted here).

    Example::

        items = [ArticleClaims.model_validate_json(p.read_text()) for p in paths]
        report = compare(items, as_of=date(2025, 11, 14))
    """
    run_options = options_from(options, **keywords)
    knowledge, as_of, grouping = run_options.knowledge, run_options.as_of, run_options.grouping
    progress, checker = run_options.progress, run_options.checker
    model_knowledge, concurrency = run_options.model_knowledge, run_options.concurrency
    _check_unique_ids([i.article for i in items])
    if grouping:
        _warn_unknown_ids(grouping, {i.article.id for i in items})
    before = llm.usage if llm is not None else Usage()
    total = len(items)
    if progress is not None:
        progress(ProgressEvent("compare", "started", None, 0, total))
    # The built-in cross-checker asks the questions of up to ``concurrency`` events at once;
    # a checker of the caller's keeps the protocol it was written for.
    run: CrossChecker = checker or functools.partial(cross_check, concurrency=concurrency)
    with answers_or_nothing() as failed:
        outcome = run(
            items,
            llm=llm,
            knowledge=knowledge,
            as_of=as_of,
            grouping=grouping,
            model_knowledge=model_knowledge,
        )
    errors: tuple[ArticleError, ...] = ()
    if failed:
        log.warning("%d questions to the model failed during cross-checking", len(failed))
        errors = (
            ArticleError(
                article_id=CROSSCHECK_ERROR_ID,
                stage="crosscheck",
                error="BackendError",
                message=redact(
                    f"{len(failed)} questions to the model failed during cross-checking, so "
                    "what they would have decided (event grouping, fact pairs, model-knowledge "
                    "titles, the re-reading of a finding's figures or quotes, whose findings "
                    f"then stay at most low) was left undecided; first: {failed[0]}"
                ),
            ),
        )
    if progress is not None:
        progress(ProgressEvent("compare", "done", None, total, total))
    claims: list[Claim] = [c for item in items for c in item.claims]
    used = llm.usage - before if llm is not None else Usage()
    return Report(
        articles=tuple(i.article for i in items),
        events=tuple(outcome.events),
        claims=tuple(claims),
        findings=tuple(outcome.findings),
        usage=used,
        crosscheck_usage=used,
        verification_questions=getattr(outcome, "verification_questions", 0),
        model=llm.backend.model if llm is not None else None,
        as_of=as_of,
        errors=errors,
    )


# --------------------------------------------------------------------------- whole runs


async def acheck(
    articles: Sequence[Article],
    *,
    llm: LLM,
    options: CheckOptions | None = None,
    **keywords: Unpack[RunKeywords],
) -> Report:
    """Async twin of :func:`check`, for callers that already run an event loop.

    ``model_knowledge`` and ``options`` are as in :func:`check`.

    Example::

        report = await acheck(articles, llm=llm, concurrency=8)
    """
    run = options_from(options, **keywords)
    before = llm.usage
    extraction = await aextract(articles, llm=llm, options=run)
    compared = await asyncio.to_thread(compare, extraction.items, llm=llm, options=run)
    # Failed articles stay in the report, in input order, so no input silently disappears.
    return Report(
        articles=tuple(articles),
        events=compared.events,
        claims=compared.claims,
        findings=compared.findings,
        usage=llm.usage - before,
        crosscheck_usage=compared.crosscheck_usage,
        verification_questions=compared.verification_questions,
        model=llm.backend.model,
        as_of=run.as_of,
        errors=extraction.errors + compared.errors,
    )


def check(
    articles: Sequence[Article],
    *,
    llm: LLM,
    options: CheckOptions | None = None,
    **keywords: Unpack[RunKeywords],
) -> Report:
    """Extract the claims of every article, cross-check them, and report the findings.

    The run's options are the fields of :class:`CheckOptions`, given as keywords
    (``knowledge``, ``as_of``, ``grouping``, ``concurrency``, ``progress``, ``extractor``,
    ``checker``, ``model_knowledge``; typed by :class:`RunKeywords`) or as one ``options=``.
    ``model_knowledge=True`` (off by default) also checks the titles the office-holder
    ``knowledge`` cannot decide against the model's own knowledge, one question per distinct
    person, title and date; a title the model says was wrong is reported at low severity
    and confidence with ``basis=model`` (see :func:`compare`). ``options`` gives all the
    options as one :class:`CheckOptions` instead of the keywords.

    Example::

        from claimcheck import check, open_llm, read_articles

        with open_llm() as llm:
            report = check(read_articles(["copy/"]), llm=llm, concurrency=4)
        print(report.worst())
    """
    run = options_from(options, **keywords)
    return run_sync(acheck(articles, llm=llm, options=run))


def verify(
    draft: Article,
    sources: Sequence[Article],
    *,
    llm: LLM,
    options: CheckOptions | None = None,
    **keywords: Unpack[RunKeywords],
) -> Report:
    """Pre-publication check: only the findings about ``draft``, each saying what sources say.

    Every kept finding gets a ``suggestion`` quoting the other sources when the cross-checker
    left none, so an editor sees what to write instead. ``model_knowledge`` and ``options``
    are as in :func:`check`.

    Example::

        report = verify(draft, read_articles(["wires/"]), llm=llm)
        for f in report.findings:
            print(f.explanation, "→", f.suggestion)
    """
    run = options_from(options, **keywords)
    report = check([draft, *sources], llm=llm, options=run)
    return only_about(report, draft.id)


def only_about(report: Report, article_id: str) -> Report:
    """The report narrowed to findings whose evidence involves ``article_id``."""
    kept = tuple(
        _with_suggestion(f, article_id)
        for f in report.findings
        if any(e.article_id == article_id for e in f.evidence)
    )
    event_ids = {f.event_id for f in kept}
    events = tuple(e for e in report.events if article_id in e.article_ids or e.id in event_ids)
    return report.model_copy(update={"findings": kept, "events": events})


def _with_suggestion(finding: Finding, draft_id: str) -> Finding:
    if finding.suggestion:
        return finding
    others = [e for e in finding.evidence if e.article_id != draft_id]
    if not others:
        return finding
    said = "; ".join(f"{e.article_id}: {_what(e)}" for e in others)
    return finding.model_copy(update={"suggestion": f"sources say: {said}"})


def _what(evidence: Evidence) -> str:
    return evidence.says or f"“{evidence.span.text}”"


# --------------------------------------------------------------------------- helpers


def _check_unique_ids(articles: Sequence[Article]) -> None:
    seen: set[str] = set()
    for article in articles:
        if article.id in seen:
            raise ConfigError(
                f"two articles share the id {article.id!r}; give each input a distinct file "
                "name or an explicit id"
            )
        seen.add(article.id)


def _warn_unknown_ids(grouping: Mapping[str, str], known: set[str]) -> None:
    # A declared id that matches no article is most often a typo in the events file, and
    # that article is then grouped by date and place instead of as declared.
    unknown = sorted(set(grouping) - known)
    if unknown:
        log.warning(
            "the events declaration names %d article id(s) not in this run (%s); "
            "check their spelling against the article ids (file names without the suffix)",
            len(unknown),
            ", ".join(unknown[:5]) + (", …" if len(unknown) > 5 else ""),
        )


def run_sync(coro: Coroutine[Any, Any, R]) -> R:
    """Run a coroutine from synchronous code; refuse inside a running loop (use the a-twin)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    coro.close()
    raise ConfigError(
        "the synchronous entry points cannot run inside an event loop; await acheck() / "
        "aextract() instead"
    )


__all__ = [
    "CheckOptions",
    "CrossCheckOutcome",
    "CrossChecker",
    "Extraction",
    "Extractor",
    "ProgressEvent",
    "acheck",
    "aextract",
    "check",
    "compare",
    "extract",
    "extraction_fingerprint",
    "only_about",
    "options_from",
    "read_grouping",
    "run_sync",
    "verify",
]
