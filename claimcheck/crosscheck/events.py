"""Event grouping: which articles report the same real-world event.

Articles are blocked by date first (the event date an article pins down, else its published
date), so an article is only ever compared with the few event clusters of its own day or
the day either side; places and distinctive figures ("550 drones") then decide. What code
cannot decide is asked of the LLM when one is given, and otherwise left apart, because
comparing two different attacks is the false alarm an editor never forgives.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from claimcheck.crosscheck.findings import long_date
from claimcheck.crosscheck.text import (
    BROAD_PLACES,
    content_tokens,
    mentions_other_time,
    place_key,
    places_compatible,
    singular,
    tokens,
)
from claimcheck.errors import StructuredOutputError
from claimcheck.llm import LLM
from claimcheck.models import (
    Article,
    ArticleClaims,
    Claim,
    DateCertainty,
    Event,
    EventFactClaim,
    QuantityClaim,
)
from claimcheck.prompts import render

log = logging.getLogger(__name__)

# A figure this small is too common to tell two events apart.
_DISTINCTIVE_FROM = 10
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


@dataclass
class _Profile:
    """What grouping looks at in one article."""

    item: ArticleClaims
    day: dt.date | None
    place: str | None
    kind: frozenset[str]
    figures: frozenset[tuple[str, str, float]]

    @property
    def id(self) -> str:
        return self.item.article.id


@dataclass
class _Cluster:
    """Articles grouped so far, with running aggregates so a decision costs O(1) in size."""

    declared_id: str | None = None
    members: list[_Profile] = field(default_factory=list)
    days: set[dt.date] = field(default_factory=set)
    figures: set[tuple[str, str, float]] = field(default_factory=set)
    kind: set[str] = field(default_factory=set)
    _named_places: Counter[str] = field(default_factory=Counter)
    _any_places: Counter[str] = field(default_factory=Counter)

    def add(self, p: _Profile) -> None:
        self.members.append(p)
        if p.day is not None:
            self.days.add(p.day)
        self.figures |= p.figures
        self.kind |= p.kind
        if p.place:
            self._any_places[p.place] += 1
            if place_key(p.place) not in (None, *BROAD_PLACES):
                self._named_places[p.place] += 1

    def place(self) -> str | None:
        """The most common named place (a city beats 'Ukraine'), ties by first seen."""
        pool = self._named_places or self._any_places
        return pool.most_common(1)[0][0] if pool else None


class _Decision(str, Enum):
    SAME = "same"
    DIFFERENT = "different"
    AMBIGUOUS = "ambiguous"


class SameEventAnswer(BaseModel):
    """The LLM's answer to 'do these two articles report the same event?'."""

    model_config = ConfigDict(extra="forbid")

    verdict: Literal["same", "different", "unsure"]
    reason: str = Field(max_length=300)


def _profile(item: ArticleClaims) -> _Profile:
    info = item.event
    day = info.date if info.date is not None else item.article.published
    figures = frozenset(
        (c.measure, singular(tokens(c.subject)[-1]) if tokens(c.subject) else "", c.value)
        for c in item.claims
        if isinstance(c, QuantityClaim)
        and c.value >= _DISTINCTIVE_FROM
        and not mentions_other_time(c.time, day)
    )
    kind = frozenset(singular(t) for t in content_tokens(info.kind or "")) - {"attack"}
    return _Profile(item=item, day=day, place=info.place, kind=kind, figures=figures)


def _decide(p: _Profile, cluster: _Cluster) -> tuple[_Decision, int]:
    """Same / different / ambiguous, and a score to rank candidate clusters."""
    if not places_compatible(p.place, cluster.place()):
        return _Decision.DIFFERENT, 0
    shared = len(p.figures & cluster.figures)
    days = cluster.days
    kinds_clash = bool(p.kind) and bool(cluster.kind) and not (p.kind & cluster.kind)
    if p.day is not None and p.day in days:
        if kinds_clash and not shared:
            return _Decision.AMBIGUOUS, 1
        return _Decision.SAME, 10 + shared
    if p.day is not None and days:
        near = any(abs((p.day - d).days) <= 1 for d in days)
        if not near:
            return _Decision.DIFFERENT, 0
        # Overnight attacks are dated by one outlet on the night, by another the next day.
        if shared >= 2 or (shared and not kinds_clash):
            return _Decision.SAME, 5 + shared
        return _Decision.AMBIGUOUS, shared
    # One side has no date at all: only figures and place can tie it.
    if shared >= 2:
        return _Decision.SAME, shared
    named = place_key(p.place) not in (None, *BROAD_PLACES)
    if shared or (named and place_key(p.place) == place_key(cluster.place())):
        return _Decision.AMBIGUOUS, shared
    return _Decision.DIFFERENT, 0


def _describe(item: ArticleClaims) -> str:
    a = item.article
    info = item.event
    lines = [
        f"title: {a.title or '(none)'}",
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


def _cluster(
    profiles: Sequence[_Profile], grouping: Mapping[str, str], llm: LLM | None
) -> list[_Cluster]:
    clusters: list[_Cluster] = []
    declared: dict[str, _Cluster] = {}
    # Blocking indexes: (day, place) for named places; per day for clusters whose place is
    # unknown or a whole country, which any article of the day may join; figures and places
    # for undated articles. Each holds cluster positions.
    by_day_place: dict[tuple[dt.date, str], set[int]] = defaultdict(set)
    by_day_open: dict[dt.date, set[int]] = defaultdict(set)
    by_day: dict[dt.date, set[int]] = defaultdict(set)
    by_place: dict[str, set[int]] = defaultdict(set)
    by_figure: dict[tuple[str, str, float], set[int]] = defaultdict(set)

    def index(i: int, p: _Profile) -> None:
        key = place_key(p.place)
        named = key is not None and key not in BROAD_PLACES
        if p.day is not None:
            for delta in (-1, 0, 1):
                day = p.day + dt.timedelta(days=delta)
                by_day[day].add(i)
                if named and key is not None:
                    by_day_place[(day, key)].add(i)
                else:
                    by_day_open[day].add(i)
        if key is not None:
            by_place[key].add(i)
        for fig in p.figures:
            by_figure[fig].add(i)

    def candidates(p: _Profile) -> list[int]:
        key = place_key(p.place)
        found: set[int] = set()
        if p.day is not None:
            if key is not None and key not in BROAD_PLACES:
                found |= by_day_place.get((p.day, key), set()) | by_day_open.get(p.day, set())
            else:
                found |= by_day.get(p.day, set())
        else:
            found |= by_place.get(key or "", set())
            for fig in p.figures:
                found |= by_figure.get(fig, set())
        return sorted(found)

    position: dict[str, int] = {}
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
        for i in candidates(p):
            decision, score = _decide(p, clusters[i])
            if decision is not _Decision.DIFFERENT:
                ranked.append((-score, i, decision))
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
    return clusters


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
    profiles = [_profile(item) for item in items]
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
