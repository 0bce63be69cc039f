"""The commands that check copy: ``check``, ``verify``, ``extract``, ``compare`` and
``schema``.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from claimcheck.cli.app import EXIT_BACKEND, Runtime, main
from claimcheck.cli.options import (
    _backend_options,
    _baseline_option,
    _knowledge_options,
    _model_knowledge_option,
    _output_option,
    _report_options,
)
from claimcheck.cli.running import (
    RunOptions,
    _check_writable,
    _check_yaml,
    _count,
    _failures,
    _finish,
    _first_line,
    _knowledge,
    _llm,
    _progress,
    _read,
    _run_and_report,
    _stdin,
    _with_skipped,
    _write,
)
from claimcheck.errors import InputError

if TYPE_CHECKING:
    from claimcheck.models import ArticleClaims


# --------------------------------------------------------------------------- check


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
        lambda llm, run: _with_skipped(
            pipeline.check(batch.articles, llm=llm, options=run), batch.errors
        ),
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
        lambda llm, run: _with_skipped(
            pipeline.verify(drafts[0], batch.articles, llm=llm, options=run), batch.errors
        ),
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


# --------------------------------------------------------------------------- schema


@main.command()
def schema() -> None:
    """Print the JSON schema of the report (committed as docs/report-schema.json)."""
    from claimcheck.report.json_report import schema_text

    click.echo(schema_text(), nl=False)
