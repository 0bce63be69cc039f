"""The options several commands share (report, backend, knowledge, baseline), in one place
so that their names, defaults and help read the same on every command.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from claimcheck import settings
from claimcheck.cli.app import DEFAULT_FAIL_ON, FORMATS, NEVER, SEVERITIES
from claimcheck.settings import ENV_FAIL_ON

if TYPE_CHECKING:
    pass


F = TypeVar("F", bound=Callable[..., Any])


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
            default=lambda: settings.fail_on(DEFAULT_FAIL_ON),
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
    entities of an article (:mod:`claimcheck.llm.memo`), which are read before the model is."""
    if value:
        from claimcheck.llm import memo

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
            help="Articles extracted, and events cross-checked, at the same time.",
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
