"""The checks run on one event, in one registry: a new kind of cross-check is one module and
one entry in :data:`CHECKS`.

Each check takes an :class:`EventChecks` (the event, the people it names, the knowledge, the
model and the verifier) and returns findings. They run in the registry's order, and a check
may leave word for a later one in ``settled``: the facts check marks the claims another
source corroborates or disputes, so the single-source check does not repeat them. An event
told by one source runs only the checks marked ``single_source`` (its titles can still be
wrong; there is nothing to compare across).

Example::

    findings = check_event(group, llm=None, knowledge=KnowledgeBase.load(), as_of=None)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from claimcheck.crosscheck.corroboration import uncorroborated
from claimcheck.crosscheck.entities import People
from claimcheck.crosscheck.events import EventGroup
from claimcheck.crosscheck.facts import judge_facts
from claimcheck.crosscheck.policy import UNCHECKED_READING_CEILING
from claimcheck.crosscheck.quantities import compare_quantities
from claimcheck.crosscheck.quotes import compare_quotes
from claimcheck.crosscheck.title_model import ModelTitleCheck
from claimcheck.crosscheck.titles import compare_titles, spelling_notes
from claimcheck.crosscheck.verify import Outcome, Verifier
from claimcheck.knowledge import KnowledgeBase
from claimcheck.llm import LLM
from claimcheck.models import (
    Basis,
    Claim,
    Finding,
    FindingKind,
    QuantityClaim,
    QuoteClaim,
    RoleClaim,
)

__all__ = ["CHECKS", "Check", "EventChecks", "check_event"]


def _people(group: EventGroup, knowledge: KnowledgeBase | None) -> People:
    names: list[str] = []
    for c in group.claims:
        if isinstance(c, RoleClaim):
            names.append(c.person)
        elif isinstance(c, QuoteClaim) and c.speaker:
            names.append(c.speaker)
    if knowledge is None:
        return People(names)

    def canonical(name: str) -> str | None:
        tenures = knowledge.tenures_of(name)
        spellings = {t.person for t in tenures}
        return spellings.pop() if len(spellings) == 1 else None

    return People(names, canonical=canonical)


# Kinds of finding whose evidence is a reading of figures or quotations, and so is re-read
# before it is reported.
_READ_KINDS = frozenset(
    {FindingKind.CONTRADICTION, FindingKind.DISCREPANCY, FindingKind.MISATTRIBUTION}
)
# Each round drops the readings that failed and compares again; a new finding the drop
# uncovers is verified in the next round.
_VERIFY_ROUNDS = 3


def _read_claims(finding: Finding, claims: dict[str, Claim]) -> list[Claim]:
    """The figure and quote claims a cross-source finding rests on (empty for others)."""
    if finding.kind not in _READ_KINDS or finding.basis is not Basis.CROSS_SOURCE:
        return []
    found = [claims[e.claim_id] for e in finding.evidence if e.claim_id in claims]
    return [c for c in found if isinstance(c, QuantityClaim | QuoteClaim)]


def _figures_and_quotes(group: EventGroup, people: People) -> list[Finding]:
    return compare_quantities(group) + compare_quotes(group, people)


def _verified(
    group: EventGroup, people: People, findings: list[Finding], verifier: Verifier
) -> list[Finding]:
    """The figure and quote findings once every reading they rest on has been re-read."""
    claims = {c.id: c for c in group.claims}
    outcomes: dict[str, Outcome] = {}
    for _ in range(_VERIFY_ROUNDS):
        asked = [c for f in findings for c in _read_claims(f, claims) if c.id not in outcomes]
        if not asked:
            break
        outcomes.update(verifier.check(group, dict.fromkeys(asked), people))
        rejected = {i for i, o in outcomes.items() if o is Outcome.REJECTED}
        if not any(c.id in rejected for c in asked):
            break
        group = EventGroup(
            event=group.event,
            items=group.items,
            claims=tuple(c for c in group.claims if c.id not in rejected),
        )
        findings = _figures_and_quotes(group, people)
    out = []
    for finding in findings:
        read = _read_claims(finding, claims)
        # A reading the model could not check stays, but earns no more than low.
        unchecked = any(outcomes.get(c.id) is not Outcome.CONFIRMED for c in read)
        if unchecked and finding.severity.rank > UNCHECKED_READING_CEILING.rank:
            finding = finding.model_copy(update={"severity": UNCHECKED_READING_CEILING})
        out.append(finding)
    return out


@dataclass
class EventChecks:
    """What every check of one event may use, and what earlier checks leave for later ones."""

    group: EventGroup
    people: People
    llm: LLM | None
    knowledge: KnowledgeBase | None
    as_of: dt.date | None
    model_titles: ModelTitleCheck | None = None
    verifier: Verifier | None = None
    #: claim ids a check has already made a finding of (another source backs or disputes)
    settled: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Check:
    """One kind of cross-check: claims of an event in, findings out."""

    name: str
    run: Callable[[EventChecks], list[Finding]]
    #: also run on an event only one source tells
    single_source: bool = False


def _titles(ctx: EventChecks) -> list[Finding]:
    return compare_titles(
        ctx.group, ctx.people, knowledge=ctx.knowledge, as_of=ctx.as_of, model=ctx.model_titles
    )


def _figures_quotes(ctx: EventChecks) -> list[Finding]:
    compared = _figures_and_quotes(ctx.group, ctx.people)
    if ctx.verifier is not None:
        compared = _verified(ctx.group, ctx.people, compared, ctx.verifier)
    return compared


def _spellings(ctx: EventChecks) -> list[Finding]:
    return spelling_notes(ctx.group, ctx.people)


def _facts(ctx: EventChecks) -> list[Finding]:
    facts = judge_facts(ctx.group, ctx.llm)
    # A fact another source contradicts is already a finding; "no one else says so" would
    # only repeat it.
    ctx.settled |= facts.corroborated | facts.disputed
    return list(facts.findings)


def _single_source(ctx: EventChecks) -> list[Finding]:
    return uncorroborated(ctx.group, ctx.settled)


#: Every cross-check, in the order they run (the facts check before the single-source one).
CHECKS: tuple[Check, ...] = (
    Check("titles", _titles, single_source=True),
    Check("figures and quotes", _figures_quotes),
    Check("spellings", _spellings),
    Check("facts", _facts),
    Check("single source", _single_source),
)


def check_event(
    group: EventGroup,
    *,
    llm: LLM | None,
    knowledge: KnowledgeBase | None,
    as_of: dt.date | None,
    model_titles: ModelTitleCheck | None = None,
    verifier: Verifier | None = None,
    checks: tuple[Check, ...] = CHECKS,
) -> list[Finding]:
    """Every finding about one event; with a ``verifier``, figure and quote findings rest
    only on readings that held when re-read in their own passages."""
    if len(group.items) < 2 and knowledge is None and model_titles is None:
        return []
    ctx = EventChecks(
        group=group,
        people=_people(group, knowledge),
        llm=llm,
        knowledge=knowledge,
        as_of=as_of,
        model_titles=model_titles,
        verifier=verifier,
    )
    one_source = len(group.items) < 2
    findings: list[Finding] = []
    for check in checks:
        if one_source and not check.single_source:
            continue
        findings += check.run(ctx)
    return findings
