"""What the commands share between parsing and exiting: reading the inputs, building the
LLM and the knowledge, progress on stderr, rendering the report, the summary line and the
exit code.
"""

from __future__ import annotations

import datetime as dt
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from claimcheck import settings
from claimcheck.cli.app import EXIT_BACKEND, EXIT_FINDINGS, EXIT_OK, NEVER, Runtime, redact
from claimcheck.errors import ConfigError, InputError
from claimcheck.fileio import check_writable, write_atomic

if TYPE_CHECKING:
    from claimcheck import baseline as baselines
    from claimcheck import pipeline
    from claimcheck.ingest import Ingested
    from claimcheck.knowledge import KnowledgeBase
    from claimcheck.llm import LLM
    from claimcheck.models import ArticleError, Report, Severity, Usage
    from claimcheck.report.pricing import Price


_SUFFIX_FORMATS = {
    ".json": "json",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".txt": "terminal",
}


@dataclass(frozen=True)
class RunOptions:
    """The options ``check`` and ``verify`` share (report, backend, knowledge)."""

    fmt: str | None
    output: Path | None
    fail_on: str
    prices: Path | None
    model: str | None
    base_url: str | None
    local_model: Path | None
    no_cache: bool
    timeout: float | None
    retry_failed: bool
    concurrency: int
    knowledge_files: tuple[Path, ...]
    as_of: dt.datetime | None
    events_file: Path | None
    model_knowledge: bool
    baseline: Path | None = None
    max_questions: int | None = None


def _run_and_report(
    runtime: Runtime, options: RunOptions, run: Callable[[LLM, pipeline.CheckOptions], Report]
) -> None:
    """Build the LLM, knowledge and grouping, call ``run`` with them, report and exit."""
    from claimcheck import baseline as baselines
    from claimcheck import pipeline
    from claimcheck.report.pricing import load_prices

    # Every input file is read before the first model call: a typo found after an hour of
    # extraction would cost the summary or the run.
    _check_yaml(options.prices, options.events_file, settings.prices_file())
    prices = load_prices(options.prices)
    _check_writable(options.output)
    knowledge = _knowledge(options.knowledge_files)
    grouping = pipeline.read_grouping(options.events_file) if options.events_file else None
    reviewed = baselines.read_baseline(options.baseline) if options.baseline else None
    with (
        _llm(
            runtime,
            options.model,
            options.base_url,
            options.local_model,
            options.no_cache,
            retry_failed=options.retry_failed,
            timeout=options.timeout,
            max_questions=options.max_questions,
        ) as llm,
        _progress(runtime) as bar,
    ):
        report = run(
            llm,
            pipeline.CheckOptions(
                knowledge=knowledge,
                as_of=options.as_of.date() if options.as_of else None,
                grouping=grouping,
                concurrency=options.concurrency,
                progress=bar,
                extractor=runtime.extractor,
                checker=runtime.checker,
                model_knowledge=options.model_knowledge,
            ),
        )
        identity = llm.backend.identity
    _finish(
        runtime,
        report,
        fmt=options.fmt,
        output=options.output,
        fail_on=options.fail_on,
        prices=prices,
        identity=identity,
        baseline=reviewed,
    )


def _read(runtime: Runtime, sources: Sequence[str]) -> Ingested:
    """The readable articles of ``sources``; each input set aside is named on stderr now.

    Naming them before the model runs means an editor sees a bad file at once, not after an
    hour of extraction; they also reach the report (:func:`_with_skipped`) and exit code 3.
    """
    from claimcheck.ingest import read_sources

    batch = read_sources(list(sources), stdin=_stdin(runtime))
    for err in batch.errors:
        click.echo(
            f"claimcheck: skipped {err.article_id}: {redact(err.message, runtime.secrets)}",
            err=True,
        )
    return batch


def _check_yaml(*paths: Path | str | None) -> None:
    """Refuse, before anything reads them, YAML option files with aliases (a 500-byte alias
    bomb expands to gigabytes when walked) or nesting past :data:`safeyaml.MAX_DEPTH`."""
    import yaml

    from claimcheck import safeyaml

    for path in paths:
        if not path:
            continue
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # the reader of the file says what is wrong with it
        if "&" not in text and "*" not in text and text.count("[") + text.count("{") < 50:
            continue  # neither anchors nor deep nesting: nothing to fear
        try:
            safeyaml.load(text)
        except yaml.YAMLError as exc:
            raise InputError(f"{path}: {' '.join(str(exc).split())}") from None


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _stdin(runtime: Runtime) -> TextIO:
    return runtime.stdin if runtime.stdin is not None else sys.stdin


def _with_skipped(report: Report, skipped: Sequence[ArticleError]) -> Report:
    """The report with the unreadable inputs first among its errors (they failed first)."""
    if not skipped:
        return report
    return report.model_copy(update={"errors": (*skipped, *report.errors)})


def _knowledge(files: tuple[Path, ...]) -> KnowledgeBase:
    from claimcheck.knowledge import KnowledgeBase

    return KnowledgeBase.load(list(files), include_default=True)


@contextmanager
def _llm(
    runtime: Runtime,
    model: str | None,
    base_url: str | None,
    local_model: Path | None,
    no_cache: bool,
    *,
    retry_failed: bool = False,
    timeout: float | None = None,
    max_questions: int | None = None,
) -> Iterator[LLM]:
    from claimcheck.llm.client import LLMSettings, open_llm

    settings = LLMSettings(
        model=model,
        base_url=base_url,
        local_model=local_model,
        timeout=timeout,
        no_cache=no_cache,
        retry_failed=retry_failed,
        max_questions=max_questions,
    )
    ticker = None if runtime.quiet else _QuestionTicker()
    with open_llm(settings, backend_factory=runtime.backend_factory, on_question=ticker) as llm:
        yield llm


class _QuestionTicker:
    """A line on stderr now and then while questions are asked, so a long article (a
    thousand figures) shows it is moving between its per-article progress lines."""

    EVERY_SECONDS = 15.0

    def __init__(self) -> None:
        self._asked = 0
        self._last = time.monotonic()
        self._lock = threading.Lock()

    def __call__(self) -> None:
        with self._lock:
            self._asked += 1
            now = time.monotonic()
            if now - self._last < self.EVERY_SECONDS:
                return
            self._last = now
            asked = self._asked
        click.echo(f"claimcheck: {asked} questions asked so far", err=True)


class _Bar:
    """A progress bar on stderr, with the last article's status beside it."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._status = ""

    def __call__(self, event: pipeline.ProgressEvent) -> None:
        if event.stage != "extract" or event.status == "started":
            return
        if self._bar is None:
            self._bar = click.progressbar(
                length=event.total,
                label="extracting",
                file=sys.stderr,
                item_show_func=lambda _: self._status,
            )
            self._bar.__enter__()
        mark = "ok" if event.status == "done" else "FAILED"
        self._status = f"{event.article_id}: {mark}"
        self._bar.update(1)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)


def _progress_lines(event: pipeline.ProgressEvent) -> None:
    """Progress for logs (stderr not a terminal): one line per finished article."""
    if event.stage == "extract" and event.status != "started":
        mark = "ok" if event.status == "done" else f"FAILED: {event.error or 'error'}"
        click.echo(
            f"claimcheck: [{event.completed}/{event.total}] {event.article_id}: {mark}", err=True
        )
    elif event.stage == "compare" and event.status == "started":
        click.echo("claimcheck: cross-checking", err=True)


@contextmanager
def _progress(runtime: Runtime) -> Iterator[pipeline.Progress | None]:
    if runtime.quiet:
        yield None
        return
    if not sys.stderr.isatty():
        yield _progress_lines
        return
    bar = _Bar()
    try:
        yield bar
    finally:
        bar.close()


def _finish(
    runtime: Runtime,
    report: Report,
    *,
    fmt: str | None,
    output: Path | None,
    fail_on: str,
    prices: Mapping[str, Price],
    identity: str | None,
    baseline: baselines.Baseline | None = None,
) -> None:
    """Render, write, summarise on stderr, and exit with the documented code."""
    from claimcheck import baseline as baselines
    from claimcheck.models import Severity
    from claimcheck.report import render

    if baseline is not None:
        report = baselines.apply_baseline(report, baseline)
    chosen = fmt or _default_format(output)
    _write(render(report, chosen), output, colour=chosen == "terminal")
    if not runtime.quiet:
        click.echo(_summary(report, prices=prices, identity=identity), err=True)
    sys.exit(exit_code(report, fail_on=None if fail_on == NEVER else Severity(fail_on)))


def exit_code(report: Report, *, fail_on: Severity | None) -> int:
    """3 when an input could not be read or checked, 1 when a finding reaches ``fail_on``, else 0.

    ``fail_on=None`` never fails on findings (a report-only run). Findings a baseline file
    marks as reviewed (``report.reviewed``) do not count.
    """
    from claimcheck import baseline as baselines

    if report.errors:
        return EXIT_BACKEND
    worst = baselines.worst_open(report)
    if fail_on is not None and worst is not None and worst.rank >= fail_on.rank:
        return EXIT_FINDINGS
    return EXIT_OK


def _default_format(output: Path | None) -> str:
    if output is not None:
        return _SUFFIX_FORMATS.get(output.suffix.lower(), "json")
    return "terminal" if sys.stdout.isatty() else "json"


def _check_writable(output: Path | None) -> None:
    """Fail before the run, not after it, when the report could not be written."""
    if output is not None:
        check_writable(output)


def _write(text: str, output: Path | None, *, colour: bool = False) -> None:
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    if colour:
        text = click.unstyle(text)
    try:
        write_atomic(output, text)
    except OSError as exc:
        raise ConfigError(f"cannot write {output}: {exc}") from exc


def _summary(report: Report, *, prices: Mapping[str, Price], identity: str | None) -> str:
    from claimcheck.report._common import summary_text
    from claimcheck.report.pricing import estimate_cost, format_cost, is_local

    usage = report.usage
    parts = [f"claimcheck: {summary_text(report)}"]
    if identity is not None:
        cost = estimate_cost(usage, model=report.model, local=is_local(identity), prices=prices)
        parts.append(
            f"{usage.calls} calls, {usage.cache_hits} cache hits, {usage.total_tokens} tokens "
            f"({usage.prompt_tokens} in, {usage.completion_tokens} out), {format_cost(cost)}"
            + _failures(usage)
            + (f" [{report.model}]" if report.model else "")
            + f" · {_count(report.crosscheck_usage.calls, 'call')} in cross-checking "
            f"for {_count(len(report.claims), 'claim')}" + _verification(report)
        )
    else:
        parts.append("no LLM calls")
    return " · ".join(parts)


def _verification(report: Report) -> str:
    """' (12 re-reading the claims findings rest on, 0.6 an article)', or ''."""
    asked = report.verification_questions
    if not asked or not report.articles:
        return ""
    per = asked / len(report.articles)
    return f" ({asked} re-reading the claims findings rest on, {per:.1f} an article)"


def _failures(usage: Usage) -> str:
    """', 3 questions unanswered, 2 requests failed' when anything failed, else ''."""
    parts = []
    if usage.failed:
        parts.append(_count(usage.failed, "question") + " unanswered")
    if usage.failed_requests:
        parts.append(_count(usage.failed_requests, "request") + " failed")
    return "".join(", " + p for p in parts)


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
