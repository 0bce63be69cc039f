"""Cross-checking: compare the claims of many articles on the same events, report findings.

The flow, each step in its own module::

    ArticleClaims ──events──> EventGroups (blocked by date, then place and figures)
      per event ──entities──> People (one person, many spellings)
                ──quantities─> contradictions / discrepancies of figures (interval compare)
                ──titles─────> misattributed titles (knowledge, then across sources, then
                               optionally the model's own knowledge)
                ──quotes─────> quotes credited to different speakers
                ──facts──────> event facts judged on blocked candidate pairs (LLM, optional)
                ──corroboration> single-source happenings
                ──verify─────> with an LLM, each figure or quote a finding rests on is
                               re-read in its own passage; a failed reading is dropped
                               and the event compared again without it
      ──findings──> stable ids, evidence from every source, deterministic order

Everything but event-fact judging, ambiguous event grouping and the optional model-knowledge
title check is deterministic code; with ``llm=None`` no LLM is called and ambiguous cases are
decided conservatively (articles are kept apart, fact pairs are not judged).

Example::

    from claimcheck.crosscheck import cross_check
    result = cross_check(items)                  # items: Sequence[ArticleClaims]
    for finding in result.findings:
        print(finding.severity.value, finding.explanation)
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

from pydantic import BaseModel, ConfigDict

from claimcheck.crosscheck.corroboration import uncorroborated
from claimcheck.crosscheck.entities import People
from claimcheck.crosscheck.events import EventGroup, group_events
from claimcheck.crosscheck.facts import judge_facts
from claimcheck.crosscheck.findings import ordered
from claimcheck.crosscheck.policy import UNCHECKED_READING_CEILING
from claimcheck.crosscheck.quantities import compare_quantities
from claimcheck.crosscheck.quotes import compare_quotes
from claimcheck.crosscheck.title_model import ModelTitleCheck
from claimcheck.crosscheck.titles import compare_titles, spelling_notes
from claimcheck.crosscheck.verify import Outcome, Verifier
from claimcheck.errors import ConfigError
from claimcheck.knowledge import KnowledgeBase
from claimcheck.llm import LLM
from claimcheck.models import (
    ArticleClaims,
    Basis,
    Claim,
    Event,
    Finding,
    FindingKind,
    QuantityClaim,
    QuoteClaim,
    RoleClaim,
)
from claimcheck.options import CheckOptions, options_from

__all__ = ["CrossCheckResult", "cross_check"]


class CrossCheckResult(BaseModel):
    """The events the cross-checker found and its findings, most urgent first."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    events: tuple[Event, ...] = ()
    findings: tuple[Finding, ...] = ()
    #: questions asked to verify the readings findings rest on (0 without an LLM)
    verification_questions: int = 0


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


def check_event(
    group: EventGroup,
    *,
    llm: LLM | None,
    knowledge: KnowledgeBase | None,
    as_of: dt.date | None,
    model_titles: ModelTitleCheck | None = None,
    verifier: Verifier | None = None,
) -> list[Finding]:
    """Every finding about one event; with a ``verifier``, figure and quote findings rest
    only on readings that held when re-read in their own passages."""
    if len(group.items) < 2 and knowledge is None and model_titles is None:
        return []
    people = _people(group, knowledge)
    findings = compare_titles(group, people, knowledge=knowledge, as_of=as_of, model=model_titles)
    if len(group.items) < 2:
        # One source: nothing to compare across, but its titles can still be wrong.
        return findings
    compared = _figures_and_quotes(group, people)
    if verifier is not None:
        compared = _verified(group, people, compared, verifier)
    findings += compared
    findings += spelling_notes(group, people)
    facts = judge_facts(group, llm)
    findings += facts.findings
    # A fact another source contradicts is already a finding; "no one else says so" would
    # only repeat it.
    findings += uncorroborated(group, facts.corroborated | facts.disputed)
    return findings


def _each_event(
    groups: Sequence[EventGroup], work: Callable[[EventGroup], list[Finding]], concurrency: int
) -> list[Finding]:
    """``work`` on every event, up to ``concurrency`` events at once, findings in event order.

    The events are independent, so a slow or hanging answer in one event no longer holds up
    the questions of every other: on a slow endpoint a batch's cross-check took the sum of its
    events' waits. Each worker runs in a copy of the caller's context, so the failures and
    question tallies the pipeline collects (context variables) still see every question.
    """
    if concurrency <= 1 or len(groups) < 2:
        return [f for g in groups for f in work(g)]
    with ThreadPoolExecutor(
        min(concurrency, len(groups)), thread_name_prefix="claimcheck-crosscheck"
    ) as pool:
        running = [pool.submit(contextvars.copy_context().run, work, g) for g in groups]
        return [f for r in running for f in r.result()]


def cross_check(
    items: Sequence[ArticleClaims],
    *,
    llm: LLM | None = None,
    knowledge: KnowledgeBase | None = None,
    as_of: dt.date | None = None,
    grouping: Mapping[str, str] | None = None,
    model_knowledge: bool = False,
    verify: bool = True,
    concurrency: int = 1,
    options: CheckOptions | None = None,
) -> CrossCheckResult:
    """Group articles into events and report what their claims disagree on.

    ``grouping`` maps article id -> a user-declared event id (taken as given);
    ``knowledge`` checks titles against office holders at the date each article speaks
    for (``as_of`` or today when an article has no date); ``llm`` is used for ambiguous
    event grouping and for judging event-fact pairs.

    ``model_knowledge=True`` (needs ``llm``) also asks the model, from its own knowledge,
    about each title ``knowledge`` cannot decide (an office, person or country the file
    lacks; every title when ``knowledge`` is None): one question per distinct person, title
    and date in the run. Only a "no" becomes a finding: a low-severity misattribution with
    ``basis=model`` and confidence 0.35, saying it should be verified.

    ``verify`` (with ``llm``): before a figure or quote finding is reported, each claim it
    rests on is re-read in its own passage by one narrow question (see
    :mod:`claimcheck.crosscheck.verify`); readings that fail are dropped, and a finding whose
    readings the model could not check is reported at most as low.

    ``concurrency`` (with ``llm``): how many events ask their questions at once. The
    findings are the same for any value; only the waiting changes.

    ``options``: ``knowledge``, ``as_of``, ``grouping``, ``model_knowledge`` and
    ``concurrency`` as the one :class:`~claimcheck.options.CheckOptions` the pipeline's entry
    points take (its other fields are for the pipeline); either it or those keywords, not
    both.
    """
    run = options_from(
        options,
        knowledge=knowledge,
        as_of=as_of,
        grouping=grouping,
        model_knowledge=model_knowledge,
        concurrency=concurrency,
    )
    knowledge, as_of, grouping = run.knowledge, run.as_of, run.grouping
    model_knowledge, concurrency = run.model_knowledge, run.concurrency
    if concurrency < 1:
        raise ConfigError(f"concurrency must be at least 1, not {concurrency}")
    if model_knowledge and llm is None:
        raise ConfigError(
            "model_knowledge asks the model about titles, so it needs an llm; pass llm= or "
            "leave model_knowledge off"
        )
    seen: set[str] = set()
    for item in items:
        if item.article.id in seen:
            raise ConfigError(
                f"article id {item.article.id!r} appears twice; give each article a distinct id"
            )
        seen.add(item.article.id)
    groups = group_events(items, grouping=grouping, llm=llm)
    # One for the whole run, so a title repeated across events is asked once.
    model_titles = ModelTitleCheck(llm) if model_knowledge and llm is not None else None
    verifier = Verifier(llm) if verify and llm is not None else None

    def work(group: EventGroup) -> list[Finding]:
        return check_event(
            group,
            llm=llm,
            knowledge=knowledge,
            as_of=as_of,
            model_titles=model_titles,
            verifier=verifier,
        )

    findings = _each_event(groups, work, concurrency if llm is not None else 1)
    return CrossCheckResult(
        events=tuple(g.event for g in groups),
        findings=ordered(findings),
        verification_questions=verifier.questions if verifier is not None else 0,
    )
