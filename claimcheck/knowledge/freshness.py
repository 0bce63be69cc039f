"""What the knowledge covers and through which date: per source and kind of office, how many
countries (or bodies) and the last day the data reflects, so an editor sees at a glance which
titles can be checked for a story's date and which cannot (``claimcheck kb sources``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from claimcheck.knowledge.tenures import Role, Tenure
from claimcheck.language.vocabulary.offices import office_vocabulary

__all__ = ["KINDS", "Freshness", "freshness", "source_family"]

#: The kinds of office the table tells apart, in the order it lists them.
KINDS = ("heads of state and government", "ministers", "regions and cities", "international")
# Repositories of one project, one snapshot each, are one source in the table.
_FAMILIES = ("every-politician-scrapers",)


@dataclass(frozen=True)
class Freshness:
    """One row of the table: a source's offices of one kind."""

    source: str
    kind: str
    jurisdictions: int
    earliest: date | None  # the oldest of its snapshots' days (several repositories)
    through: date | None  # the newest day its data reflects


def source_family(source: str | None) -> str:
    """The source a tenure's provenance names, repositories of one project taken together:
    'factbook/factbook.json', 'every-politician-scrapers', 'claimcheck/data/officeholders.yaml'."""
    if not source:
        return "user files"
    head = source.split(" ")[0]
    repo = head.split("@")[0]
    return next((f for f in _FAMILIES if repo.startswith(f + "/")), repo)


def _kind(tenure: Tenure) -> str:
    office = office_vocabulary().office(tenure.office)
    level = office.level if office is not None else "national"
    if level == "international":
        return KINDS[3]
    if level in ("subnational", "city"):
        return KINDS[2]
    if {Role.HEAD_OF_STATE, Role.HEAD_OF_GOVERNMENT} & set(tenure.roles):
        return KINDS[0]
    return KINDS[1]


def freshness(tenures: Iterable[Tenure]) -> list[Freshness]:
    """The freshness table of ``tenures``, by source (in order of freshness) and kind.

    >>> from claimcheck.knowledge import default_knowledge
    >>> rows = freshness(default_knowledge())
    >>> any(r.kind == "heads of state and government" and r.jurisdictions > 150 for r in rows)
    True
    """
    places: dict[tuple[str, str], set[str]] = {}
    days: dict[tuple[str, str], list[date]] = {}
    for t in tenures:
        key = (source_family(t.source), _kind(t))
        places.setdefault(key, set()).add(t.jurisdiction)
        if t.verified_through is not None:
            days.setdefault(key, []).append(t.verified_through)
    rows = [
        Freshness(
            source=source,
            kind=kind,
            jurisdictions=len(found),
            earliest=min(days[(source, kind)]) if (source, kind) in days else None,
            through=max(days[(source, kind)]) if (source, kind) in days else None,
        )
        for (source, kind), found in places.items()
    ]
    return sorted(
        rows, key=lambda r: (-(r.through or date.min).toordinal(), r.source, KINDS.index(r.kind))
    )
