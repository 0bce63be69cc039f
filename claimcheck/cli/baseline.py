"""``claimcheck baseline``: the file of findings an editor reviewed (add, list, prune)."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from claimcheck.cli.app import main
from claimcheck.cli.running import _count
from claimcheck.errors import InputError

if TYPE_CHECKING:
    from claimcheck import baseline as baselines


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
