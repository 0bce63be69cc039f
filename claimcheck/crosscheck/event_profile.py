"""What event grouping reads of one article: its profile.

The day and place it speaks for, the kind of event, and the names its head (the lede and
the paragraphs right after it) gives: specific places, people by surname, heads of state,
named organisations and things, flight numbers, the happenings it times its event by
("hours after the phone call"), its lede's words and its distinctive figures. The head's
entities are read once per head and kept (:mod:`claimcheck.llm.memo`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from claimcheck.crosscheck.text import (
    BROAD_PLACES,
    STOPWORDS,
    ascii_lower,
    content_tokens,
    mentions_other_time,
    place_key,
    singular,
    tokens,
)
from claimcheck.language import nlp
from claimcheck.language.calendar_words import MONTHS, WEEKDAYS
from claimcheck.language.places import (
    PlaceKind,
    country_of_demonym,
    is_city,
    lookup,
    names_no_place,
)
from claimcheck.language.vocabulary.events import event_vocabulary
from claimcheck.language.vocabulary.speakers import speaker_words
from claimcheck.llm import memo
from claimcheck.models import ArticleClaims, DateCertainty, EventFactClaim, QuantityClaim

# A whole number this small is too common to tell two events apart (a magnitude of 7.6 is not).
_DISTINCTIVE_FROM = 10
# How much of an article's head is read for people and places: the lede and the paragraphs
# right after it say who and where; background further down ties unrelated stories.
_HEAD_CHARS = 800
# How far into an article an anchor ("hours after ...") is looked for.
_ANCHOR_CHARS = 2500
# Words an anchor phrase runs for after its marker.
_ANCHOR_WORDS = 10
# A flight number as copy writes it ("flight MH17", "Flight No. 5735").
_FLIGHT_NUMBER = re.compile(
    r"\bflight\s+(?:no\.?\s*|number\s+)?((?:[A-Z0-9]{2}\s?-?)?\d{1,5})\b", re.IGNORECASE
)

FigureKey = tuple[str, str]


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
    #: the countries the head names ("Turkey and Syria"): no site, but a lasting event's
    #: reports days apart name the same ones
    countries: frozenset[str] = frozenset()
    #: surnames of the people the lede says a court sentenced, convicted or acquitted
    defendants: frozenset[str] = frozenset()
    #: the names the head gives a storm ("Typhoon Mangkhut"), folded
    storms: frozenset[str] = frozenset()
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


def _specific_place(place: str | None) -> str | None:
    """The key of a place more specific than a country, else None.

    A country (or wider area) is one of ``BROAD_PLACES``, which come from the gazetteer
    (:mod:`claimcheck.places`).
    """
    key = place_key(place)
    return None if key is None or key in BROAD_PLACES else key


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


def _countries(entities: Sequence[_Entity]) -> frozenset[str]:
    """The countries among the places the head's entities name."""
    found: set[str] = set()
    for label, name, _ in entities:
        if label not in ("GPE", "LOC"):
            continue
        known = lookup(name)
        if known is not None and known.kind is PlaceKind.COUNTRY and known.country_code:
            found.add(known.country_code)
    return frozenset(found)


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
        countries=_countries(entities),
        defendants=_defendants(_head(text), entities) - heads,
        storms=frozenset(n.lower() for n in names_no_place(_head(text))),
        flights=frozenset(
            re.sub(r"[\s-]", "", m.group(1)).upper()
            for m in _FLIGHT_NUMBER.finditer(text[:_ANCHOR_CHARS])
        ),
    )


# How far before a court verb the person it is said of may end ("Harvey Weinstein, 70, was
# sentenced"), and how far after it ("a judge sentenced former treasurer Tom Hale").
_DEFENDANT_BEFORE = 40
_DEFENDANT_AFTER = 40
_PASSIVE = re.compile(r"\b(?:was|were|is|are|been|be|being|has|have|had|got|gets)\b")


def _defendants(head: str, entities: Sequence[_Entity]) -> frozenset[str]:
    """Surnames of the people the head's sentences say a court acted on: the person named
    nearest before one of the court's actions (``court_actions`` in events.yaml:
    "sentenced", "convicted") in its sentence, or right after it. A co-defendant's
    sentencing names another person there, so this ties a case's coverage across days
    without tying two defendants of one courthouse."""
    people = [
        (start, start + len(name), name) for label, name, start in entities if label == "PERSON"
    ]
    out: set[str] = set()
    lowered = head.lower()
    for phrase in event_vocabulary().court_actions:
        for m in re.finditer(rf"\b{re.escape(phrase)}\b", lowered):
            sentence_start = max(head.rfind(". ", 0, m.start()), head.rfind("\n", 0, m.start()))
            before = [
                p
                for p in people
                if sentence_start < p[0] and p[1] <= m.start() <= p[1] + _DEFENDANT_BEFORE
            ]
            after = [p for p in people if m.end() <= p[0] <= m.end() + _DEFENDANT_AFTER]
            # "Holmes was sentenced": the one before; "Judge Davila sentenced Holmes": the
            # one after (the judge is the subject of the active verb)
            passive = bool(before) and _PASSIVE.search(lowered[before[-1][1] : m.start()])
            chosen = (
                before[-1] if before and (passive or not after) else after[0] if after else None
            )
            if chosen is not None:
                words = tokens(re.sub(r"['’]s$", "", chosen[2]))
                if words:
                    out.add(words[-1])
    return frozenset(out)


def _figure_key(claim: QuantityClaim) -> tuple[str, str, float]:
    words = tokens(claim.subject)
    return (claim.measure, singular(words[-1]) if words else "", claim.value)
