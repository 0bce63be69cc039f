"""The evidence for and against one article reporting a cluster's event, and its weights.

A cluster is the articles grouped so far, with running aggregates so a decision costs the
same whatever its size. Ties (a shared city, people, named things, a flight, distinctive
figures, an anchor, lede wording, the same day and kind) add up against what tells the two
apart (other kinds, other places or countries, a different anchor, a differing count days
apart); ``_decide`` turns the balance into same, different, or ambiguous (asked of the
model when one is given).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Set
from dataclasses import dataclass, field
from enum import Enum

from claimcheck.crosscheck.event_profile import FigureKey, _Profile, _specific_place
from claimcheck.crosscheck.text import BROAD_PLACES, place_key, places_compatible
from claimcheck.language.places import PlaceKind, is_city, lookup
from claimcheck.language.vocabulary.events import event_vocabulary
from claimcheck.language.vocabulary.measures import measures

# A whole number from this size is rare enough to tie reports days apart.
_RARE_FROM = 100
# Evidence weights: a shared city or an anchor or a figure each carry more than a name.
_PLACE = 2
# A place both heads name that neither reads as the event's place: it may be a country.
_NAMED_PLACE = 1
#: one town or island named by two reports of a lasting event (a flood, a fire) days apart:
#: with the place itself, enough to join them (two floods in one town in a fortnight are rare)
_LASTING_SITE = 2
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
# Countries two reports of a lasting event both name (two or more): enough to join them
# days apart, as one town is (_PLACE + _LASTING_SITE): one quake across a border.
_SHARED_COUNTRIES = 2
_COUNTRIES = _PLACE + _LASTING_SITE
# A shared flight number ties like an anchor.
_FLIGHT = 2
# The person a court sentenced or convicted, named so by both: a case's identity, as a
# flight number is a crash's.
_CASE = 3
# A storm named by both ("Typhoon Mangkhut"): the storm's identity, whatever town or day
# each report leads on (a season gives each name to one storm of a basin).
_STORM = _JOIN_SPAN
# Positive evidence below a join but at least this much is "mixed": the LLM is asked.
_ASK_FROM = 2


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
    defendants: set[str] = field(default_factory=set)
    storms: set[str] = field(default_factory=set)
    flights: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
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
        self.defendants |= p.defendants
        self.storms |= p.storms
        self.flights |= p.flights
        self.countries |= p.countries
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


def _same_place(a: str | None, b: str | None) -> bool:
    """Whether two event places can be one place (unknown or country-wide places can)."""
    return places_compatible(a, b)


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
    if p.family in event_vocabulary().contested and p.family in cluster.families:
        heads = frozenset()  # "Erdogan" and his rival are the runoff's candidates
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
    # The site of a fire or a flood, named by both: such an event goes on for days, so the
    # happenings each report times it by and its counts (rescued, evacuated, troops sent)
    # differ by the day, and their differing is no evidence against.
    lasting = _lasting_site(p, cluster)
    against = 0 if lasting else max(-anchor, 0)
    if not lasting and (
        p.day is None or not cluster.days or (gap is not None and gap >= _CLASH_GAP)
    ):
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
    if lasting:
        ties += _LASTING_SITE
    countries = _lasting_countries(p, cluster)
    if countries:
        ties += _COUNTRIES
    # The one a court sentenced, named so by both: one case, whatever city each names.
    case = _same_case(p, cluster, heads)
    if case:
        ties += _CASE
    # One storm named by both: its reports over a week lead on different towns and tolls.
    # Two storms named apart are two events, whatever town both hit.
    storm = bool(p.storms & cluster.storms) and p.family in cluster.families
    if storm:
        ties += _STORM
    elif p.storms and cluster.storms:
        against += _STORM
    # A person alone is no strong tie across days (a city's mayor speaks after every
    # strike), nor is a common figure.
    strong = bool(rare or anchor > 0 or orgs or flight or lasting or case or countries or storm)
    return ties, against, strong


def _same_case(p: _Profile, cluster: _Cluster, heads: Set[str]) -> bool:
    """Both heads say a court sentenced, convicted or acquitted the same person."""
    return bool((p.defendants & cluster.defendants) - heads)


def _lasting_site(p: _Profile, cluster: _Cluster) -> bool:
    """Both report a lasting kind of event (a fire, a flood, a crash: events.yaml) and both
    heads name one town, island or district: a wildfire on Maui reported on Thursday and
    on Saturday is one fire, though no figure of Thursday's is left by Saturday. A region
    or a country is no such tie (two floods in one state in a fortnight happen)."""
    lasting = event_vocabulary().lasting
    if p.family not in lasting or p.family not in cluster.families:
        return False
    for key in _specific(p.places) & _specific(cluster.places):
        known = lookup(key.replace("-", " "))
        if known is None or known.kind is PlaceKind.CITY:
            return True
    return False


def _lasting_countries(p: _Profile, cluster: _Cluster) -> bool:
    """Both report a lasting kind of event and both heads name the same two or more
    countries ("the earthquake that struck Turkey and Syria"): one quake across a border,
    whichever town each report leads with. One country is no such tie."""
    if p.family not in event_vocabulary().lasting or p.family not in cluster.families:
        return False
    return len(p.countries & cluster.countries) >= _SHARED_COUNTRIES


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
    if vocab.country_wide(p.family) and p.family in cluster.families:
        # a national vote's count read in one city and its result announced in another
        two = here_country and there_country and here_country != there_country
        return _OTHER_COUNTRY if two else 0
    if _same_case(p, cluster, frozenset()):
        return 0  # one defendant's case: the court's city, the home town, the crime scene
    if p.storms & cluster.storms:
        return 0  # one storm's towns: it crosses many
    if _lasting_countries(p, cluster) and {here_country, there_country} <= (
        p.countries & cluster.countries
    ):
        return 0  # a town in Turkey and a town in Syria: both of the quake's countries
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
