"""Quantities: align figures that count the same thing at the same place, compare intervals.

Claims are indexed by a measure key (what happened, in what unit kind, to what, where), so
only figures that count the same thing are ever compared (feet with metres after conversion,
money only in one currency); a figure the text places at another time ("up from 537 last
Saturday", "the previous record") is never compared with the event's figures. Injured in
Kyiv vs injured nationwide, killed in Ternopil vs killed in Kyiv, a woman killed in Rostov
vs people killed in Kyiv all get
different keys. Within a key the distinct statements (usually a handful, however many
articles repeat them) are compared pairwise as intervals. Figures that differ between
articles published on different days are a timeline (an update, low), not a contradiction.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import combinations
from typing import Any

from claimcheck.crosscheck.events import EventGroup
from claimcheck.crosscheck.findings import (
    join_sources,
    number,
    policy_finding,
    source_name,
    with_measure,
)
from claimcheck.crosscheck.policy import Situation
from claimcheck.crosscheck.reading import (
    borrows_anothers_noun,
    business_part,
    count_stage,
    counts_something_else,
    defendant,
    figure_verb,
    holder,
    is_part,
    is_possibility,
    is_proportion,
    own_noun,
    restated_noun,
    segment,
    site,
    stance,
    states_a_size,
    sub_scope,
    subset,
)
from claimcheck.crosscheck.text import BROAD_PLACES, STOPWORDS, place_key, singular, tokens
from claimcheck.language import places
from claimcheck.language.calendar_words import MONTHS, WEEKDAYS
from claimcheck.language.names import surname_key
from claimcheck.language.nlp import parse
from claimcheck.language.vocabulary.events import event_vocabulary
from claimcheck.language.vocabulary.measures import (
    OTHER,
    Measure,
    is_forecast,
    is_other_time,
    measures,
)
from claimcheck.language.vocabulary.units import MONEY, units
from claimcheck.models import (
    Finding,
    Qualifier,
    QuantityClaim,
    Scope,
)

MeasureKey = tuple[str, str, str, str]

_APPROXIMATE = frozenset({Qualifier.ABOUT, Qualifier.NEARLY, Qualifier.RANGE})
_LOWER_BOUNDS = frozenset({Qualifier.AT_LEAST, Qualifier.MORE_THAN})


# The counted-thing key of a subject with no noun of its own ("other", "some").
_NO_NOUN = "thing"


def subject_key(subject: str) -> str:
    """'Russian drones' -> 'drone'; 'ballistic missiles' stays apart from 'missiles'."""
    vocab = measures()
    words = {
        vocab.counted_noun(t)
        for t in tokens(subject)
        if not t.isdigit() and singular(t) not in vocab.counted_noise
    }
    return " ".join(sorted(words)) or _NO_NOUN


def unit_key(claim: QuantityClaim) -> str:
    """What a figure may be compared with: its unit kind, the currency for money, and the
    unit itself for a figure of no known measure (only the same noun in the same unit)."""
    vocab = units()
    kind = vocab.kind(claim.unit)
    if kind == MONEY or claim.measure == OTHER:
        return f"{kind}:{claim.unit or ''}"
    return kind


def measure_key(
    claim: QuantityClaim, event_place: str | None, *, one_site: bool = False
) -> MeasureKey:
    """(measure, unit kind, counted thing, where) — figures are only compared within one key.

    ``one_site``: the event happens at one site (a crash, see events.yaml), so a figure
    placed at the town, its region or its country is the site's figure; only one placed
    abroad stays apart.
    """
    here = place_key(event_place) or "here"
    known = measures().get(claim.measure)
    single = known is not None and known.one_per_event
    if (one_site or single) and claim.scope is not Scope.ABROAD:
        return (
            claim.measure,
            unit_key(claim),
            _single_subject(claim, known) if single else subject_key(claim.subject),
            here + when_suffix(_time_key(claim.time)),
        )
    where = place_key(claim.place)
    several = _several_places(claim.place)
    if several is not None:
        # "killed in Turkey and Syria": both countries' total, never one country's
        return (claim.measure, unit_key(claim), subject_key(claim.subject), several)
    regional = claim.scope is Scope.REGION or any(
        places.is_first_level_word(w) for w in tokens(claim.place or "")
    )
    if where is None:
        if claim.scope is Scope.COUNTRY:
            where = "country"
        elif claim.scope is Scope.ABROAD:
            # Abroad with no named place cannot be aligned with anything safely.
            where = f"abroad:{claim.id}"
        else:
            where = here
    elif where in BROAD_PLACES and claim.scope is not Scope.CITY:
        where = "country" if where in _event_countries(event_place) else where
    # A party's result "in Carinthia" and "in the Carinthian state parliament" are one: a
    # vote is held for one jurisdiction, so a holder's figure is not split city / region.
    per_holder = known is not None and known.per_holder
    if regional and not per_holder and not where.startswith(("abroad:", "country")):
        where = f"{where}:region"
    if known is not None and known.per_holder and claim.place is None:
        # A party's seats or votes with no place named are its whole result, however the
        # event's place was read: the same key as a result placed in the event's country.
        where = "country"
    # A figure stated for a time of its own ("in early trading", "at the close") is
    # compared only with figures stated for the same time.
    when = _time_key(claim.time)
    return (claim.measure, unit_key(claim), subject_key(claim.subject), where + when_suffix(when))


def _single_subject(claim: QuantityClaim, measure: Measure | None) -> str:
    """A quake has one magnitude, whatever noun the figure was read with; only a word that
    names another happening ("aftershock") keeps a figure apart."""
    apart = measure.apart if measure is not None else frozenset()
    words = [w for w in tokens(claim.subject) if w in apart]
    return singular(words[0]) if words else claim.measure


def _time_key(time: str | None) -> str:
    """A loose key of a figure's own time phrase: its content words cut to four letters, so
    "after-hours trade" and "after-hours trading" are one time."""
    if not time:
        return ""
    return " ".join(sorted({t[:4] for t in tokens(time) if t not in STOPWORDS}))


def when_suffix(when: str) -> str:
    return f"@{when}" if when else ""


_PLACE_LIST = re.compile(r"\s*(?:,|&|\band\b)\s*", re.IGNORECASE)


def _several_places(place: str | None) -> str | None:
    """The key of a place phrase that lists two or more places ("Turkey and Syria"): their
    keys joined, so a two-country total meets only the same two countries' totals."""
    if not place or places.lookup(place) is not None:
        return None  # "Bosnia and Herzegovina" is one country
    keys = {place_key(part) for part in _PLACE_LIST.split(place) if part.strip()}
    keys.discard(None)
    return "+".join(sorted(k for k in keys if k)) if len(keys) >= 2 else None


def _event_countries(event_place: str | None) -> frozenset[str]:
    """Keys of the event's place and of the country it lies in: a count for the whole of
    that country is the event's country-wide figure."""
    keys = {k for k in (place_key(event_place),) if k}
    place = places.lookup(event_place) if event_place else None
    if place is not None and place.country_code:
        country = places.country_name(place.country_code)
        key = place_key(country) if country else None
        if key:
            keys.add(key)
    return frozenset(keys)


@dataclass(frozen=True)
class _Statement:
    """One distinct figure as stated, with every claim that states it."""

    qualifier: Qualifier
    value: float
    value_high: float | None
    claims: tuple[QuantityClaim, ...]

    @property
    def interval(self) -> tuple[float, float]:
        """In the kind's base unit, so '625 feet' and '190 m' compare."""
        claim = self.claims[0]
        factor = units().factor(claim.unit)
        lo, hi = claim.interval()
        return (lo * factor, hi * factor)

    @property
    def articles(self) -> frozenset[str]:
        return frozenset(c.article_id for c in self.claims)

    def words(self) -> str:
        """The figure as an editor reads it; one with a unit as its source wrote it
        ("$94.9 billion", "about 1,000 km"), since 94,900,000,000 USD reads badly."""
        c = self.claims[0]
        figure = number(c.value)
        if c.value_high is not None:
            figure = f"{figure}–{number(c.value_high)}"
        prefix = {
            Qualifier.AT_LEAST: "at least ",
            Qualifier.MORE_THAN: "more than ",
            Qualifier.ABOUT: "about ",
            Qualifier.UP_TO: "up to ",
            Qualifier.AT_MOST: "at most ",
            Qualifier.FEWER_THAN: "fewer than ",
            Qualifier.NEARLY: "nearly ",
        }.get(c.qualifier, "")
        if c.unit is not None:
            written = " ".join(c.span.text.split()).rstrip(".")
            # A span that opens with a word carries its own hedge ("around 1,000 km") or a
            # currency word ("Rs 50 crore"); one that opens with the number gets the hedge.
            return written if written[:1].isalpha() else prefix + written
        return prefix + figure


def _disjoint(a: _Statement, b: _Statement) -> bool:
    (alo, ahi), (blo, bhi) = a.interval, b.interval
    return ahi < blo or bhi < alo


# How close above a bound an exact figure of a settled measure is a sharper telling of it.
_SHARPER = 0.1


def _covers(a: _Statement, b: _Statement, *, settled: bool = False) -> bool:
    """Whether ``a`` is loose enough that ``b`` is just a sharper telling of it. ``settled``:
    the measure is not revised as the story goes on (a sentence, a price), so "more than 11
    years" and "11.25 years" are one figure told two ways; a toll's "at least 68" and 69
    may be two counts."""
    lo, hi = a.interval
    blo, bhi = b.interval
    value = (blo + bhi) / 2 if not math.isinf(bhi) else blo
    if not lo <= value <= hi:
        return False
    if a.qualifier is Qualifier.EXACT and lo < hi:
        return True  # "$95 billion" is a rounding of "$94.9 billion"
    if a.qualifier in _APPROXIMATE:
        return True
    if (
        settled
        and a.qualifier in _LOWER_BOUNDS
        and b.qualifier is Qualifier.EXACT
        and b.value_high is None
        and value <= lo * (1 + _SHARPER)
    ):
        return True
    # "More than 500" next to "550" is rounding; "at least 14" next to "at least 23" is not.
    return a.qualifier in _LOWER_BOUNDS and a.value >= 10 and a.value % 10 == 0


def _bridged(a: _Statement, b: _Statement, stmts: Sequence[_Statement]) -> bool:
    """Whether one article gives both figures, or figures that agree with each of them ("the
    toll rose to 61, up from 32" beside "32 died" and "at least 61 died"): it reports the
    change itself, so the two are one count at two moments."""
    for x in a.articles | b.articles:
        own = [s for s in stmts if x in s.articles]
        for first, second in combinations(own, 2):
            if not _disjoint(first, second):
                continue  # one figure told twice, not two moments
            if (not _disjoint(first, a) and not _disjoint(second, b)) or (
                not _disjoint(first, b) and not _disjoint(second, a)
            ):
                return True
    return False


def _torn(stmts: Sequence[_Statement]) -> set[str]:
    """Articles that give two figures of one key that exclude each other ("revenue of $8.77
    billion" and "$7.61 billion" in one report): no outlet contradicts itself in one story,
    so the key holds more than one thing for that article (last year's revenue, a
    segment's), and what its figures count is not read with the confidence a comparison
    needs: a figure only such articles give is compared with nothing; one another article
    also gives keeps its weight. Not asked of a running count (a toll)."""
    torn: set[str] = set()
    for a, b in combinations(stmts, 2):
        both = a.articles & b.articles
        if both and _disjoint(a, b):
            torn |= both
    return torn


def _co_stated(a: _Statement, b: _Statement) -> bool:
    """Whether every source of one figure also gives the other: no outlet then disagrees
    with another, the two count different things one key holds ("140 passengers" and the
    "six" crew the model also called passengers, an early figure the article corrects)."""
    return a.articles <= b.articles or b.articles <= a.articles


# Figures this many times apart are seldom two tellings of one count.
_OUTLIER_RATIO = 10.0


def _lone_outlier(a: _Statement, b: _Statement) -> bool:
    """One source's figure ten times off a figure two or more sources agree on: most likely
    a misread of what it counts (survivors taken for the people aboard), not an error of
    the source, so it is set aside rather than reported on a guess."""
    lone, held = (a, b) if len(a.articles) < len(b.articles) else (b, a)
    if len(lone.articles) != 1 or len(held.articles) < 2:
        return False
    small, large = sorted((abs(a.value), abs(b.value)))
    return (small > 0 and large / small >= _OUTLIER_RATIO) or small == 0 < large


# Two sums of money this close to a thousand times apart are one sum with its scale word
# slipped ("$976 million" for a market value near "$1 trillion").
_SCALE = 1000.0
_SCALE_TOLERANCE = 0.1


def _scale_slip(a: _Statement, b: _Statement) -> bool:
    """Whether two sums of money differ by a factor of about a thousand."""
    if units().kind(a.claims[0].unit) != MONEY or units().kind(b.claims[0].unit) != MONEY:
        return False
    small, large = sorted((abs(a.interval[0]), abs(b.interval[0])))
    return small > 0 and abs(large / small / _SCALE - 1) <= _SCALE_TOLERANCE


# A figure of one, against a figure this large, is one person's case in the story ("one
# tourist was among the dead"), not a toll; only figures close to it compare with it.
_ONE_CASE_AGAINST = 10


def _one_case(a: _Statement, b: _Statement) -> bool:
    small, large = sorted((a, b), key=lambda s: s.value)
    return (
        small.value == 1
        and small.value_high is None
        and small.claims[0].unit is None
        and large.value >= _ONE_CASE_AGAINST
    )


# Conflicting figures this many times apart are read as possibly different counts.
_FAR_APART = 3.0


def _far_apart(stmts: Sequence[_Statement]) -> bool:
    values = [abs(s.value) for s in stmts]
    return min(values) > 0 and max(values) / min(values) >= _FAR_APART


def _hedged_alike(a: _Statement, b: _Statement) -> bool:
    """The same number told plainly and with a hedge ("150 injured", "more than 150
    injured"): strictly they exclude each other, but they are one report told loosely, a
    difference to note, not a contradiction ("nearly 50" against "more than 50" still is)."""
    qualifiers = {a.qualifier, b.qualifier}
    return (
        a.value == b.value
        and a.value_high == b.value_high
        and len(qualifiers) == 2
        and Qualifier.EXACT in qualifiers
    )


def _differs(a: _Statement, b: _Statement, *, settled: bool = False) -> bool:
    if (a.value, a.value_high, a.claims[0].unit) == (b.value, b.value_high, b.claims[0].unit):
        return False
    return not (_covers(a, b, settled=settled) or _covers(b, a, settled=settled))


def _describe(stmts: Sequence[_Statement], group: EventGroup) -> str:
    articles = group.articles
    parts = []
    for s in sorted(stmts, key=lambda s: (s.interval, s.value)):
        names = [source_name(articles[a]) for a in sorted(s.articles)]
        verb = "says" if len(names) == 1 else "say"
        parts.append(f"{join_sources(names)} {verb} {s.words()}")
    return "; ".join(parts)


def _majority(stmts: Sequence[_Statement], total: int) -> _Statement | None:
    best = max(stmts, key=lambda s: len(s.articles))
    others = [s for s in stmts if s is not best]
    if len(best.articles) >= 2 and all(len(best.articles) > len(s.articles) for s in others):
        return best if len(best.articles) * 2 > total else None
    return None


def compare_quantities(group: EventGroup) -> list[Finding]:
    """Contradictions (disjoint intervals) and discrepancies (compatible, different figures)."""
    by_key: dict[MeasureKey, list[QuantityClaim]] = defaultdict(list)
    vocab = measures()
    one_site = event_vocabulary().one_site(group.event.kind)
    breakdown = _site_breakdowns(group)
    company = company_words(group)
    for claim in group.claims:
        if not isinstance(claim, QuantityClaim) or is_other_time(claim.time):
            continue
        if claim.id in breakdown:
            continue  # "41 at the Al Noor mosque and seven at Linwood": one outlet's split
        if is_forecast(claim.subject, claim.time):
            continue  # two expectations that differ are two opinions, not a contradiction
        text = group.articles[claim.article_id].text
        if is_possibility(claim, text):
            continue  # "the toll could top 10,000" is a fear, not a count
        if stance(claim, text) is not None:
            continue  # the sentence sought or the analysts' estimate is not the one imposed
        if is_part(claim, text) or is_proportion(claim, text):
            continue  # "including 5 children", "16% of the growth": a part of a whole
        if states_a_size(claim, text):
            continue  # "its workforce, which totals 110,000": the whole, not the jobs cut
        measure = vocab.get(claim.measure)
        if (held := _held_by_its_noun(claim)) is not None:
            # "45.7% of votes" read as no measure is still a share of the vote: whose it is
            # decides what it meets, as for any share
            claim, measure = claim.model_copy(update={"measure": held.id}), held
        if measure is not None and not measure.compare:
            continue
        if claim.measure == OTHER and subject_key(claim.subject) == _NO_NOUN:
            continue  # no measure and no noun: nothing says what it counts
        read = _as_compared(claim, text, measure, company)
        if read is None:
            continue
        claim = read
        key = measure_key(claim, group.event.place, one_site=one_site)
        if claim.measure == OTHER and (
            key[2] in vocab.default_noun_set or _counts_only_its_unit(claim)
        ):
            # No measure says what happened to the people it counts: only people under the
            # same verb ("72 people" carried, "33,000 people" who stayed) are one figure. A
            # noun of its own ("an eight-week trial") says what it is. A figure that counts
            # only its unit ("years") is as bare: "gifts taken over a two-year period" and
            # "the 6.5 to 8 years the guidelines suggested" are two spans.
            key = (*key[:2], f"{key[2]}:{figure_verb(claim, text) or ''}", key[3])
        by_key[key].append(claim)
    by_key = _split_by_defendant(_split_by_part(by_key, group), group)
    findings: list[Finding] = []
    for key in sorted(by_key):
        claims = by_key[key]
        if len({c.article_id for c in claims}) < 2:
            continue
        findings.extend(_compare_key(key, claims, group))
    return findings


def _counts_only_its_unit(claim: QuantityClaim) -> bool:
    """Whether a figure with a unit was read as counting nothing but the unit ("years")."""
    subject = claim.subject.strip()
    found = units().unit_after(subject) if claim.unit is not None else None
    return found is not None and found[1] >= len(subject)


def _held_by_its_noun(claim: QuantityClaim) -> Measure | None:
    """The ``per_holder`` measure a figure read with no measure counts by its noun alone:
    "45.7% of votes" is a share of the vote, "228 seats" seats. None for any other noun."""
    if claim.measure != OTHER:
        return None
    counted = {singular(w) for w in tokens(claim.subject)}
    kind = units().kind(claim.unit)
    for m in measures().all:
        if m.per_holder and m.takes(kind) and counted and counted <= _measure_words(m):
            return m
    return None


@cache
def _measure_words(measure: Measure) -> frozenset[str]:
    """The words of a measure's signal phrases, singular: what a noun counting it may be."""
    return frozenset(singular(w) for phrase in measure.words for w in tokens(phrase))


def _site_breakdowns(group: EventGroup) -> set[str]:
    """The claims of figures an article gives at two or more sites of one measure (the dead
    of each mosque, each hospital's injured): parts of a whole, split the article's own
    way."""
    sites: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for claim in group.claims:
        if isinstance(claim, QuantityClaim):
            where = site(claim, group.articles[claim.article_id].text)
            if where is not None:
                sites[(claim.article_id, claim.measure)][claim.id] = where
    return {
        claim_id for found in sites.values() if len(set(found.values())) >= 2 for claim_id in found
    }


def company_words(group: EventGroup) -> frozenset[str]:
    """The name the group's stories are about: the word most of their heads (title and
    opening) write as a name, with the words written beside it in one name ("brightwater",
    "energy" of "Brightwater Energy"). A rival or a business named in fewer heads ("Google",
    "AWS") is not the company. Empty when no name stands in at least half the heads."""
    counts: Counter[str] = Counter()
    runs: list[list[str]] = []
    for item in group.items:
        article = item.article
        head = f"{article.title or ''} {article.text[:_HEAD_CHARS]}"
        found: set[str] = set()
        for m in _A_NAME_RUN.finditer(head):
            # a name is never written in lower case ("Shares" is: "its shares fell")
            run = [
                w.lower()
                for w in m.group().split()
                if w.lower() not in STOPWORDS
                and w.lower() not in _CALENDAR
                and not re.search(rf"(?<![\w.]){re.escape(w.lower())}(?![\w])", article.text)
            ]
            runs.append(run)
            found.update(run)
        counts.update(found)
    if not counts:
        return frozenset()
    top = max(counts.values())
    if top < 2 or top * 2 < len(group.items):
        return frozenset()
    leading = {w for w, n in counts.items() if n == top}
    return frozenset(w for run in runs if leading & set(run) for w in run)


# Words written as one name ("Brightwater Energy", "AWS"), and how much of each article's
# start is its head.
_A_NAME_RUN = re.compile(r"\b[A-Z][A-Za-z]+(?: [A-Z][A-Za-z]+)*\b")
_HEAD_CHARS = 300
_CALENDAR = frozenset(w.lower() for w in (*MONTHS, *WEEKDAYS))


def _as_compared(
    claim: QuantityClaim, text: str, measure: Measure | None, company: frozenset[str] = frozenset()
) -> QuantityClaim | None:
    """The claim with the subject it is compared under, read again from its sentence: whose
    seats or votes, which business's revenue, the noun the figure itself counts. None when
    nothing says what it counts (a party's seats with no party named)."""
    vocab = measures()
    if measure is not None and measure.per_holder:
        # Seats or votes of no named party compare with nothing: "228 seats" and "329
        # seats" are two parties' figures, not two readings of one.
        if not {singular(w) for w in tokens(claim.subject)} - _measure_words(measure):
            whose = holder(claim, text)
            if whose is None:
                return None
            claim = claim.model_copy(update={"subject": f"{whose} {claim.subject}"})
        stage = count_stage(claim, text) if claim.time is None else None
        if stage is not None:
            # "with 87% of the tables counted": a share at one stage of the count meets only
            # shares at the same stage
            claim = claim.model_copy(update={"time": stage})
    noun = own_noun(claim, text)
    if noun in vocab.default_noun_set and subject_key(noun) not in subject_key(claim.subject).split(
        " "
    ):
        # "a train carrying more than 350 people" counts everyone aboard, whatever
        # narrower noun ("passengers") the reading gave it
        claim = claim.model_copy(update={"subject": noun})
    elif (restated := restated_noun(claim, text)) is not None and restated != claim.subject:
        # "revised the number of passengers to 58 and raised the total deaths to 62": the
        # 62 is the deaths' new value, all of them, whatever noun it was read with
        if measure is not None and restated in measure.words:
            default = vocab.default_noun(claim.measure)
            if default is not None:
                claim = claim.model_copy(update={"subject": default})
        elif not set(tokens(restated)) & set(tokens(claim.subject)):
            claim = claim.model_copy(update={"subject": restated})
    elif borrows_anothers_noun(claim, text):
        # "the death toll rose to 62 with 58 passengers plus four crew": the 62 counts
        # the measure's default (people), or nothing said
        default = vocab.default_noun(claim.measure)
        if default is None:
            return None
        claim = claim.model_copy(update={"subject": default})
    if measure is not None and measure.group == "business":
        # "The Intelligent Cloud unit generated $26.75 billion": one business's figure
        # meets only the same business's, never the company's
        business = segment(claim, text)
        if business is not None and not set(tokens(business)) <= set(tokens(claim.subject)):
            claim = claim.model_copy(update={"subject": f"{business} {claim.subject}"})
        # "Google's cloud revenue", "advertising revenue", "operating income": another
        # company's figure or a part of this one's, never the company's whole
        part = business_part(claim, text, company)
        if part is not None and not set(tokens(part)) <= set(tokens(claim.subject)):
            claim = claim.model_copy(update={"subject": f"{part} {claim.subject}"})
    return claim


def _split_by_part(
    by_key: dict[MeasureKey, list[QuantityClaim]], group: EventGroup
) -> dict[MeasureKey, list[QuantityClaim]]:
    """Figures of one key that name two or more parts of the event (the dead aboard, the
    dead on the ground) compared only within their part; a key whose figures name at most
    one part stays whole, so "all 49 killed" still meets "48 aboard died"."""
    out: dict[MeasureKey, list[QuantityClaim]] = {}
    for whole, all_claims in by_key.items():
        # A part of the measure (the seriously injured, a figure per share) never meets the
        # whole, whatever else the event's figures name.
        by_subset: dict[str | None, list[QuantityClaim]] = defaultdict(list)
        for c in all_claims:
            by_subset[subset(c, group.articles[c.article_id].text)].append(c)
        for part_of, claims in by_subset.items():
            key = whole if part_of is None else (*whole[:3], f"{whole[3]}%{part_of}")
            _split_part(out, key, claims, group)
    return out


def _split_by_defendant(
    by_key: dict[MeasureKey, list[QuantityClaim]], group: EventGroup
) -> dict[MeasureKey, list[QuantityClaim]]:
    """Figures of a ``per_defendant`` measure (a prison term, a fine) split by whose they
    are, where the event's figures name two or more: "Pruitt was sentenced to 14 years" and
    "Lehane received eight years" are two defendants' terms, not two readings of one. A
    figure naming no one stays under the whole key, meeting only others that name no one."""
    vocab = measures()
    out: dict[MeasureKey, list[QuantityClaim]] = {}
    people: frozenset[str] | None = None
    for key, claims in by_key.items():
        measure = vocab.get(key[0])
        if measure is None or not measure.per_defendant:
            out[key] = claims
            continue
        people = _people(group) if people is None else people
        whose = {c.id: _defendant(c, group.articles[c.article_id].text, people) for c in claims}
        if len({w for w in whose.values() if w}) < 2:
            out[key] = claims
            continue
        for c in claims:
            split = (*key[:3], f"{key[3]}~{whose[c.id]}") if whose[c.id] else key
            out.setdefault(split, []).append(c)
    return out


def _defendant(claim: QuantityClaim, text: str, people: frozenset[str]) -> str | None:
    """The folded surname of the one a figure's verb is about ("*Lehane* was jailed for
    eight years"), when the event's articles name such a person or company; a family
    named in the plural ("the McMichaels") is its surname."""
    name = defendant(claim, text)
    key = surname_key(name) if name else ""
    if key not in people:
        key = singular(key)
    return key if key in people else None


def _people(group: EventGroup) -> frozenset[str]:
    """The folded surnames of the people and organisations the event's articles name."""
    return frozenset(
        surname_key(ent.text)
        for article in group.articles.values()
        for ent in parse(article.text).ents
        if ent.label_ in ("PERSON", "ORG")
    ) - {""}


def _split_part(
    out: dict[MeasureKey, list[QuantityClaim]],
    key: MeasureKey,
    claims: list[QuantityClaim],
    group: EventGroup,
) -> None:
    """Add ``claims`` to ``out`` under ``key``, or under one key per part of the event they
    name when they name two or more."""
    parts = {c.id: sub_scope(c, group.articles[c.article_id].text) for c in claims}
    if len({p for p in parts.values() if p}) < 2:
        out.setdefault(key, []).extend(claims)
        return
    for c in claims:
        part = parts[c.id]
        split = (*key[:3], f"{key[3]}#{part}" if part else key[3])
        out.setdefault(split, []).append(c)


def _subject(key: MeasureKey, claims: Sequence[QuantityClaim], group: EventGroup) -> str:
    counted = Counter(c.subject.strip() for c in claims).most_common(1)[0][0]
    text = with_measure(claims[0], counted)  # "people killed", "Greens seats"
    where = key[3].split("@")[0]
    if where != (place_key(group.event.place) or "here") and not where.startswith("abroad:"):
        places = [c.place for c in claims if c.place]
        if where == "country":
            text += " nationwide"
        elif places:
            text += f" in {Counter(places).most_common(1)[0][0]}"
    return text


def _days(s: _Statement, group: EventGroup) -> set[dt.date | None]:
    return {group.articles[a].published for a in s.articles}


# How long one event's coverage runs: a toll updated over a week or two is a timeline; figures
# a month apart in one declared event are compared as they stand.
_UPDATE_WINDOW = dt.timedelta(days=14)


def _on_different_days(a: _Statement, b: _Statement, group: EventGroup) -> bool:
    """Both figures dated, within one event's coverage window, and no article gives either
    of them on the other's day."""
    days_a, days_b = _days(a, group), _days(b, group)
    if None in days_a | days_b or not days_a.isdisjoint(days_b):
        return False
    dates = [d for d in days_a | days_b if d is not None]
    return max(dates) - min(dates) <= _UPDATE_WINDOW


def _timeline(stmts: list[_Statement], subject: str, group: EventGroup) -> Finding:
    """One low finding for a figure that changed between publication days."""

    def first_day(s: _Statement) -> dt.date | None:
        days = [d for d in _days(s, group) if d]
        return min(days) if days else None

    dated = sorted(stmts, key=lambda s: (first_day(s) or dt.date.min, s.value))
    by_day: dict[dt.date | None, list[str]] = defaultdict(list)
    for s in dated:
        by_day[first_day(s)].append(s.words())
    first, last = dated[0].interval[0], dated[-1].interval[0]
    verb = "rose" if last > first else "fell" if last < first else "changed"
    if len(by_day) > 1 and None not in by_day:
        steps = [
            f"{' and '.join(words)} on {_day(day)}"
            for day, words in sorted(by_day.items())
            if day is not None
        ]
        explanation = (
            f"The figure for {subject} {verb} from {' to '.join(steps)}: reports published on "
            "different days, so this reads as an update rather than a contradiction."
        )
    else:
        ranked = sorted(dated, key=lambda s: (s.interval[0], s.value))
        explanation = (
            f"The figure for {subject} is given as {' and '.join(s.words() for s in ranked)}, "
            "and an article gives more than one of them: the count was updated as the story "
            "went on, so this reads as an update rather than a contradiction."
        )
    return policy_finding(
        Situation.FIGURES_UPDATED_BETWEEN_DAYS,
        explanation=explanation,
        claims=[c for s in dated for c in s.claims],
        event_id=group.event.id,
        subject=subject,
        wording={"latest": dated[-1].words()},
    )


def _day(day: dt.date) -> str:
    return f"{day.day} {day.strftime('%B')}"


def _compare_key(key: MeasureKey, claims: list[QuantityClaim], group: EventGroup) -> list[Finding]:
    grouped: dict[tuple[Qualifier, float, float | None, str], list[QuantityClaim]] = defaultdict(
        list
    )
    for c in claims:
        grouped[(c.qualifier, c.value, c.value_high, c.unit or "")].append(c)
    stmts = [
        _Statement(qualifier=q, value=v, value_high=h, claims=tuple(cs))
        for (q, v, h, _), cs in sorted(
            grouped.items(), key=lambda kv: (kv[0][1], kv[0][0].value, kv[0][3])
        )
    ]
    # A figure one source gives whose number the parse shows counting another noun ("two"
    # in "killed in two earthquakes" taken for two people) is a misreading, not a source's
    # error: it never becomes a finding.
    texts = {a: group.articles[a].text for a in {c.article_id for c in claims}}
    stmts = [
        s
        for s in stmts
        if len(s.articles) >= 2
        or not all(counts_something_else(c, texts[c.article_id]) for c in s.claims)
    ]
    conflicting: dict[int, _Statement] = {}
    far: dict[int, _Statement] = {}
    differing: dict[int, _Statement] = {}
    updated: dict[int, _Statement] = {}
    # Only a running count (a toll, a case count) is revised from one day to the next; the
    # length of a trial or a share price's fall at one moment stays what it was, so two days'
    # figures of it that differ are in conflict like one day's.
    revised = measures().revised(key[0])
    # A running count an article gives at two moments ("rose to 133 from 115") is an update,
    # not a sign that the key holds two things.
    torn = set() if revised else _torn(stmts)
    slipped: dict[int, _Statement] = {}
    for a, b in combinations(stmts, 2):
        if len(a.articles | b.articles) < 2 or _co_stated(a, b) or _one_case(a, b):
            continue
        if a.articles <= torn or b.articles <= torn:
            continue  # what a figure only torn articles give counts is not read
        if _scale_slip(a, b):
            slipped[id(a)], slipped[id(b)] = a, b
            continue
        # A toll that grows tenfold over days is an update, not a misreading.
        if _lone_outlier(a, b) and not (revised and _on_different_days(a, b, group)):
            continue
        if _disjoint(a, b) or _differs(a, b, settled=not revised):
            if revised and (_on_different_days(a, b, group) or _bridged(a, b, stmts)):
                # Days apart, or one article giving both ("the toll rose to 133 from 115"):
                # a running count updated, not two sources at odds.
                updated[id(a)], updated[id(b)] = a, b
            elif _disjoint(a, b) and _far_apart([a, b]):
                far[id(a)], far[id(b)] = a, b
            elif _disjoint(a, b) and not _hedged_alike(a, b):
                conflicting[id(a)], conflicting[id(b)] = a, b
            else:
                differing[id(a)], differing[id(b)] = a, b
    subject = _subject(key, claims, group)
    total = len({c.article_id for c in claims})
    measure = measures().get(key[0])
    casualty = measure is not None and measure.high_stakes
    findings: list[Finding] = []

    def report(situation: Situation, involved: Sequence[_Statement], **details: Any) -> None:
        """One finding on ``involved``, with the claims each of its figures rests on."""
        findings.append(
            policy_finding(
                situation,
                claims=[c for s in involved for c in s.claims],
                event_id=group.event.id,
                subject=subject,
                **details,
            )
        )

    if slipped:
        involved = sorted(slipped.values(), key=lambda s: (s.interval, s.value))
        lone = min(involved, key=lambda s: len(s.articles))
        report(
            Situation.FIGURES_SCALE_SLIP,
            involved,
            explanation=(
                f"Sources give figures for {subject} a thousand times apart: "
                f"{_describe(involved, group)}. One of them most likely has the wrong "
                "scale word (million for billion, or the like)."
            ),
            wording={"figure": lone.words()},
        )
    if updated:
        findings.append(_timeline(list(updated.values()), subject, group))
    if far:
        # Figures this far apart are more often two counts (a town's dead and the nation's,
        # the bodies identified and the toll) than one count told wrong: what each counts
        # cannot be read with confidence, so it is a discrepancy to check, never an alarm.
        involved = list(far.values())
        report(
            Situation.FIGURES_FAR_APART,
            involved,
            explanation=(
                f"Sources give figures for {subject} so far apart that they may count "
                f"different things: {_describe(involved, group)}."
            ),
        )
    if conflicting:
        involved = list(conflicting.values())
        exact = all(s.qualifier not in _APPROXIMATE for s in involved)
        majority = _majority(involved, total)
        # Figures in conflict here were given on one day (or with no day to tell). A running
        # count (a toll) told two ways on one day may be one count at two hours: "cannot
        # both be current" is worth an editor's look, never an alarm. Only a high-stakes
        # figure that is not revised as a story goes on earns high.
        report(
            Situation.FIGURES_CONTRADICT_SAME_DAY_RUNNING_COUNT
            if revised
            else Situation.FIGURES_CONTRADICT_HIGH_STAKES
            if casualty
            else Situation.FIGURES_CONTRADICT,
            involved,
            sure=exact,
            explanation=(
                f"Sources give figures for {subject} that cannot all be true: "
                f"{_describe(involved, group)}."
                + (
                    " It is a running count, given on the same day or undated: one of "
                    "them may be an earlier figure, but they cannot both be current."
                    if revised
                    else ""
                )
            ),
            named=majority is not None,
            wording=(
                {
                    "agree": len(majority.articles),
                    "total": total,
                    "figure": majority.words(),
                    "subject": subject,
                }
                if majority
                else None
            ),
        )
    if conflicting and not set(differing).isdisjoint(conflicting):
        # A compatible figure beside a contradiction about the same figures adds nothing the
        # contradiction's "check every figure" does not say: one finding per disagreement.
        differing = {}
    if differing:
        involved = list(differing.values())
        highest = max(involved, key=lambda s: (s.interval[0], s.value))
        report(
            Situation.FIGURES_COMPATIBLE,
            involved,
            explanation=(
                f"Sources give different but compatible figures for {subject}: "
                f"{_describe(involved, group)}. The figure may have been updated between "
                "reports."
            ),
            named=not math.isinf(highest.value),
            wording={"highest": highest.words()},
        )
    return findings
