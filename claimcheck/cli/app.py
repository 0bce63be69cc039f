"""The ``claimcheck`` group: exit codes, the runtime tests replace, one error line per failure.

Every claimcheck error becomes one line on stderr and the documented exit code; SIGTERM
ends a run as Ctrl-C does, so the cleanup written for Ctrl-C runs for it too.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

import click

from claimcheck import settings
from claimcheck.errors import BackendError, ClaimcheckError
from claimcheck.llm.backends import make_backend
from claimcheck.llm.redact import redact as redact_text
from claimcheck.llm.redact import register_secret

if TYPE_CHECKING:
    from claimcheck import pipeline
    from claimcheck.llm import Backend


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

# Environment variables whose values are redacted from every message and log line.
_SECRET_SUFFIXES = ("API_KEY", "_TOKEN", "_SECRET")
DEFAULT_FAIL_ON = "high"
NEVER = "never"

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
    runtime.secrets = [v for v in settings.values_of_names_ending(_SECRET_SUFFIXES) if v]
    _setup_logging(verbose=verbose, quiet=quiet, secrets=runtime.secrets)
