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
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field
from enum import Enum
from functools import cache, cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from claimcheck.crosscheck.findings import long_date
from claimcheck.crosscheck.text import (
    BROAD_PLACES,
    STOPWORDS,
    ascii_lower,
    content_tokens,
    mentions_other_time,
    place_key,
    places_compatible,
    singular,
    tokens,
)
from claimcheck.errors import StructuredOutputError
from claimcheck.language import nlp
from claimcheck.language.calendar_words import MONTHS, WEEKDAYS
from claimcheck.language.places import country_of_demonym, is_city, lookup
from claimcheck.language.vocabulary.events import event_vocabulary
from claimcheck.language.vocabulary.measures import measures
from claimcheck.language.vocabulary.speakers import speaker_words
from claimcheck.llm import LLM, memo
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

# A whole number this small is too common to tell two events apart (a magnitude of 7.6 is not).
_DISTINCTIVE_FROM = 10
# A whole number from this size is rare enough to tie reports days apart.
_RARE_FROM = 100
# How much article text the same-event prompt shows of each article.
_EXCERPT_CHARS = 600
# How much of an article's head is read for people and places: the lede and the paragraphs
# right after it say who and where; background further down ties unrelated stories.
_HEAD_CHARS = 800
# How far into an article an anchor ("hours after ...") is looked for.
_ANCHOR_CHARS = 2500
# Words an anchor phrase runs for after its marker.
_ANCHOR_WORDS = 10
# Evidence weights: a shared city or an anchor or a figure each carry more than a name.
_PLACE = 2
# A place both heads name that neither reads as the event's place: it may be a country.
_NAMED_PLACE = 1
_PERSON = 1
_MAX_PERSONS = 2
_FIGURE = 2
_MAX_FIGURES = 4
_ANCHOR = 2
_WORDING = 1
_SAME_DAY = 1
_SAME_KIND = 1
_CONFLICT = 1
# Days apart from which a differing count of a thing no update revises counts against.
_CLASH_GAP = 2
_MAX_CONFLICTS = 3
# Shared lede words (Jaccard) that make two ledes read alike.
_WORDING_FROM = 0.2
# Net evidence needed to join: same or next day (overnight events are dated either way);
# an undated side (only ties speak); days apart (a toll updated over a week).
_JOIN_NEAR = 3
_JOIN_UNDATED = 4
_JOIN_SPAN = 4
# Coverage of one event further apart than this is not joined by code.
_MAX_SPAN_DAYS = 14
# Evidence against from what each article reads as the event's kind and place. The kind
# and place read from a lede are often an outlet's angle (the flight's origin, the county
# rather than the state, "storm" rather than "flood"), so they weigh, they never veto.
_OTHER_KIND = 3
_OTHER_PLACE = 2
_OTHER_COUNTRY = 3
# A shared named organisation (a company, an airline, a court) ties like a person.
_ORG = 1
_MAX_ORGS = 2
# A shared flight number ties like an anchor.
_FLIGHT = 2
_FLIGHT_NUMBER = re.compile(
    r"\bflight\s+(?:no\.?\s*|number\s+)?((?:[A-Z0-9]{2}\s?-?)?\d{1,5})\b", re.IGNORECASE
)
# Positive evidence below a join but at least this much is "mixed": the LLM is asked.
_ASK_FROM = 2

FigureKey = tuple[str, str]


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


@dataclass
class _Profile:
    """What grouping looks at in one article."""

    item: ArticleClaims
    day: dt.date | None
    place: str | None
    # The day is only the publication date: the event may be of the day before (an
    # overnight quake reported next morning).
    day_is_publication: bool
    family: str | None
    # The event place read at extraction, when more specific than a country.
    event_places: frozenset[str]
    # Every place the head names (until places.py decides what a country is, some of
    # these are countries: they count for less).
    places: frozenset[str]
    persons: frozenset[str]
    heads: frozenset[str]
    anchors: tuple[frozenset[str], ...]
    words: frozenset[str]
    figures: frozenset[tuple[str, str, float]]
    orgs: frozenset[str] = frozenset()
    flights: frozenset[str] = frozenset()
    #: the specific places a distinctive figure is given for ("29 hurt in Lviv")
    figure_places: dict[tuple[str, str, float], frozenset[str]] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.item.article.id

    @property
    def counted(self) -> dict[FigureKey, set[float]]:
        out: dict[FigureKey, set[float]] = defaultdict(set)
        for measure, noun, value in self.figures:
            out[(measure, noun)].add(value)
        return out


@dataclass
class _Cluster:
    """Articles grouped so far, with running aggregates so a decision costs O(1) in size."""

    declared_id: str | None = None
    members: list[_Profile] = field(default_factory=list)
    days: set[dt.date] = field(default_factory=set)
    publication_days: set[dt.date] = field(default_factory=set)
    event_days: set[dt.date] = field(default_factory=set)
    figures: set[tuple[str, str, float]] = field(default_factory=set)
    figure_places: dict[tuple[str, str, float], set[str]] = field(
        default_factory=lambda: defaultdict(set)
    )
    counted: dict[FigureKey, set[float]] = field(default_factory=lambda: defaultdict(set))
    families: set[str] = field(default_factory=set)
    event_places: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    persons: set[str] = field(default_factory=set)
    orgs: set[str] = field(default_factory=set)
    flights: set[str] = field(default_factory=set)
    anchors: list[frozenset[str]] = field(default_factory=list)
    _named_places: Counter[str] = field(default_factory=Counter)
    _any_places: Counter[str] = field(default_factory=Counter)

    def add(self, p: _Profile) -> None:
        self.members.append(p)
        if p.day is not None:
            self.days.add(p.day)
            if p.day_is_publication:
                self.publication_days.add(p.day)
            else:
                self.event_days.add(p.day)
        self.figures |= p.figures
        for figure, where in p.figure_places.items():
            self.figure_places[figure] |= where
        for key, values in p.counted.items():
            self.counted[key] |= values
        if p.family:
            self.families.add(p.family)
        self.places |= p.places
        self.event_places |= p.event_places
        self.persons |= p.persons
        self.orgs |= p.orgs
        self.flights |= p.flights
        self.anchors.extend(p.anchors)
        if p.place:
            self._any_places[p.place] += 1
            if _specific_place(p.place) is not None:
                self._named_places[p.place] += 1

    def place(self) -> str | None:
        """The most common named place (a city beats a country), ties by first seen."""
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


def _specific_place(place: str | None) -> str | None:
    """The key of a place more specific than a country, else None.

    A country (or wider area) is one of ``BROAD_PLACES``, which come from the gazetteer
    (:mod:`claimcheck.places`).
    """
    key = place_key(place)
    return None if key is None or key in BROAD_PLACES else key


def _same_place(a: str | None, b: str | None) -> bool:
    """Whether two event places can be one place (unknown or country-wide places can)."""
    return places_compatible(a, b)


def _fold(word: str) -> str:
    vocab = event_vocabulary()
    w = singular(word)
    return vocab.anchor_synonyms.get(word, vocab.anchor_synonyms.get(w, w))


def _anchors(text: str) -> tuple[frozenset[str], ...]:
    """The happenings an article times its event by: the words after "hours after" etc."""
    vocab = event_vocabulary()
    # "U.S." and "U.K." must not end the anchor's clause.
    head = re.sub(r"\b(\w)\.(\w)\.", r"\1\2", ascii_lower(text[:_ANCHOR_CHARS]))
    out = []
    for m in vocab.anchor_pattern.finditer(head):
        clause = re.split(r"[.;:!?,(]", head[m.end() :], maxsplit=1)[0]
        kept = [
            _fold(t)
            for t in tokens(clause)
            if t not in STOPWORDS and t not in vocab.anchor_stop and not t.isdigit()
        ]
        if kept and kept[0] in vocab.anchor_times:
            continue  # "shortly after midnight": a time, not a happening
        words = frozenset(kept[:_ANCHOR_WORDS])
        if words:
            out.append(words)
    return tuple(out)


def _lede_words(text: str) -> frozenset[str]:
    """Content words of the first two sentences, generic event words left out."""
    lede = " ".join(re.split(r"(?<=[.!?])\s+", text.strip(), maxsplit=2)[:2])
    generic = event_vocabulary().generic_words
    return frozenset(singular(t) for t in content_tokens(lede) if t not in generic)


# An entity of an article's head: its label, its text and where it starts in the head.
_Entity = tuple[str, str, int]


def _head(text: str) -> str:
    return _NICKNAME.sub(r"\1 \2", text[:_HEAD_CHARS])


def _head_entities(texts: Sequence[str]) -> list[list[_Entity]]:
    """Named entities of each article's head. They depend on the head's words and the
    recogniser alone, so a head read before (this run or an earlier one) is not read again
    (:mod:`claimcheck.memo`); the others go through one batched pass of the recogniser."""
    found = memo.cached_many(
        "head-entities",
        [_head(t) for t in texts],
        _recognise,
        versions=memo.version_of("spacy", *nlp.PIPELINES),
    )
    return [[(label, name, start) for label, name, start in ents] for ents in found]


def _recognise(heads: list[str]) -> list[list[_Entity]]:
    """The entity recogniser alone: grouping needs no parse or tags, and the full pipeline
    costs several times more."""
    pipeline = nlp.pipeline()
    skip = [name for name in pipeline.pipe_names if name != "ner"]
    return [
        [(e.label_, e.text, e.start_char) for e in doc.ents]
        for doc in pipeline.pipe(heads, disable=skip)
    ]


# A nickname in quotes inside a name ('Sean "Diddy" Combs'): the recogniser is known to tear
# such a name apart (a NORP and a WORK_OF_ART), so the quoted word is left out of the head it
# reads; grouping only needs the person's surname.
_NICKNAME = re.compile(
    r"\b([A-Z][a-z]+) [\"\u201c'\u2018][A-Z][\w.-]*[\"\u201d'\u2019] ([A-Z][a-z]+)\b"
)


# Entities whose words name the thing a story is about: a company, an airline, a venue, a
# named storm or case. Places and people are read apart.
_THING_LABELS = frozenset({"ORG", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"})
# Entities whose capitalised words are no named thing of the story.
_NOT_THING_LABELS = frozenset(
    {
        "GPE",
        "LOC",
        "PERSON",
        "NORP",
        "DATE",
        "TIME",
        "CARDINAL",
        "ORDINAL",
        "QUANTITY",
        "MONEY",
        "PERCENT",
    }
)
# A capitalised word inside a sentence: after a word and a space, so a sentence's or a
# quotation's first word ("Crews are still working") is no name.
_CAPITALISED = re.compile(r"(?<=[A-Za-z,;:] )[A-Z][a-z]{2,}\b")


@cache
def _ordinary_words() -> frozenset[str]:
    """Capitalised words that name no particular thing: titles, calendar words, the words of
    event kinds ("Hurricane"), generic event words."""
    vocab = event_vocabulary()
    words = speaker_words()
    out = set(STOPWORDS) | set(vocab.generic_words) | {m.lower() for m in MONTHS}
    out |= {w for k in vocab.kinds for phrase in k.words for w in tokens(phrase)}
    out |= {w for phrase in words.titles for w in tokens(phrase)}
    out |= set(words.honorifics) | set(words.title_fillers)
    out |= {w.lower() for w in WEEKDAYS}
    return frozenset(out)


def _thing_words(name: str) -> set[str]:
    """Identifying words of a named thing ("Crocus City Hall" -> crocus, hall), none for an
    outlet or wire that relays every story ("Reuters")."""
    words = speaker_words()
    bare = re.sub(r"^the\s+|['’]s$", "", name.strip(), flags=re.IGNORECASE)
    if not bare or words.is_outlet(bare) or words.is_outlet(name) or words.is_body(bare):
        return set()
    ordinary = _ordinary_words()
    return {
        t
        for t in tokens(bare)
        if len(t) >= 3
        and t not in ordinary
        and not t.isdigit()
        and lookup(t) is None
        and country_of_demonym(t) is None
    }


def _named_things(head: str, entities: Sequence[_Entity], text: str = "") -> frozenset[str]:
    """Words naming the particular things a head is about: entities of a company, venue or
    case, capitalised words inside a sentence that no entity covers ("Helene"), places the
    gazetteer does not know (the tagger reads "Nvidia" as a country), and a sentence's
    first word that the article shows is a name ("Adobe reported ...")."""
    out: set[str] = set()
    covered: list[tuple[int, int]] = []
    for label, name, start in entities:
        covered.append((start, start + len(name)))
        if label in _THING_LABELS:
            out |= _thing_words(name)
        elif label in ("GPE", "LOC") and lookup(re.sub(r"^the\s+", "", name, flags=re.I)) is None:
            # a "place" the gazetteer does not know: most often a company ("Nvidia")
            out |= _thing_words(name)
    for m in _CAPITALISED.finditer(head):
        if any(s <= m.start() < e for s, e in covered):
            continue
        out |= _thing_words(m.group())
    for m in _SENTENCE_FIRST.finditer(head):
        word = m.group(1)
        if any(s <= m.start(1) < e for s, e in covered):
            continue
        found = _thing_words(word)
        if found and _a_name_in(word, text or head):
            out |= found
    return frozenset(out)


# A sentence's first word: the lede's subject, often the company or the storm the story is
# about, and the one place the small tagger misses it.
_SENTENCE_FIRST = re.compile(r"(?:^|[.!?][\"\u201d\u2019]?\s+|\n\s*)([A-Z][a-z]{2,})\b")


def _a_name_in(word: str, text: str) -> bool:
    """Whether the article shows ``word`` to be a name, not a sentence's ordinary first word
    ("Officials", "Shares"): never written in lower case, and written capitalised inside a
    sentence ("said Adobe"), as a possessive ("Adobe's outlook") or before a ticker ("Adobe
    (ADBE)")."""
    if re.search(rf"\b{re.escape(word.lower())}\b", text):
        return False
    w = re.escape(word)
    return bool(
        re.search(rf"(?<=[a-z,;:] ){w}\b", text)
        or re.search(rf"\b{w}['\u2019]s\b", text)
        or re.search(rf"\b{w} \((?:[A-Za-z]+:\s*)?[A-Z]{{1,5}}(?:\.[A-Z])?\s*\)", text)
    )


def _names(
    head: str, entities: Sequence[_Entity], text: str = ""
) -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    """Specific places, people (by surname), people named with a head-of-state title, and
    named organisations, read from the entities of the article's head (and, for a name
    only the head's sentence starts show, from the whole ``text``)."""
    titles = event_vocabulary().head_title_pattern
    places: set[str] = set()
    persons: set[str] = set()
    heads: set[str] = set()
    for label, name, start in entities:
        if label in ("ORG", "FAC") and is_city(name, min_population=0):
            # The small tagger reads a town as an organisation ("Muan" in "the crash at
            # Muan"): a known town is a place whatever its tag.
            key = _specific_place(name)
            if key is not None:
                places.add(key)
        elif label in ("GPE", "LOC"):
            key = _specific_place(name)
            if key is not None:
                places.add(key)
        elif label == "PERSON":
            words = tokens(re.sub(r"['’]s$", "", name))
            if not words:
                continue
            persons.add(words[-1])
            # "President X", "Presidents X and Y": a title before the name in its clause.
            window = ascii_lower(head[max(0, start - 40) : start])
            before = re.split(r"[.;:!?,]", window)[-1]
            if titles.search(before):
                heads.add(words[-1])
    # The small parser tags some city names as people ("Kyiv"); a place is not a person.
    # A place the gazetteer does not know is matched both ways: as a place, and as a named
    # thing against the heads that tagged the same word as a company.
    unknown = {k for k in places if lookup(k) is None}
    things = _named_things(head, entities, text) - (places - unknown) - persons
    return frozenset(places), frozenset(persons - places), frozenset(heads), things


def _profile(item: ArticleClaims, entities: Sequence[_Entity]) -> _Profile:
    info = item.event
    text = item.article.text
    day = info.date if info.date is not None else item.article.published
    distinctive = [
        c
        for c in item.claims
        if isinstance(c, QuantityClaim)
        and (c.value >= _DISTINCTIVE_FROM or c.value != int(c.value))
        and not mentions_other_time(c.time, day)
    ]
    figures = frozenset(_figure_key(c) for c in distinctive)
    figure_places: dict[tuple[str, str, float], set[str]] = defaultdict(set)
    for c in distinctive:
        key = _specific_place(c.place)
        if key is not None:
            figure_places[_figure_key(c)].add(key)
    places, persons, heads, orgs = _names(_head(text), entities, text)
    # Where the article's own figures and facts happened: real copy often names the crash
    # site only there ("48 people ... near Tynda") while the lede names the flight's origin.
    places |= {
        key
        for c in item.claims
        if isinstance(c, QuantityClaim | EventFactClaim)
        and not mentions_other_time(c.time, day)
        and (key := _specific_place(c.place)) is not None
    }
    place = _specific_place(info.place)
    event_places = frozenset({place} if place is not None else ())
    places |= event_places
    persons -= event_places
    return _Profile(
        item=item,
        day=day,
        place=info.place,
        day_is_publication=info.date is None or info.date_certainty is DateCertainty.METADATA,
        family=event_vocabulary().family_of(info.kind),
        event_places=event_places,
        places=places,
        persons=persons,
        heads=heads,
        anchors=_anchors(text),
        words=_lede_words(text),
        figures=figures,
        figure_places={k: frozenset(v) for k, v in figure_places.items()},
        orgs=orgs,
        flights=frozenset(
            re.sub(r"[\s-]", "", m.group(1)).upper()
            for m in _FLIGHT_NUMBER.finditer(text[:_ANCHOR_CHARS])
        ),
    )


def _figure_key(claim: QuantityClaim) -> tuple[str, str, float]:
    words = tokens(claim.subject)
    return (claim.measure, singular(words[-1]) if words else "", claim.value)


def _anchor_evidence(p: _Profile, cluster: _Cluster, *, same_day: bool) -> int:
    """+ when both time the event by the same happening, - when by different ones.

    On one known day two outlets may time one event by different happenings (the call, the
    talks offer); only where dates do not already tie them does a different anchor count
    against.
    """
    if not p.anchors or not cluster.anchors:
        return 0
    best = max(len(a & b) for a in p.anchors for b in cluster.anchors)
    if best >= 2:
        return _ANCHOR
    return -_ANCHOR if best == 0 and not same_day else 0


def _evidence(
    p: _Profile, cluster: _Cluster, heads: Set[str], *, gap: int | None = None
) -> tuple[int, int, bool]:
    """Positive ties, evidence against, and whether a strong tie (figure, anchor, person)
    is among the ties. ``gap``: days between the article and the cluster's nearest day."""
    ties = 0
    if (
        p.event_places & cluster.places
        or p.places & cluster.event_places
        or _shared_city_same_kind(p, cluster)
    ):
        ties += _PLACE
        if len(_specific(p.places) & _specific(cluster.places)) >= 2:
            ties += _NAMED_PLACE  # the county and its town, both named by both
    elif p.places & cluster.places or _same_country_same_kind(p, cluster):
        ties += _NAMED_PLACE
    persons = len((p.persons & cluster.persons) - heads)
    ties += _PERSON * min(persons, _MAX_PERSONS)
    # The tagger reads one storm's name as a person in one head ("Helene's floods") and as
    # nothing in another: a named thing is matched against both.
    named = ((p.orgs | p.persons) & (cluster.orgs | cluster.persons)) - heads
    orgs = len(named - (p.persons & cluster.persons))
    ties += _ORG * min(orgs, _MAX_ORGS)
    if orgs and p.family in cluster.families and event_vocabulary().placeless(p.family):
        # A company's results have no place of their own: the company they name is what
        # the shared city is to a crash.
        ties += _PLACE - _ORG
    flight = bool(p.flights & cluster.flights)
    ties += _FLIGHT if flight else 0
    # One number given for two different cities ties nothing: "29 hurt in Lviv" and "29 hurt
    # in Kharkiv" on one night are two strikes' counts that happen to agree.
    common = [
        key
        for key in p.figures & cluster.figures
        if not (
            (here := p.figure_places.get(key))
            and (there := cluster.figure_places.get(key))
            and here.isdisjoint(there)
        )
    ]
    shared = len(common)
    # Across days only a rare figure is a strong tie ("550 drones", magnitude 7.6): a
    # count of 35 injured recurs in a city's strikes of one month by chance.
    rare = any(v >= _RARE_FROM or v != int(v) for _, _, v in common)
    ties += _FIGURE * min(shared, _MAX_FIGURES // _FIGURE)
    same_day = p.day is not None and p.day in cluster.days
    anchor = _anchor_evidence(p, cluster, same_day=same_day)
    ties += max(anchor, 0)
    # Places are counted above; wording is what else the ledes share.
    words = p.words - p.places - cluster.places - p.persons - cluster.persons
    wording = max(
        (
            len(words & m.words) / len(words | (m.words - cluster.places - cluster.persons))
            for m in cluster.members
            if words and m.words - cluster.places - cluster.persons
        ),
        default=0.0,
    )
    if wording >= _WORDING_FROM:
        ties += _WORDING
    against = max(-anchor, 0)
    if p.day is None or not cluster.days or (gap is not None and gap >= _CLASH_GAP):
        # Without dates to tie them, or days apart, one night's count of one thing differing
        # ("400 drones" against "550 drones") is evidence of another night: the same city
        # and its mayor are in every report of two strikes three days apart. Between dated
        # reports of one day (or an overnight event dated either way) it is the
        # contradiction the report must show, so it does not count there. A toll revised
        # as the story develops (14 injured, later 23) is no such evidence.
        counted = p.counted
        vocab = measures()
        clashes = sum(
            1
            for key, values in counted.items()
            if key in cluster.counted
            and not values & cluster.counted[key]
            and not vocab.revised(key[0])
        )
        against += _CONFLICT * min(clashes, _MAX_CONFLICTS)
    # A person alone is no strong tie across days (a city's mayor speaks after every
    # strike), nor is a common figure.
    strong = bool(rare or anchor > 0 or orgs or flight)
    return ties, against, strong


def _specific(keys: Set[str]) -> set[str]:
    return {k for k in keys if k not in BROAD_PLACES}


def _names_each_others_place(p: _Profile, cluster: _Cluster) -> bool:
    """Whether one side names the other's event place. The place read from a lede can be
    the flight's origin or a regional capital ("a flight from Khabarovsk crashed near
    Tynda"); when an article names the other's event place, different event places are no
    proof of two events, and the other evidence (which must still reach a join) decides."""
    here, there = place_key(p.place), place_key(cluster.place())
    if here is None or there is None:
        return False
    return there in p.places or here in cluster.places


def _shared_city_same_kind(p: _Profile, cluster: _Cluster) -> bool:
    """Both name one city (not a region or a country) and report the same kind of event:
    the crash site named by every outlet, whatever place each lede led with."""
    if p.family is None or p.family not in cluster.families:
        return False
    shared = p.places & cluster.places
    return any(is_city(k.replace("-", " "), min_population=0) for k in shared)


def _same_country_same_kind(p: _Profile, cluster: _Cluster) -> bool:
    """A nationwide event (an election, a national strike) has a country for its place: the
    same country and the same kind of event is a weak tie, as a shared town name is."""
    here, there = place_key(p.place), place_key(cluster.place())
    return (
        here is not None
        and here == there
        and _specific_place(p.place) is None
        and p.family is not None
        and p.family in cluster.families
    )


def _gap(p: _Profile, cluster: _Cluster) -> int | None:
    """Days between the article and the cluster's nearest day. A day that is only a
    publication date may be the day after the event, so against a day the event is dated
    (stated or inferred) it also stands for the day before: an overnight quake reported
    next morning. Two publication dates prove nothing of the kind and are not shifted."""
    if p.day is None or not cluster.days:
        return None
    gap = min(abs((p.day - d).days) for d in cluster.days)
    before = dt.timedelta(days=1)
    if p.day_is_publication:
        gap = min([gap, *(abs((p.day - before - d).days) for d in cluster.event_days)])
    else:
        gap = min([gap, *(abs((p.day - (d - before)).days) for d in cluster.publication_days)])
    return gap


def _kind_against(p: _Profile, cluster: _Cluster) -> int:
    """Evidence against from the kinds of event: none for one family or related families."""
    if not p.family or not cluster.families:
        return 0
    vocab = event_vocabulary()
    if any(vocab.related_families(p.family, f) for f in cluster.families):
        return 0
    return _OTHER_KIND


def _country_of(place: str | None) -> str | None:
    if not place:
        return None
    found = lookup(place) or lookup(place_key(place) or "")
    return found.country_code if found is not None else None


def _place_against(p: _Profile, cluster: _Cluster) -> int:
    """Evidence against from the event places: none when one can be the other (or one
    article names the other's place), a little for two places of one country (a county
    and its state; the flight's origin and the crash site), much for two countries."""
    there = cluster.place()
    vocab = event_vocabulary()
    if vocab.placeless(p.family) or any(vocab.placeless(f) for f in cluster.families):
        return 0
    if _same_place(p.place, there) or _names_each_others_place(p, cluster):
        return 0
    here_country, there_country = _country_of(p.place), _country_of(there)
    if here_country and there_country and here_country != there_country:
        return _OTHER_COUNTRY
    return _OTHER_PLACE


def _decide(p: _Profile, cluster: _Cluster, heads: Set[str]) -> tuple[_Decision, int]:
    """Same / different / ambiguous, and a score to rank candidate clusters."""
    gap = _gap(p, cluster)
    if gap is not None and gap > _MAX_SPAN_DAYS:
        return _Decision.DIFFERENT, 0
    ties, against, strong = _evidence(p, cluster, heads, gap=gap)
    kind_against = _kind_against(p, cluster)
    against += kind_against + _place_against(p, cluster)
    if gap == 0 and p.family and cluster.families and not kind_against:
        # The same kind of event on the same day: weak evidence, which only ties close in
        # time may add to (a city's strikes of one week are all "attacks").
        ties += _SAME_KIND
    if gap == 0:
        ties += _SAME_DAY
    net = ties - against
    if gap is None:
        needed = _JOIN_UNDATED
    elif gap <= 1:
        needed = _JOIN_NEAR
    else:
        # Days apart: a toll updated over a week joins on strong ties; weak ties stay apart.
        if strong and net >= _JOIN_SPAN:
            return _Decision.SAME, net
        return _Decision.DIFFERENT, 0
    if net >= needed:
        return _Decision.SAME, net
    if ties >= _ASK_FROM and net > 0:
        return _Decision.AMBIGUOUS, net
    return _Decision.DIFFERENT, 0


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
