"""The ``claimcheck`` command: parse options, call one library function, render, exit.

Exit codes (also in ``docs/cli.md``):

    0  no finding at or above --fail-on
    1  at least one finding at or above --fail-on
    2  usage, configuration or input error (bad option, missing source, no readable
       article at all, knowledge file)
    3  the LLM backend failed, or an article could not be read or checked (the others are
       still reported; the skipped inputs are named on stderr and in the report's errors)
  130  interrupted (Ctrl-C); the same command resumes from the response cache
  143  terminated (SIGTERM), after the same cleanup as Ctrl-C; it resumes the same way

Machine output (the report, claims JSON) goes to stdout or ``--output``; progress, the
summary line, warnings and errors go to stderr, so ``claimcheck check … > report.json`` stays
clean. No command takes an API key as an option (it would end up in shell history and process
lists); the key is read from ``OPENAI_API_KEY`` and never printed.

Startup: ``claimcheck --help`` costs about a quarter of a second of CPU because only click
and the standard library load with this module. The library (pydantic models, spaCy, the
gazetteers, the model SDK: seconds of imports) is imported inside the command that uses it.
SIGTERM ends a run like Ctrl-C does, so the embedded model server is stopped and the
response cache closed (exit 143).
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from secrets import token_urlsafe
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

import click

from claimcheck.backends import make_backend
from claimcheck.errors import (
    BackendError,
    ClaimcheckError,
    ConfigError,
    InputError,
)
from claimcheck.fileio import check_writable, real_path, write_atomic
from claimcheck.redact import redact as redact_text
from claimcheck.redact import register_secret

if TYPE_CHECKING:
    from claimcheck import baseline as baselines
    from claimcheck import pipeline
    from claimcheck.ingest import Ingested
    from claimcheck.knowledge import KnowledgeBase
    from claimcheck.llm import LLM, Backend
    from claimcheck.models import ArticleClaims, ArticleError, Report, Severity, Usage
    from claimcheck.report.pricing import Price

log = logging.getLogger("claimcheck")

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_BACKEND = 3
EXIT_INTERRUPTED = 130  # the shell's code for SIGINT; click's default (1) would read as "findings"
EXIT_TERMINATED = 128 + signal.SIGTERM

#: ``--format`` and ``--fail-on`` values, written out so that building the command line
#: imports no report or model code; tests/test_startup.py pins them to
#: ``claimcheck.report.FORMATS`` and ``claimcheck.models.Severity``.
FORMATS = ("terminal", "json", "markdown", "html")
SEVERITIES = ("info", "low", "medium", "high")

ENV_FAIL_ON = "CLAIMCHECK_FAIL_ON"
ENV_SERVE_TOKEN = "CLAIMCHECK_SERVE_TOKEN"
# Environment variables whose values are redacted from every message and log line.
_SECRET_SUFFIXES = ("API_KEY", "_TOKEN", "_SECRET")
DEFAULT_FAIL_ON = "high"
NEVER = "never"

_SUFFIX_FORMATS = {
    ".json": "json",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".txt": "terminal",
}

F = TypeVar("F", bound=Callable[..., Any])
BackendFactory = Callable[..., "Backend"]


@dataclass
class Runtime:
    """What the commands take from outside; tests pass their own with ``obj=Runtime(...)``.

    ``backend_factory`` is called with ``model``, ``base_url`` and ``local_model``;
    ``extractor``/``checker`` replace the stages (None: the real ones).
    """

    backend_factory: BackendFactory = make_backend
    extractor: pipeline.Extractor | None = None
    checker: pipeline.CrossChecker | None = None
    stdin: TextIO | None = None
    quiet: bool = False
    verbose: bool = False
    secrets: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- errors


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where Ctrl-C would be: every cleanup written for Ctrl-C (calls in
    flight dropped, the embedded server stopped, the cache closed) runs for it too."""


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """While a command runs, SIGTERM raises :class:`Terminated` instead of killing the
    process outright, which would skip the cleanup. A handler someone else installed (an
    application embedding the CLI) is left alone."""
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
    ):
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class _Group(click.Group):
    """Turns claimcheck errors into one line on stderr and the documented exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with _sigterm_as_interrupt():
                return super().invoke(ctx)
        except Terminated:
            click.echo(
                "\nclaimcheck: terminated; answers already received are cached, so running "
                "the same command again resumes where this run stopped (unless --no-cache)",
                err=True,
            )
            ctx.exit(EXIT_TERMINATED)
        except ClaimcheckError as exc:
            runtime = ctx.find_object(Runtime)
            secrets = runtime.secrets if runtime is not None else []
            if runtime is not None and runtime.verbose:
                log.debug("traceback", exc_info=True)
            click.echo(f"claimcheck: error: {redact(str(exc), secrets)}", err=True)
            ctx.exit(EXIT_BACKEND if isinstance(exc, BackendError) else EXIT_USAGE)
        except KeyboardInterrupt:
            click.echo(
                "\nclaimcheck: interrupted; answers already received are cached, so running "
                "the same command again resumes where this run stopped (unless --no-cache)",
                err=True,
            )
            ctx.exit(EXIT_INTERRUPTED)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise  # click's own: usage errors (exit 2), --help, aborted prompts
        except Exception as exc:
            # No input may end in a traceback with exit 1, which means "findings": one line
            # and 2 (the input or the environment) or 3 (anything else).
            _unexpected(ctx, exc)


def _unexpected(ctx: click.Context, exc: Exception) -> None:
    runtime = ctx.find_object(Runtime)
    secrets = runtime.secrets if runtime is not None else []
    log.debug("traceback", exc_info=True)
    if isinstance(exc, RecursionError):
        message, code = "an input nests too deeply to be read (JSON or YAML); check it", EXIT_USAGE
    elif isinstance(exc, OSError):
        message = f"{exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else "")
        message, code = f"{message}; check the file and its folder's permissions", EXIT_USAGE
    elif isinstance(exc, UnicodeError):
        message, code = f"{exc}; give UTF-8 text", EXIT_USAGE
    else:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        message = (
            f"unexpected {type(exc).__name__}" + (f": {first}" if first else "") + "; rerun "
            "with -v for the details and report it"
        )
        code = EXIT_BACKEND
    click.echo(f"claimcheck: error: {redact(message, secrets)}", err=True)
    ctx.exit(code)


def redact(text: str, secrets: Sequence[str]) -> str:
    """``text`` with every known secret replaced, so no key reaches the terminal or a log."""
    for secret in secrets:
        register_secret(secret)
    return redact_text(text)


class _RedactingFilter(logging.Filter):
    def __init__(self, secrets: Sequence[str]) -> None:
        super().__init__()
        self._secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info:
            # A traceback repeats the exception text, so it is redacted as part of the message.
            message += "\n" + logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
            record.exc_text = None
        record.msg = redact(message, self._secrets)
        record.args = None
        return True


def _setup_logging(*, verbose: bool, quiet: bool, secrets: Sequence[str]) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("claimcheck: %(levelname)s: %(message)s"))
    handler.addFilter(_RedactingFilter(secrets))
    root = logging.getLogger("claimcheck")
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.propagate = False
    root.setLevel(logging.DEBUG if verbose else logging.ERROR if quiet else logging.WARNING)


# --------------------------------------------------------------------------- options


def _stacked(f: F, *options: Callable[[F], F]) -> F:
    """Apply option decorators so that ``--help`` lists them in the order given."""
    for option in reversed(options):
        f = option(f)
    return f


def _output_option(what: str, *, required: bool = False) -> Callable[[F], F]:
    return click.option(
        "--output",
        "-o",
        type=click.Path(dir_okay=False, writable=True, path_type=Path),
        default=None,
        required=required,
        help=f"Write {what}.",
    )


def _report_options(f: F) -> F:
    return _stacked(
        f,
        click.option(
            "--format",
            "fmt",
            type=click.Choice(FORMATS),
            default=None,
            help="Report format. Default: from --output's suffix, else terminal on a TTY, "
            "json otherwise.",
        ),
        _output_option("the report to FILE instead of stdout"),
        click.option(
            "--fail-on",
            type=click.Choice([*SEVERITIES, NEVER]),
            default=lambda: os.environ.get(ENV_FAIL_ON, DEFAULT_FAIL_ON),
            show_default=DEFAULT_FAIL_ON,
            help=f"Exit 1 when a finding has this severity or worse; '{NEVER}' reports "
            f"without failing (env {ENV_FAIL_ON}).",
        ),
        click.option(
            "--prices",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            default=None,
            help="YAML/JSON price table (dollars per million tokens) for the cost estimate "
            "(env CLAIMCHECK_PRICES).",
        ),
    )


def _no_cache_callback(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    """``--no-cache`` keeps nothing of the copy: no answers, and no language or named
    entities of an article (:mod:`claimcheck.memo`), which are read before the model is."""
    if value:
        from claimcheck import memo

        memo.switch_off()
    return value


def _backend_options(f: F) -> F:
    return _stacked(
        f,
        click.option(
            "--model",
            default=None,
            help="Model name at the endpoint (env CLAIMCHECK_MODEL).",
        ),
        click.option(
            "--base-url",
            default=None,
            help="OpenAI-compatible endpoint, e.g. http://localhost:11434/v1 "
            "(env OPENAI_BASE_URL).",
        ),
        click.option(
            "--local-model",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            default=None,
            help="GGUF file for the embedded llama.cpp model instead of the bundled one.",
        ),
        click.option(
            "--no-cache",
            is_flag=True,
            default=False,
            callback=_no_cache_callback,
            help="Neither read nor write the response cache, nor keep articles' languages "
            "and named entities (env CLAIMCHECK_NO_CACHE=1).",
        ),
        click.option(
            "--timeout",
            type=click.FloatRange(min=1.0),
            default=None,
            help="Seconds to wait for one answer before retrying it (default 300 for an "
            "endpoint, 600 for the embedded model, which is slow on a busy CPU).",
        ),
        click.option(
            "--retry-failed",
            is_flag=True,
            default=False,
            help="Ask again the questions the model could not answer in earlier runs "
            "(otherwise remembered for 7 days, or until the model or endpoint changes).",
        ),
        click.option(
            "--max-questions",
            type=click.IntRange(min=1),
            default=None,
            help="Questions asked about one article at most (default 400, env "
            "CLAIMCHECK_MAX_QUESTIONS); an article that reaches it is reported incomplete.",
        ),
        click.option(
            "--concurrency",
            "-j",
            type=click.IntRange(min=1, max=256),
            default=1,
            show_default=True,
            help="Articles extracted at the same time.",
        ),
    )


def _knowledge_options(f: F) -> F:
    return _stacked(
        f,
        click.option(
            "--knowledge",
            "knowledge_files",
            multiple=True,
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help="Extra knowledge file of office holders (repeatable); added to the built-in one.",
        ),
        click.option(
            "--as-of",
            type=click.DateTime(formats=["%Y-%m-%d"]),
            default=None,
            help="Check titles as of this date (YYYY-MM-DD). Default: each event's date.",
        ),
        click.option(
            "--events",
            "events_file",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            default=None,
            help="YAML/JSON file declaring which articles report which event.",
        ),
    )


_baseline_option = click.option(
    "--baseline",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Baseline file of reviewed findings (claimcheck baseline add): they are still "
    "listed, marked reviewed, but do not count for --fail-on.",
)

_model_knowledge_option = click.option(
    "--model-knowledge",
    is_flag=True,
    help=(
        "Also ask the model about titles the office-holder list cannot decide; its 'no' is "
        "reported as a low, model-based finding to verify."
    ),
)


# --------------------------------------------------------------------------- the group


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="claimcheck", prog_name="claimcheck")
@click.option("--verbose", "-v", is_flag=True, help="Log what happens (on stderr).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar, no summary line.")
@click.pass_context
def main(ctx: click.Context, verbose: bool, quiet: bool) -> None:
    """Catch factual errors in news copy: extract grounded claims, cross-check sources.

    Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or input error,
    3 backend failure or an article not read or checked, 130 interrupted.
    """
    runtime = ctx.ensure_object(Runtime)
    runtime.verbose = verbose
    runtime.quiet = quiet
    runtime.secrets = [v for k, v in os.environ.items() if k.endswith(_SECRET_SUFFIXES) and v]
    _setup_logging(verbose=verbose, quiet=quiet, secrets=runtime.secrets)


# --------------------------------------------------------------------------- check


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
    runtime: Runtime, options: RunOptions, run: Callable[[dict[str, Any]], Report]
) -> None:
    """Build the LLM, knowledge and grouping, call ``run`` with them, report and exit."""
    from claimcheck import baseline as baselines
    from claimcheck import pipeline
    from claimcheck.report.pricing import load_prices

    # Every input file is read before the first model call: a typo found after an hour of
    # extraction would cost the summary or the run.
    _check_yaml(options.prices, options.events_file, os.environ.get("CLAIMCHECK_PRICES"))
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
            {
                "llm": llm,
                "knowledge": knowledge,
                "as_of": options.as_of.date() if options.as_of else None,
                "grouping": grouping,
                "concurrency": options.concurrency,
                "progress": bar,
                "extractor": runtime.extractor,
                "checker": runtime.checker,
                "model_knowledge": options.model_knowledge,
            }
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


@main.command()
@click.argument("sources", nargs=-1, required=True)
@_report_options
@_backend_options
@_knowledge_options
@_model_knowledge_option
@_baseline_option
@click.pass_obj
def check(runtime: Runtime, /, sources: tuple[str, ...], **options: Any) -> None:
    """Extract claims from SOURCES (files, directories, - for stdin), cross-check, report.

    \b
    Example:
      claimcheck check copy/ --format html -o report.html
      cat story.md | claimcheck check - wires/ --fail-on medium
    """
    from claimcheck import pipeline

    batch = _read(runtime, sources)
    _run_and_report(
        runtime,
        RunOptions(**options),
        lambda kw: _with_skipped(pipeline.check(batch.articles, **kw), batch.errors),
    )


# --------------------------------------------------------------------------- verify


@main.command()
@click.argument("draft")
@click.option(
    "--against",
    "sources",
    multiple=True,
    required=True,
    help="Source article, directory or - (repeatable).",
)
@_report_options
@_backend_options
@_knowledge_options
@_model_knowledge_option
@_baseline_option
@click.pass_obj
def verify(runtime: Runtime, /, draft: str, sources: tuple[str, ...], **options: Any) -> None:
    """Pre-publication check of DRAFT against trusted sources.

    Only findings about the draft are reported, each with what the sources say instead.

    \b
    Example:
      claimcheck verify draft.md --against wires/ --fail-on medium
    """
    from claimcheck import pipeline
    from claimcheck.ingest import read_articles

    # The draft is the point of the run, so it is read strictly; a bad source is skipped.
    drafts = read_articles([draft], stdin=_stdin(runtime))
    if len(drafts) != 1:
        raise InputError(f"{draft} holds {len(drafts)} articles; verify takes exactly one draft")
    batch = _read(runtime, sources)
    _run_and_report(
        runtime,
        RunOptions(**options),
        lambda kw: _with_skipped(pipeline.verify(drafts[0], batch.articles, **kw), batch.errors),
    )


# --------------------------------------------------------------------------- extract


@main.command()
@click.argument("sources", nargs=-1, required=True)
@_output_option("the claims to FILE instead of stdout")
@_backend_options
@click.pass_obj
def extract(
    runtime: Runtime,
    sources: tuple[str, ...],
    output: Path | None,
    model: str | None,
    base_url: str | None,
    local_model: Path | None,
    no_cache: bool,
    timeout: float | None,
    retry_failed: bool,
    max_questions: int | None,
    concurrency: int,
) -> None:
    """Extract the grounded claims of SOURCES as JSON (a list, one entry per article).

    The output feeds `claimcheck compare`, or a reviewer. Inputs that cannot be read and
    articles that fail are named on stderr and the exit code is 3; the others are still
    written.

    \b
    Example:
      claimcheck extract copy/ -o claims.json
    """
    from claimcheck import pipeline

    batch = _read(runtime, sources)
    _check_writable(output)
    with (
        _llm(
            runtime,
            model,
            base_url,
            local_model,
            no_cache,
            retry_failed=retry_failed,
            timeout=timeout,
            max_questions=max_questions,
        ) as llm,
        _progress(runtime) as bar,
    ):
        result = pipeline.run_sync(
            pipeline.aextract(
                batch.articles,
                llm=llm,
                concurrency=concurrency,
                progress=bar,
                extractor=runtime.extractor,
            )
        )
        usage = llm.usage
    payload = "[\n" + ",\n".join(i.model_dump_json(indent=2) for i in result.items) + "\n]\n"
    _write(payload if result.items else "[]\n", output)
    for err in result.errors:
        click.echo(f"claimcheck: {err.article_id}: {err.error}: {err.message}", err=True)
    incomplete = {e.article_id for e in result.errors} & {i.article.id for i in result.items}
    if not runtime.quiet:
        click.echo(
            f"claimcheck: {len(result.items) - len(incomplete)} of {len(batch.articles)} "
            "articles extracted"
            + (f", {len(incomplete)} incomplete (kept, named above)" if incomplete else "")
            + (f", {_count(len(batch.errors), 'unreadable input')} skipped" if batch.errors else "")
            + f" · {usage.calls} calls, {usage.cache_hits} cache hits, "
            f"{usage.total_tokens} tokens" + _failures(usage),
            err=True,
        )
    if result.errors or batch.errors:
        sys.exit(EXIT_BACKEND)


# --------------------------------------------------------------------------- compare


@main.command()
@click.argument(
    "claim_files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path)
)
@_report_options
@_knowledge_options
@_baseline_option
@click.pass_obj
def compare(
    runtime: Runtime,
    claim_files: tuple[Path, ...],
    fmt: str | None,
    output: Path | None,
    fail_on: str,
    prices: Path | None,
    knowledge_files: tuple[Path, ...],
    as_of: dt.datetime | None,
    events_file: Path | None,
    baseline: Path | None,
) -> None:
    """Cross-check claims saved by `claimcheck extract`, without calling any LLM.

    \b
    Example:
      claimcheck compare claims.json more-claims.json --format markdown
    """
    from claimcheck import baseline as baselines
    from claimcheck import pipeline

    items = [item for path in claim_files for item in read_claims(path)]
    _check_yaml(events_file)
    knowledge = _knowledge(knowledge_files)
    grouping = pipeline.read_grouping(events_file) if events_file else None
    reviewed = baselines.read_baseline(baseline) if baseline else None
    with _progress(runtime) as bar:
        report = pipeline.compare(
            items,
            knowledge=knowledge,
            as_of=as_of.date() if as_of else None,
            grouping=grouping,
            progress=bar,
            checker=runtime.checker,
        )
    _finish(
        runtime,
        report,
        fmt=fmt,
        output=output,
        fail_on=fail_on,
        prices={},
        identity=None,
        baseline=reviewed,
    )


def read_claims(path: Path) -> list[ArticleClaims]:
    """ArticleClaims from a JSON list, a single JSON object, or JSON lines."""
    from pydantic import ValidationError

    from claimcheck.models import ArticleClaims

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read claims file {path}: {exc}") from exc
    try:
        stripped = text.lstrip()
        if stripped.startswith("["):
            records = json.loads(text)
        elif path.suffix == ".jsonl":
            records = [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            records = [json.loads(text)]
        items = [ArticleClaims.model_validate(r) for r in records]
    except RecursionError:
        raise InputError(f"{path} nests too deeply to be claims JSON") from None
    except (json.JSONDecodeError, ValidationError) as exc:
        raise InputError(
            f"{path} is not claims JSON as written by `claimcheck extract` ({_first_line(exc)}); "
            "regenerate it with claimcheck extract"
        ) from exc
    # Evidence quotes and report highlights trust the offsets; an article edited after
    # extraction would put them on the wrong words.
    for item in items:
        for claim in item.claims:
            if not claim.span.matches(item.article.text):
                raise InputError(
                    f"{path}: claim {claim.id} quotes “{claim.span.text}” at "
                    f"{claim.span.start}:{claim.span.end}, but the article text there differs "
                    "(was it edited after extraction?); re-extract it with claimcheck extract"
                )
    return items


# --------------------------------------------------------------------------- batch (Ray)


@main.command()
@click.argument("sources", nargs=-1, required=True)
@click.option(
    "--ray",
    "ray_address",
    is_flag=False,
    flag_value="auto",
    default=None,
    metavar="[ADDRESS]",
    help="The Ray cluster: --ray alone joins the one this machine belongs to (RAY_ADDRESS), "
    "--ray ray://HOST:10001 a remote one; without --ray a local Ray runs on this machine.",
)
@click.option(
    "--out",
    default="claimcheck-batch",
    show_default=True,
    help="Where each article's claims are written (a folder every node reaches, or an fsspec "
    "URL); a rerun with the same --out skips the articles already done.",
)
@click.option(
    "--actors",
    type=click.IntRange(min=1, max=4096),
    default=2,
    show_default=True,
    help="LLM clients (Ray actors); each has -j articles in flight.",
)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=None,
    help="Articles per actor call, written as one shard (default: twice -j).",
)
@click.option(
    "--cpus-per-actor",
    type=click.FloatRange(min=0.01),
    default=0.25,
    show_default=True,
    help="CPUs Ray reserves per actor (an endpoint client mostly waits; give an embedded "
    "model the node's cores).",
)
@_report_options
@_backend_options
@_knowledge_options
@_model_knowledge_option
@_baseline_option
@click.pass_obj
def batch(
    runtime: Runtime,
    /,
    sources: tuple[str, ...],
    ray_address: str | None,
    out: str,
    actors: int,
    batch_size: int | None,
    cpus_per_actor: float,
    **options: Any,
) -> None:
    """Check SOURCES on a Ray cluster: files, directories, JSONL, or URLs (s3://, file://).

    Needs `pip install 'claimcheck[ray]'`. Same report and findings as `check`; claims are
    kept per article under --out, so a killed run resumes where it stopped. Put SOURCES
    before a bare --ray. See docs/cluster.md.

    \b
    Example:
      claimcheck batch archive/ --out runs/may --actors 4 -j 8 -o report.json
      claimcheck batch s3://desk/wires/ --out s3://desk/runs/may --ray -o report.json
    """
    from claimcheck import baseline as baselines
    from claimcheck import cluster, pipeline
    from claimcheck.report.pricing import load_prices

    cluster.require_ray()
    run = RunOptions(**options)
    inputs = cluster.read_inputs(list(sources))
    for err in inputs.errors:
        click.echo(
            f"claimcheck: skipped {err.article_id}: {redact(err.message, runtime.secrets)}",
            err=True,
        )
    prices = load_prices(run.prices)
    _check_writable(run.output)
    knowledge = _knowledge(run.knowledge_files)
    grouping = pipeline.read_grouping(run.events_file) if run.events_file else None
    reviewed = baselines.read_baseline(run.baseline) if run.baseline else None
    endpoint = cluster.Endpoint(
        model=run.model,
        base_url=run.base_url,
        local_model=str(run.local_model) if run.local_model else None,
        timeout=run.timeout,
        no_cache=run.no_cache,
        retry_failed=run.retry_failed,
    )
    backend = endpoint.backend()
    identity = backend.identity
    backend.close()
    report = cluster.run_batch(
        inputs.articles,
        endpoint=endpoint,
        options=cluster.ClusterOptions(
            address=ray_address,
            out=out,
            actors=actors,
            in_flight=run.concurrency,
            batch_size=batch_size,
            cpus_per_actor=cpus_per_actor,
        ),
        knowledge=knowledge,
        as_of=run.as_of.date() if run.as_of else None,
        grouping=grouping,
        model_knowledge=run.model_knowledge,
        extractor=runtime.extractor,
        progress=None if runtime.quiet else cluster.ProgressLines(sys.stderr),
    )
    _finish(
        runtime,
        _with_skipped(report, inputs.errors),
        fmt=run.fmt,
        output=run.output,
        fail_on=run.fail_on,
        prices=prices,
        identity=identity,
        baseline=reviewed,
    )


# --------------------------------------------------------------------------- schema


@main.command()
def schema() -> None:
    """Print the JSON schema of the report (committed as docs/report-schema.json)."""
    from claimcheck.report.json_report import schema_text

    click.echo(schema_text(), nl=False)


# --------------------------------------------------------------------------- cache


@main.group()
def cache() -> None:
    """Inspect or clear the response cache (CLAIMCHECK_CACHE_DIR)."""


@cache.command("info")
def cache_info() -> None:
    """Show where the cache is, how many answers it holds and its size."""
    from claimcheck.cache import ResponseCache, cache_disabled_by_env, derived_cache_dir

    store = ResponseCache()
    derived = ResponseCache(derived_cache_dir())
    try:
        click.echo(f"directory: {store.directory}")
        click.echo(f"entries:   {len(store)}")
        click.echo(f"size:      {store.volume()} bytes")
        click.echo(
            f"derived:   {len(derived)} languages and lede entities of articles, "
            f"{derived.volume()} bytes, in {derived.directory}"
        )
        if cache_disabled_by_env():
            click.echo("note:      CLAIMCHECK_NO_CACHE is set, runs do not use it")
    finally:
        store.close()
        derived.close()


@cache.command("clear")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
def cache_clear(yes: bool) -> None:
    """Delete every cached answer (the next run asks the model again), and the languages
    and lede entities kept of articles."""
    from claimcheck.cache import ResponseCache, default_cache_dir, derived_cache_dir

    directory = default_cache_dir()
    if not yes and sys.stdin.isatty():
        click.confirm(f"Delete every cached answer in {directory}?", abort=True, err=True)
    store = ResponseCache(directory)
    derived = ResponseCache(derived_cache_dir())
    try:
        removed = store.clear()
        kept = derived.clear()
    finally:
        store.close()
        derived.close()
    click.echo(f"removed {removed} cached answers from {directory}")
    click.echo(f"removed {kept} languages and lede entities from {derived.directory}")


# --------------------------------------------------------------------------- knowledge


@main.group()
def kb() -> None:
    """The knowledge file of office holders used to check titles."""


@kb.command("import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_output_option("the knowledge file (YAML) to FILE", required=True)
def kb_import(source: Path, output: Path) -> None:
    """Convert a Wikidata SPARQL JSON export of office holders into a knowledge file.

    \b
    Example:
      claimcheck kb import ministers.json -o knowledge/ministers.yaml
      claimcheck check copy/ --knowledge knowledge/ministers.yaml
    """
    from claimcheck.knowledge import dump_tenures, import_wikidata

    tenures = import_wikidata(source)
    dump_tenures(tenures, output)
    click.echo(f"wrote {len(tenures)} tenures to {output}", err=True)


@kb.command("update")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--file",
    "knowledge_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("knowledge.yaml"),
    show_default=True,
    help="The knowledge file to extend (created when absent).",
)
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The day the export was downloaded (default: today); the file's verified_through.",
)
def kb_update(source: Path, knowledge_file: Path, as_of: dt.datetime | None) -> None:
    """Extend a knowledge file with a Wikidata SPARQL export (JSON or CSV), any position.

    Offices are read from the position labels with the office vocabulary; an office it
    does not declare is skipped (declare it in data/vocabulary/offices.yaml). The query to
    run is in the README ("Office holders").

    \b
    Example:
      claimcheck kb update governors.csv --file knowledge/holders.yaml
      claimcheck check copy/ --knowledge knowledge/holders.yaml
    """
    from claimcheck.knowledge import update_knowledge

    day = as_of.date() if as_of else dt.date.today()
    read, total = update_knowledge(source, knowledge_file, as_of=day)
    click.echo(f"read {read} tenures from {source}; {knowledge_file} now holds {total}", err=True)


@kb.command("refresh")
@click.option(
    "--country",
    "countries",
    multiple=True,
    help="Only this country (repeatable); default: every country.",
)
@_output_option("the dated knowledge file to FILE (default: knowledge-<today>.yaml)")
@click.option(
    "--endpoint",
    envvar="CLAIMCHECK_SPARQL_ENDPOINT",
    default=None,
    help="SPARQL endpoint (default: the Wikidata query service).",
)
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Leave out terms that ended before this day (default: 2015-01-01).",
)
def kb_refresh(
    countries: tuple[str, ...],
    output: Path | None,
    endpoint: str | None,
    since: dt.datetime | None,
) -> None:
    """Bring office holders up to date from Wikidata (needs internet).

    Asks the Wikidata query service who held every office the vocabulary declares,
    country by country, and writes a knowledge file dated today; pass it to check with
    --knowledge to lay it over the built-in knowledge.

    \b
    Example:
      claimcheck kb refresh --country Kenya --country Nigeria -o knowledge/2026-12.yaml
      claimcheck check copy/ --knowledge knowledge/2026-12.yaml
    """
    from claimcheck.knowledge.refresh import DEFAULT_ENDPOINT, DEFAULT_SINCE, refresh_knowledge

    today = dt.date.today()
    target = output or Path(f"knowledge-{today.isoformat()}.yaml")

    def show(step: Any) -> None:
        office = f" ({step.office})" if step.office else ""
        click.echo(
            f"[{step.done}/{step.total}] {step.country}{office}: {step.tenures} terms", err=True
        )

    total = refresh_knowledge(
        target,
        countries=countries,
        endpoint=endpoint or DEFAULT_ENDPOINT,
        since=since.date() if since else DEFAULT_SINCE,
        as_of=today,
        progress=show,
    )
    click.echo(f"wrote {total} tenures to {target} (verified through {today})", err=True)


@kb.command("sources")
def kb_sources() -> None:
    """List where the built-in knowledge came from, with the date each source reflects,
    and a freshness table: per source and kind of office, how many places, through when.

    \b
    Example:
      claimcheck kb sources
    """
    from claimcheck.knowledge import default_knowledge, knowledge_sources
    from claimcheck.knowledge.freshness import freshness

    for source in knowledge_sources():
        click.echo(
            f"{source['id']}\tverified through {source['verified_through']}\t"
            f"retrieved {source['retrieved']}\t{source['licence']}\t{source['url']}"
        )
    rows = freshness(default_knowledge())
    click.echo("")
    click.echo("Freshness: who holds an office is known through the date given, not after")
    widths = (max(len(r.source) for r in rows), max(len(r.kind) for r in rows))
    click.echo(f"{'source':{widths[0]}}  {'offices':{widths[1]}}  places  through")
    for r in rows:
        through = str(r.through or "?")
        if r.earliest is not None and r.earliest != r.through:
            through = f"{r.earliest} … {r.through}"
        click.echo(f"{r.source:{widths[0]}}  {r.kind:{widths[1]}}  {r.jurisdictions:6}  {through}")


@kb.command("show")
@click.option(
    "--knowledge",
    "knowledge_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Extra knowledge file (repeatable).",
)
@click.option("--no-default", is_flag=True, help="Leave out the built-in knowledge.")
@click.option("--person", default=None, help="Show the offices this person held.")
@click.option(
    "--office", default=None, help='Show who held this title, e.g. "Kenya\'s agriculture minister".'
)
@click.option(
    "--on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Date for --office (default: today).",
)
@click.option("--with-source", is_flag=True, help="Add where each entry came from.")
def kb_show(
    knowledge_files: tuple[Path, ...],
    no_default: bool,
    person: str | None,
    office: str | None,
    on: dt.datetime | None,
    with_source: bool,
) -> None:
    """Show what the knowledge says about a person or an office.

    \b
    Example:
      claimcheck kb show --person "Peter Munya"
      claimcheck kb show --office "Kenya's agriculture minister" --on 2021-06-01
    """
    from claimcheck.knowledge import KnowledgeBase, normalise_office

    if (person is None) == (office is None):
        raise click.UsageError("give exactly one of --person or --office")
    base = KnowledgeBase.load(list(knowledge_files), include_default=not no_default)
    if person is not None:
        tenures = base.tenures_of(person)
    else:
        assert office is not None
        parsed = normalise_office(office)
        if parsed is None or parsed[1] is None:
            raise ConfigError(
                f"cannot tell which office and country {office!r} means; write it like "
                '"Kenya\'s agriculture minister"'
            )
        day = on.date() if on else dt.date.today()
        tenures = base.holders(parsed[0], parsed[1], day)
        unknown_after = base.known_until(parsed[0], parsed[1])
        if unknown_after is not None and day > unknown_after:
            seen = base.verified_through_for(parsed[0], parsed[1])
            click.echo(
                f"the sources on this office end on {seen}: who held it on {day} is "
                "unknown (claimcheck kb refresh brings it up to date)",
                err=True,
            )
    if not tenures:
        click.echo("nothing known", err=True)
    for t in tenures:
        period = t.period(last_seen=base.verified_through)
        line = f"{t.person}\t{t.office} ({t.jurisdiction})\t{period}"
        if with_source:
            approx = "approximate dates; " if t.approximate else ""
            line += f"\t{approx}{t.source or 'no source'}"
        click.echo(line)


# --------------------------------------------------------------------------- baseline

_baseline_file_option = click.option(
    "--file",
    "baseline_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("reviewed.json"),
    show_default=True,
    help="The baseline file of reviewed findings.",
)


@main.group()
def baseline() -> None:
    """Reviewed findings: a file of findings an editor accepted or dismissed.

    Commit it next to the copy and pass it to check or verify with --baseline: the
    findings it names are still listed, marked reviewed, and no longer fail the run.
    """


@baseline.command("add")
@click.argument("report_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--finding", "finding_ids", multiple=True, required=True, help="Finding id (repeatable)."
)
@click.option("--accept", "decision", flag_value="accepted", help="The copy is right as written.")
@click.option("--dismiss", "decision", flag_value="dismissed", help="The finding is a false alarm.")
@click.option("--reason", required=True, help="Why (kept in the file for the next reader).")
@click.option("--by", default=None, help="Who reviewed it (default: the login name).")
@_baseline_file_option
def baseline_add(
    report_file: Path,
    finding_ids: tuple[str, ...],
    decision: str | None,
    reason: str,
    by: str | None,
    baseline_file: Path,
) -> None:
    """Record findings of a JSON report as reviewed in the baseline file.

    \b
    Example:
      claimcheck verify draft.md --against wires/ --format json -o report.json
      claimcheck baseline add report.json --finding f3 --dismiss --reason "count updated"
    """
    from claimcheck import baseline as baselines

    if decision is None:
        raise click.UsageError("give --accept or --dismiss")
    report = baselines.read_report(report_file)
    by_id = {f.id: f for f in report.findings}
    missing = [i for i in finding_ids if i not in by_id]
    if missing:
        raise InputError(
            f"{report_file} has no finding {', '.join(missing)}; its findings are "
            f"{', '.join(by_id) or 'none'}"
        )
    who = by or _login_name()

    def add(current: baselines.Baseline) -> baselines.Baseline:
        for finding_id in finding_ids:
            current = baselines.review(
                current,
                by_id[finding_id],
                decision="accepted" if decision == "accepted" else "dismissed",
                reason=reason,
                by=who,
            )
        return current

    baselines.update_baseline(baseline_file, add)
    click.echo(f"{decision} {_count(len(finding_ids), 'finding')} in {baseline_file}", err=True)


@baseline.command("list")
@_baseline_file_option
def baseline_list(baseline_file: Path) -> None:
    """Show the reviewed findings in the baseline file, one per line."""
    from claimcheck import baseline as baselines

    current = baselines.read_baseline(baseline_file)
    if not current.entries:
        click.echo("no reviewed findings", err=True)
    for e in current.entries:
        when = e.at.date().isoformat() if e.at else "-"
        click.echo(f"{e.fingerprint}\t{e.decision}\t{e.by or '-'}\t{when}\t{e.reason}\t{e.summary}")


@baseline.command("prune")
@click.option(
    "--report",
    "report_file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSON report of the latest run; entries none of its findings match are dropped.",
)
@_baseline_file_option
def baseline_prune(report_file: Path, baseline_file: Path) -> None:
    """Drop the entries of the baseline file that no finding of REPORT matches any more.

    \b
    Example:
      claimcheck verify draft.md --against wires/ --format json -o report.json
      claimcheck baseline prune --report report.json
    """
    from claimcheck import baseline as baselines

    report = baselines.read_report(report_file)
    dropped: tuple[baselines.BaselineEntry, ...] = ()

    def prune(current: baselines.Baseline) -> baselines.Baseline:
        nonlocal dropped
        kept, dropped = baselines.prune(current, report.findings)
        return kept

    kept = baselines.update_baseline(baseline_file, prune, missing_ok=False)
    for e in dropped:
        click.echo(f"dropped {e.fingerprint}: {e.summary}", err=True)
    click.echo(f"kept {len(kept.entries)}, dropped {len(dropped)} in {baseline_file}", err=True)


def _login_name() -> str | None:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in a bare container
        return None


# --------------------------------------------------------------------------- serve

WEB_INSTALL_HINT = "pip install 'claimcheck[web]'"


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(min=1, max=65535),
    default=8765,
    show_default=True,
    help="Port to listen on.",
)
@click.option(
    "--root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder whose article files the page may open; no file outside it is read.",
)
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Baseline file the page writes reviews to (default: reviewed.json in the current "
    "directory, which must then be outside --root).",
)
@click.option(
    "--token",
    default=None,
    envvar=ENV_SERVE_TOKEN,
    show_envvar=True,
    help="Secret every request must carry (needed to listen beyond this machine; one is "
    "made up and printed when --host is not a loopback address).",
)
@_backend_options
@click.option(
    "--knowledge",
    "knowledge_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Extra knowledge file of office holders (repeatable).",
)
@click.pass_obj
def serve(
    runtime: Runtime,
    host: str,
    port: int,
    root: Path | None,
    baseline_file: Path | None,
    token: str | None,
    model: str | None,
    base_url: str | None,
    local_model: Path | None,
    no_cache: bool,
    timeout: float | None,
    retry_failed: bool,
    max_questions: int | None,
    concurrency: int,
    knowledge_files: tuple[Path, ...],
) -> None:
    """Start the editor's desk: a local page to check a draft against its sources and
    accept or dismiss findings (needs the web extra).

    \b
    Example:
      claimcheck serve --root fixtures/
      (then open http://127.0.0.1:8765/)
    """
    try:
        import uvicorn  # an optional extra: imported only by the command that needs it

        from claimcheck import web
    except ImportError as exc:
        raise ConfigError(
            f"claimcheck serve needs the web extra ({exc.name} is missing): {WEB_INSTALL_HINT}"
        ) from None
    from claimcheck import baseline as baselines

    target = baseline_file or Path("reviewed.json")
    if baseline_file is None and root is not None and _inside(target, root):
        raise ConfigError(
            f"the reviews would go to {target.resolve()}, inside --root {root}, where "
            f"`claimcheck check {root}` would read them as an article; run serve from "
            "another directory or give --baseline FILE (inside --root only if you mean it)"
        )
    baselines.read_baseline(target, missing_ok=True)  # a broken file fails now, not on a click
    if token is not None and len(token) < 16:
        raise ConfigError("--token must be at least 16 characters; leave it out to get one")
    local = web.is_loopback(host)
    if token is None and not local:
        token = token_urlsafe(24)
    if token is not None:
        register_secret(token)
    settings = web.Settings(
        baseline_file=target,
        backend_factory=runtime.backend_factory,
        root=root,
        model=model,
        base_url=base_url,
        local_model=local_model,
        no_cache=no_cache,
        retry_failed=retry_failed,
        timeout=timeout,
        max_questions=max_questions,
        concurrency=concurrency,
        knowledge=_knowledge(knowledge_files),
        extractor=runtime.extractor,
        checker=runtime.checker,
    )
    app = web.create_app(settings, allowed_hosts=(host,), token=token)
    if not local:
        click.secho(
            f"claimcheck: WARNING: listening on {host}, so other machines can reach this "
            "page: anyone with the token can read every article under --root, run checks on "
            "your model endpoint and key, and write reviews. Use --host 127.0.0.1 unless you "
            "mean it.",
            err=True,
            fg="red",
            bold=True,
        )
    # The token is printed on purpose (the operator needs it); it is never logged.
    address = f"http://{host}:{port}/" + (f"?token={token}" if token else "")
    sys.stderr.write(
        f"claimcheck: the editor's desk is at {address} (reviews go to {target}); Ctrl-C stops it\n"
    )
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _inside(path: Path, folder: Path) -> bool:
    return real_path(path).is_relative_to(real_path(folder))


# --------------------------------------------------------------------------- helpers


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
    from claimcheck.cache import ResponseCache, cache_disabled_by_env
    from claimcheck.llm import LLM

    options: dict[str, Any] = {"model": model, "base_url": base_url, "local_model": local_model}
    if timeout is not None:
        options["timeout"] = timeout
    backend = runtime.backend_factory(**options)
    store = None if no_cache or cache_disabled_by_env() else ResponseCache()
    ticker = None if runtime.quiet else _QuestionTicker()
    try:
        with LLM(
            backend,
            cache=store,
            retry_failed=retry_failed,
            max_questions=max_questions,
            on_question=ticker,
        ) as llm:
            yield llm
    finally:
        if store is not None:
            store.close()


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


if __name__ == "__main__":  # pragma: no cover
    main()
