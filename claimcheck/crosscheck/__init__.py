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

Per event the checks run from one registry, :data:`claimcheck.crosscheck.checks.CHECKS`:
a new kind of cross-check is one module and one entry there.

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

from claimcheck.crosscheck.checks import CHECKS, Check, EventChecks, check_event
from claimcheck.crosscheck.events import EventGroup, group_events
from claimcheck.crosscheck.findings import ordered
from claimcheck.crosscheck.title_model import ModelTitleCheck
from claimcheck.crosscheck.verify import Verifier
from claimcheck.errors import ConfigError
from claimcheck.knowledge import KnowledgeBase
from claimcheck.llm import LLM
from claimcheck.models import ArticleClaims, Event, Finding
from claimcheck.options import CheckOptions, options_from

__all__ = ["CHECKS", "Check", "CrossCheckResult", "EventChecks", "check_event", "cross_check"]


class CrossCheckResult(BaseModel):
    """The events the cross-checker found and its findings, most urgent first."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    events: tuple[Event, ...] = ()
    findings: tuple[Finding, ...] = ()
    #: questions asked to verify the readings findings rest on (0 without an LLM)
    verification_questions: int = 0


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
