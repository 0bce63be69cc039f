"""``claimcheck kb``: the knowledge of office holders (import, update, refresh, sources,
show).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from claimcheck import settings
from claimcheck.cli.app import main
from claimcheck.cli.options import _output_option
from claimcheck.errors import ConfigError

if TYPE_CHECKING:
    pass


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
    envvar=settings.ENV_SPARQL_ENDPOINT,
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
