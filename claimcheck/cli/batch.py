"""``claimcheck batch``: the same check on a Ray cluster (the [ray] extra)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from claimcheck.cli.app import Runtime, main, redact
from claimcheck.cli.options import (
    _backend_options,
    _baseline_option,
    _knowledge_options,
    _model_knowledge_option,
    _report_options,
)
from claimcheck.cli.running import RunOptions, _check_writable, _finish, _knowledge, _with_skipped

if TYPE_CHECKING:
    pass


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
