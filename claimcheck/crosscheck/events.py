"""Event grouping: which articles report the same real-world event, on positive evidence.

Two articles are one event only when something ties them: a shared specific place (a city,
not a whole country), shared named people (not heads of state, who are in every story of
their country), shared distinctive figures ("550 drones"), a shared anchor ("hours after the
phone call"), the same named organisation or flight, similar lede wording. Nothing telling two
articles apart is never a reason to join them. Evidence against weighs too, but as evidence,
never as a veto: kinds of unrelated families (a crash and an earthquake, a vote and a
verdict) and event places in different countries count heavily against; two places of one
country (a county and its state, a borough and its city, a flight's origin and its crash
site) and related kinds (a storm and its flood) count little; different anchors ("hours
after the talks offer" against
"hours after the phone call") or different counts of the same thing on one day count
against. Coverage over several days joins only on strong ties; what code cannot decide is
asked of the LLM when one is given, and otherwise left apart, because comparing two
different events is the false alarm an editor never forgives.

What is read of each article is in :mod:`~claimcheck.crosscheck.event_profile`, the evidence
and its weights in :mod:`~claimcheck.crosscheck.event_evidence`; this module clusters the
articles, asks the model the same-event question where code cannot decide, and names the
events.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from claimcheck.crosscheck.event_evidence import _MAX_SPAN_DAYS as _MAX_SPAN_DAYS
from claimcheck.crosscheck.event_evidence import _Cluster, _Decision
from claimcheck.crosscheck.event_evidence import _decide as _decide
from claimcheck.crosscheck.event_profile import _a_name_in as _a_name_in
from claimcheck.crosscheck.event_profile import _anchors as _anchors
from claimcheck.crosscheck.event_profile import _head as _head
from claimcheck.crosscheck.event_profile import _head_entities as _head_entities
from claimcheck.crosscheck.event_profile import _names as _names
from claimcheck.crosscheck.event_profile import _Profile
from claimcheck.crosscheck.event_profile import _profile as _profile
from claimcheck.crosscheck.event_profile import _recognise as _recognise
from claimcheck.crosscheck.findings import long_date
from claimcheck.crosscheck.text import mentions_other_time, place_key
from claimcheck.errors import StructuredOutputError
from claimcheck.language.vocabulary.events import event_vocabulary
from claimcheck.llm import LLM
from claimcheck.llm.prompts import render
from claimcheck.models import (
    Article,
    ArticleClaims,
    Claim,
    DateCertainty,
    Event,
    EventFactClaim,
    QuantityClaim,
)

log = logging.getLogger(__name__)

# How much article text the same-event prompt shows of each article.
_EXCERPT_CHARS = 600


@dataclass(frozen=True)
class EventGroup:
    """One event with the articles that report it and the claims about it."""

    event: Event
    items: tuple[ArticleClaims, ...]
    # Claims that talk about another time ("in February 2022") are kept out of comparisons.
    claims: tuple[Claim, ...]

    @cached_property
    def articles(self) -> dict[str, Article]:
        """The event's articles by id (built once: every finding of the event looks it up)."""
        return {item.article.id: item.article for item in self.items}

    @cached_property
    def days(self) -> dict[str, dt.date | None]:
        """Each article's own day (its event date, else its publication date).

        An event covered over several days joins articles of different days: a figure that
        differs between days is an update (a toll rising from 144 to 3,145), one that differs
        on one day a contradiction. Comparers read the days from here.
        """
        return {
            item.article.id: item.event.date if item.event.date else item.article.published
            for item in self.items
        }

    @property
    def spans_days(self) -> bool:
        """Whether the event's articles report it on more than one day."""
        return len({d for d in self.days.values() if d is not None}) > 1


class SameEventAnswer(BaseModel):
    """The LLM's answer to 'do these two articles report the same event?'."""

    model_config = ConfigDict(extra="forbid")

    verdict: Literal["same", "different", "unsure"]
    reason: str = Field(max_length=300)


def _describe(item: ArticleClaims) -> str:
    a = item.article
    info = item.event
    # One line each: a title's own line breaks must not look like the prompt's structure.
    lines = [
        f"title: {' '.join((a.title or '(none)').split())}",
        f"published: {a.published or 'unknown'}",
        f"event date: {info.date or 'unknown'}",
        f"place: {info.place or 'unknown'}",
        f"kind: {info.kind or 'unknown'}",
        f"text: {a.text[:_EXCERPT_CHARS]}",
    ]
    return "\n".join(lines)


def _ask(llm: LLM, p: _Profile, cluster: _Cluster) -> bool:
    prompt = render(
        "crosscheck.same_event",
        first=_describe(cluster.members[0].item),
        second=_describe(p.item),
    )
    try:
        answer = llm.parse(SameEventAnswer, prompt)
    except StructuredOutputError as exc:
        # One unanswerable question must not sink a whole batch; undecided means apart,
        # as without an LLM.
        log.warning("could not ask whether %s reports a known event, kept apart: %s", p.id, exc)
        return False
    return answer.verdict == "same"


def _keys(p: _Profile) -> set[str]:
    """Blocking keys: an article only meets clusters it shares one of these with."""
    keys = {f"place:{k}" for k in p.places} | {f"person:{k}" for k in p.persons}
    keys |= {f"figure:{m}:{n}:{v}" for m, n, v in p.figures}
    keys |= {f"anchor:{w}" for a in p.anchors for w in a}
    keys |= {f"org:{k}" for k in p.orgs} | {f"flight:{k}" for k in p.flights}
    if p.family in event_vocabulary().lasting:
        keys |= {f"country:{k}" for k in p.countries}  # "Turkey and Syria": a quake's
    return keys


def _cluster(
    profiles: Sequence[_Profile], grouping: Mapping[str, str], llm: LLM | None
) -> list[_Cluster]:
    clusters: list[_Cluster] = []
    declared: dict[str, _Cluster] = {}
    # A person any article names as a head of state or government ties nothing, anywhere.
    heads: set[str] = set().union(*(p.heads for p in profiles)) if profiles else set()
    by_key: dict[str, set[int]] = defaultdict(set)
    by_day: dict[dt.date, set[int]] = defaultdict(set)
    undated: set[int] = set()

    def index(i: int, p: _Profile) -> None:
        for key in _keys(p):
            by_key[key].add(i)
        if p.day is not None:
            by_day[p.day].add(i)
            undated.discard(i)
        elif not clusters[i].days:
            undated.add(i)

    def candidates(p: _Profile) -> list[list[int]]:
        """Clusters sharing a tie key, nearest days first: one tier of the same or next day
        (and undated clusters), then one of the days further apart."""
        keyed: set[int] = set()
        for key in _keys(p):
            keyed |= by_key.get(key, set())
        if p.day is None:
            return [sorted(keyed)]
        near = set(undated)
        far: set[int] = set()
        for delta in range(-_MAX_SPAN_DAYS, _MAX_SPAN_DAYS + 1):
            found = by_day.get(p.day + dt.timedelta(days=delta), set())
            (near if abs(delta) <= 1 else far).update(found)
        return [sorted(keyed & near), sorted(keyed & (far - near))]

    position: dict[str, int] = {}
    # Clusters merged into another (their members were indexed there too).
    gone: set[int] = set()
    for p in profiles:
        event_id = grouping.get(p.id)
        if event_id is None:
            continue
        if event_id not in declared:
            declared[event_id] = _Cluster(declared_id=event_id)
            position[event_id] = len(clusters)
            clusters.append(declared[event_id])
        declared[event_id].add(p)
        index(position[event_id], p)

    # Dated articles first, so undated ones meet the clusters the dated ones formed.
    rest = sorted(
        (p for p in profiles if p.id not in grouping),
        key=lambda p: (p.day is None, p.day or dt.date.min, p.id),
    )
    for p in rest:
        ranked: list[tuple[int, int, _Decision]] = []
        for tier in candidates(p):
            for i in tier:
                if i in gone:
                    continue
                decision, score = _decide(p, clusters[i], heads)
                if decision is not _Decision.DIFFERENT:
                    ranked.append((-score, i, decision))
            if any(d is _Decision.SAME for _, _, d in ranked):
                break  # the same or next day already holds the event
        chosen: int | None = None
        for _, i, decision in sorted(ranked):
            if decision is _Decision.SAME or (llm is not None and _ask(llm, p, clusters[i])):
                chosen = i
                break
        if chosen is None:
            clusters.append(_Cluster())
            chosen = len(clusters) - 1
        clusters[chosen].add(p)
        index(chosen, p)
        for _, i, decision in sorted(ranked):
            if (
                decision is _Decision.SAME
                and i != chosen
                and _bridged(clusters[i], clusters[chosen], heads)
            ):
                for m in clusters[i].members:
                    clusters[chosen].add(m)
                    index(chosen, m)
                gone.add(i)
    return [c for i, c in enumerate(clusters) if i not in gone]


def _bridged(other: _Cluster, cluster: _Cluster, heads: set[str]) -> bool:
    """Whether ``other`` is the event ``cluster`` now holds: an article that joins both on
    code's evidence bridges them (the results day and the next day's market report, tied by
    the day between) when no member of ``other`` reads as a different event from them."""
    if other.declared_id is not None or cluster.declared_id is not None:
        return False
    return all(_decide(m, cluster, heads)[0] is not _Decision.DIFFERENT for m in other.members)


def _event_of(cluster: _Cluster, event_id: str) -> Event:
    infos = [m.item.event for m in cluster.members]
    trusted = [
        i.date
        for i in infos
        if i.date is not None and i.date_certainty in (DateCertainty.STATED, DateCertainty.METADATA)
    ]
    days = trusted or [m.day for m in cluster.members if m.day is not None]
    day = Counter(days).most_common(1)[0][0] if days else None
    place = cluster.place()
    kinds = [i.kind for i in infos if i.kind]
    # "nine arrested" in two reports of a bridge collapse: the collapse is the event
    vocab = event_vocabulary()
    kinds = [k for k in kinds if not vocab.follows_up(k)] or kinds
    kind = Counter(kinds).most_common(1)[0][0] if kinds else None
    label = ", ".join(x for x in (place, long_date(day) if day else None) if x)
    if kind:
        label = f"{label}: {kind}" if label else kind
    return Event(
        id=event_id,
        article_ids=tuple(sorted(m.id for m in cluster.members)),
        date=day,
        place=place,
        kind=kind,
        label=label or "undated event",
    )


def _auto_id(cluster: _Cluster) -> str:
    days = sorted(cluster.days)
    key = place_key(cluster.place()) or "unknown-place"
    return f"{key}-{days[0].isoformat() if days else 'undated'}"


def group_events(
    items: Sequence[ArticleClaims],
    *,
    grouping: Mapping[str, str] | None = None,
    llm: LLM | None = None,
) -> list[EventGroup]:
    """Group articles into events; ``grouping`` (article id -> event id) is taken as given."""
    entities = _head_entities([item.article.text for item in items])
    profiles = [_profile(item, ents) for item, ents in zip(items, entities, strict=True)]
    clusters = _cluster(profiles, grouping or {}, llm)
    used: set[str] = {c.declared_id for c in clusters if c.declared_id is not None}
    auto = sorted(
        (c for c in clusters if c.declared_id is None),
        key=lambda c: (_auto_id(c), min(m.id for m in c.members)),
    )
    ids: dict[int, str] = {}
    for cluster in auto:
        base = _auto_id(cluster)
        candidate, n = base, 1
        while candidate in used:
            n += 1
            candidate = f"{base}-{n}"
        used.add(candidate)
        ids[id(cluster)] = candidate
    groups = []
    for cluster in clusters:
        event_id = cluster.declared_id or ids[id(cluster)]
        event = _event_of(cluster, event_id)
        members = tuple(sorted((m.item for m in cluster.members), key=lambda i: i.article.id))
        claims = tuple(
            c
            for item in members
            for c in item.claims
            if not (
                isinstance(c, QuantityClaim | EventFactClaim)
                and mentions_other_time(c.time, event.date)
            )
        )
        groups.append(EventGroup(event=event, items=members, claims=claims))
    return sorted(groups, key=lambda g: g.event.id)
