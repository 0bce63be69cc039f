"""Event kinds, what-happened verbs and exclusive-claim rules, read once from ``events.yaml``.

Extraction reads an article's kind and its fact sentences from these objects; cross-checking
reads kind families (a crash never joins an earthquake), anchor phrases, negations and the
exclusive-claim rules. No story-type word is held in code.

Example::

    vocab = event_vocabulary()
    vocab.kind_of("A magnitude 7.7 earthquake struck central Myanmar")  # the earthquake kind
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any, Literal

from claimcheck.errors import InputError
from claimcheck.language.vocabulary import load_section


def _words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """Whole-word alternation, longer phrases first so the longest wins at a position."""
    ordered = sorted(words, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in ordered) + r")(?![\w-])")


@dataclass(frozen=True)
class EventKind:
    """A kind of event an article's lede may report."""

    label: str
    family: str
    words: tuple[str, ...]
    also: tuple[str, ...] = ()
    #: the event happens at one site (a crash): its figures are the site's, wherever an
    #: outlet places them (the town, the region, the country)
    one_site: bool = False
    #: the place a report names is an angle, not where it happened (a company's results)
    placeless: bool = False
    #: the event's place is its country (a national election): the cities reports name
    #: are angles, two countries two events
    country_wide: bool = False
    #: words right before (within three) or right after a kind word that make it a figure
    #: of speech: "won a landslide", "a landslide victory" are no disaster
    figurative_before: frozenset[str] = frozenset()
    figurative_after: frozenset[str] = frozenset()
    #: the kind applies only where no other kind does: its words are common in other
    #: stories' ledes ("buildings collapsed" after a quake)
    fallback: bool = False

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        return _words_pattern(self.words)

    @cached_property
    def also_pattern(self) -> re.Pattern[str] | None:
        return _words_pattern(self.also) if self.also else None

    def first_at(self, lower: str) -> int | None:
        """Where the kind's first word starts in lower-case ``lower``, or None if it does
        not apply there."""
        m = next((m for m in self.pattern.finditer(lower) if not self._figurative(lower, m)), None)
        if m is None:
            return None
        if self.also_pattern is not None and self.also_pattern.search(lower) is None:
            return None
        return m.start()

    def _figurative(self, lower: str, m: re.Match[str]) -> bool:
        before = re.findall(r"[a-z]+", lower[max(0, m.start() - 40) : m.start()])[-3:]
        after = re.findall(r"[a-z]+", lower[m.end() : m.end() + 20])[:1]
        return bool(self.figurative_before & set(before) or self.figurative_after & set(after))


@dataclass(frozen=True)
class FactVerb:
    """A phrase saying what happened to what ("was set ablaze", "claimed responsibility")."""

    phrase: str
    role: Literal["object", "subject", "passive"]
    counted: bool = False


@dataclass(frozen=True)
class ExclusiveClaim:
    """An exclusive claim ("only military sites were hit") and the other class that
    contradicts it ("homes were damaged"): one mechanism, any story's words."""

    id: str
    subject: str
    exclusive: tuple[re.Pattern[str], ...]
    attributed_to: tuple[re.Pattern[str], ...]
    others: frozenset[str]
    not_damage: frozenset[str]
    explanation: str
    suggestion: str


@dataclass(frozen=True)
class EventVocabulary:
    """Everything events.yaml says, parsed."""

    kinds: tuple[EventKind, ...]
    fact_verbs: tuple[FactVerb, ...]
    figurative: frozenset[str]
    anchor_markers: tuple[str, ...]
    anchor_stop: frozenset[str]
    anchor_times: frozenset[str]
    anchor_synonyms: dict[str, str]
    head_titles: tuple[str, ...]
    negations: frozenset[str]
    negation_breakers: frozenset[str]
    negation_gap: frozenset[str]
    denying_subjects: frozenset[str]
    days: tuple[str, ...]
    before_day: frozenset[str]
    exclusive_claims: tuple[ExclusiveClaim, ...]
    synonyms: dict[str, str]
    generic_words: frozenset[str]
    opposite_actions: frozenset[frozenset[str]]
    #: family -> its wider group ("flood" and "storm" are both a weather disaster)
    family_groups: dict[str, str]
    #: families whose one event is reported over days at one place, and which do not come
    #: twice to one town within weeks (a fire, a flood, a crash): see events.yaml
    lasting: frozenset[str] = frozenset()
    #: families that follow another event (an arrest after a collapse or a shooting): never
    #: the kind of an event that reports of another kind cover
    follow_up: frozenset[str] = frozenset()
    #: families whose heads of state named in the head are contestants (an election)
    contested: frozenset[str] = frozenset()
    #: what a court does to the person a case is about ("sentenced", "convicted")
    court_actions: tuple[str, ...] = ()

    def kind_of(self, text: str) -> EventKind | None:
        """The kind whose word comes first in ``text`` (ties: file order), or None. A
        fallback kind is read only where no other kind applies."""
        lower = text.lower()
        for fallback in (False, True):
            best: tuple[int, int, EventKind] | None = None
            for order, kind in enumerate(self.kinds):
                if kind.fallback is not fallback:
                    continue
                at = kind.first_at(lower)
                if at is not None and (best is None or (at, order) < best[:2]):
                    best = (at, order, kind)
            if best is not None:
                return best[2]
        return None

    def family_of(self, kind: str | None) -> str | None:
        """The family of a kind label or free kind text ("drone and missile attack")."""
        if not kind:
            return None
        for k in self.kinds:
            if k.label == kind.lower():
                return k.family
        found = self.kind_of(kind)
        return found.family if found else None

    def follows_up(self, kind: str | None) -> bool:
        """Whether a kind follows another event (an arrest): the event a figure counts the
        dead of is the one before it, so no question or label names it as the event."""
        return self.family_of(kind) in self.follow_up

    def placeless(self, family: str | None) -> bool:
        """Whether reports of this family name places that say nothing of where it
        happened (a company's results)."""
        return family is not None and any(k.placeless for k in self.kinds if k.family == family)

    def country_wide(self, family: str | None) -> bool:
        """Whether this family's place is its country (a national election), whatever city
        a report names (where the count was announced, a candidate's rally)."""
        return family is not None and any(k.country_wide for k in self.kinds if k.family == family)

    def related_families(self, a: str, b: str) -> bool:
        """Whether two families may report one event: the same family, or two of one group
        (a storm's coverage speaks of the flood it brought, a quake's of its tsunami), or a
        family that follows any event (the arrests after a collapse)."""
        if a == b or a in self.follow_up or b in self.follow_up:
            return True
        group = self.family_groups.get(a)
        return group is not None and group == self.family_groups.get(b)

    def one_site(self, kind: str | None) -> bool:
        """Whether an event of this kind label (or free kind text) happens at one site."""
        if not kind:
            return False
        found = next((k for k in self.kinds if k.label == kind.lower()), None)
        found = found or self.kind_of(kind)
        return found is not None and found.one_site

    def verb(self, phrase: str) -> FactVerb | None:
        return self._verbs.get(phrase)

    @cached_property
    def _verbs(self) -> dict[str, FactVerb]:
        return {v.phrase: v for v in self.fact_verbs}

    @cached_property
    def anchor_pattern(self) -> re.Pattern[str]:
        return _words_pattern(self.anchor_markers)

    @cached_property
    def happening_pattern(self) -> re.Pattern[str]:
        """Any kind word or what-happened verb: where a lede says what happened."""
        words = {w for k in self.kinds for w in k.words} | {v.phrase for v in self.fact_verbs}
        return _words_pattern(tuple(words))

    @cached_property
    def head_title_pattern(self) -> re.Pattern[str]:
        return _words_pattern(self.head_titles)


def _strings(data: dict[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"vocabulary file events.yaml: '{key}' must be a list of strings")
    return tuple(v.lower() for v in value)


def _exclusive(entry: dict[str, Any]) -> ExclusiveClaim:
    return ExclusiveClaim(
        id=str(entry["id"]),
        subject=str(entry["subject"]),
        exclusive=tuple(re.compile(p) for p in _strings(entry, "exclusive")),
        attributed_to=tuple(re.compile(p) for p in _strings(entry, "attributed_to")),
        others=frozenset(_strings(entry, "others")),
        not_damage=frozenset(_strings(entry, "not_damage")),
        explanation=str(entry["explanation"]),
        suggestion=str(entry["suggestion"]),
    )


@cache
def event_vocabulary() -> EventVocabulary:
    """The parsed events.yaml (read once per process)."""
    data = load_section("events")
    kinds = tuple(
        EventKind(
            label=str(k["label"]),
            family=str(k["family"]),
            words=_strings(k, "words"),
            also=_strings(k, "also"),
            one_site=bool(k.get("one_site", False)),
            placeless=bool(k.get("placeless", False)),
            country_wide=bool(k.get("country_wide", False)),
            figurative_before=frozenset(_strings(k.get("figurative") or {}, "before")),
            figurative_after=frozenset(_strings(k.get("figurative") or {}, "after")),
            fallback=bool(k.get("fallback", False)),
        )
        for k in data["kinds"]
    )
    verbs = tuple(
        FactVerb(phrase=str(v["phrase"]), role=v["role"], counted=bool(v.get("counted", False)))
        for v in data["fact_verbs"]
    )
    for v in verbs:
        if v.role not in ("object", "subject", "passive"):
            raise InputError(f"events.yaml: fact verb {v.phrase!r} has role {v.role!r}")
    time_words = data.get("time_words", {})
    return EventVocabulary(
        kinds=kinds,
        fact_verbs=verbs,
        figurative=frozenset(_strings(data, "figurative")),
        anchor_markers=_strings(data, "anchor_markers"),
        anchor_stop=frozenset(_strings(data, "anchor_stop")),
        anchor_times=frozenset(_strings(data, "anchor_times")),
        anchor_synonyms={str(k): str(v) for k, v in data.get("anchor_synonyms", {}).items()},
        head_titles=_strings(data, "head_titles"),
        negations=frozenset(_strings(data, "negations")),
        negation_breakers=frozenset(_strings(data, "negation_breakers")),
        negation_gap=frozenset(_strings(data, "negation_gap")),
        denying_subjects=frozenset(_strings(data, "denying_subjects")),
        days=_strings(time_words, "days"),
        before_day=frozenset(_strings(time_words, "before_day")),
        exclusive_claims=tuple(_exclusive(e) for e in data.get("exclusive_claims", [])),
        synonyms={str(k): str(v) for k, v in data.get("synonyms", {}).items()},
        generic_words=frozenset(_strings(data, "generic_words")),
        lasting=frozenset(_strings(data, "lasting")),
        follow_up=frozenset(_strings(data, "follow_up")),
        contested=frozenset(_strings(data, "contested")),
        court_actions=_strings(data, "court_actions"),
        family_groups={
            str(family): str(group)
            for group, families in (data.get("family_groups") or {}).items()
            for family in families
        },
        opposite_actions=frozenset(
            frozenset(str(a).lower() for a in pair) for pair in data.get("opposite_actions", [])
        ),
    )
