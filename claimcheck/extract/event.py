"""The event an article reports (date, place, kind), read by code from metadata and text."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from claimcheck.extract.candidates import in_non_story_line
from claimcheck.extract.text import normalise
from claimcheck.language import nlp, places
from claimcheck.language.calendar_words import MONTH_NUMBERS, MONTHS, WEEKDAYS
from claimcheck.language.titles import normalise_office
from claimcheck.language.vocabulary.events import event_vocabulary
from claimcheck.language.vocabulary.speakers import speaker_words
from claimcheck.models import Article, DateCertainty, EventInfo

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_MONTH_RE = "|".join(MONTHS)
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH_RE})(?:,?\s+(\d{{4}}))?\b", re.IGNORECASE)
_MONTH_DAY = re.compile(
    rf"\b({_MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b", re.IGNORECASE
)
_ACTOR_AFTER = re.compile(
    r"\s*(?:'s|’s|said|says|has said|had said|announced|claimed|offered|accused|warned|"
    r"insisted|signalled|signaled|wants|would)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_ISO = re.compile(r"\b(20\d\d)-(\d\d)-(\d\d)\b")
_WEEKDAY = re.compile(rf"\b({'|'.join(WEEKDAYS)})\b", re.IGNORECASE)


def event_info(article: Article) -> EventInfo:
    """Date (stated > weekday relative to publication > publication date), place, kind."""
    text = normalise(article.text)
    lede = _lede(text)
    date, certainty = _date(text, lede, article.published)
    return EventInfo(
        date=date,
        date_certainty=certainty,
        place=_place(text, lede, year=article.published.year if article.published else None),
        kind=_kind(lede) or _kind(text[:800]),
    )


def _lede(text: str) -> str:
    """The first two sentences: where news copy says what happened, when and where."""
    parts = _SENTENCE_END.split(text.strip(), maxsplit=2)
    return " ".join(parts[:2])


def _date(text: str, lede: str, published: dt.date | None) -> tuple[dt.date | None, DateCertainty]:
    # Dates further down are usually background (the talks on Wednesday, the call on
    # Thursday, gains between two dates); only the lede dates the event itself.
    stated = _stated_date(lede, published)
    if stated is not None:
        return stated, DateCertainty.STATED
    if published is not None:
        weekday = next(
            (m for m in _WEEKDAY.finditer(lede) if not _AHEAD.search(_clause_before(lede, m))),
            None,
        )
        if weekday:
            wanted = WEEKDAYS.index(weekday.group(1).lower())
            back = (published.weekday() - wanted) % 7
            if back == 0:
                return published, DateCertainty.METADATA
            return published - dt.timedelta(days=back), DateCertainty.INFERRED
        return published, DateCertainty.METADATA
    stated = _stated_date(text[:1500], None)
    if stated is not None:
        return stated, DateCertainty.STATED
    return None, DateCertainty.UNKNOWN


# Words that put a weekday ahead of the report ("will culminate on Monday", "is due to be
# sentenced on Friday"): a day to come is not the event's.
_AHEAD = re.compile(
    r"\b(?:will|shall|is to|are to|due|scheduled|set to|expected|planned|plans|next)\b[^.;]*$",
    re.IGNORECASE,
)


def _clause_before(text: str, match: re.Match[str]) -> str:
    """The words of ``match``'s clause before it."""
    return re.split(r"[,;:]", text[max(0, match.start() - 80) : match.start()])[-1]


def _stated_date(text: str, published: dt.date | None) -> dt.date | None:
    candidates: list[tuple[int, dt.date]] = []
    for m in _ISO.finditer(text):
        with contextlib.suppress(ValueError):  # 2025-02-30 is not a date
            candidates.append(
                (m.start(), dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
            )
    for pattern, day_group, month_group in ((_DAY_MONTH, 1, 2), (_MONTH_DAY, 2, 1)):
        for m in pattern.finditer(text):
            year_text = m.group(3)
            year = int(year_text) if year_text else (published.year if published else None)
            if year is None:
                continue
            try:
                value = dt.date(
                    year, MONTHS.index(m.group(month_group).lower()) + 1, int(m.group(day_group))
                )
            except ValueError:
                continue
            candidates.append((m.start(), value))
    if not candidates:
        return None
    if published is not None:
        # Background dates (the start of a war) are far from publication; the event is near it.
        near = [c for c in candidates if abs((published - c[1]).days) <= 7]
        if not near:
            return None
        candidates = near
    return min(candidates)[1]


def _names_its_city(ent: Span, city: str) -> bool:
    """An organisation named after its city first, as a body or site of the city ("Kyiv City
    Military Administration", "Dhaka Medical College"), still says where it is; one with the
    word further in ("UK Independence Party"), or a company named so ("Cambridge Analytica"),
    does not."""
    words = [t for t in ent if t.lower_ != "the"]
    if ent.label_ != "ORG" or not words or words[0].text != city:
        return False
    if not any(places.is_institution_word(t.text) for t in words[1:]):
        return False  # "Cambridge Analytica": a company named so, not a body of the city
    if words[0].i == 0:
        return True
    before = ent.doc[words[0].i - 1]
    if before.lower_ == "the":
        return True
    # "UK Independence Party" parsed as "UK" + "Independence Party": the name goes on
    # before the entity, so its first word is not where it begins
    return not (before.text[:1].isupper() and before.is_alpha)


# Entities whose words name a person, a group or a thing: a city word inside one is no
# city ("UK *Independence* Party"; a party the tagger reads as a title, "La *Granada*
# Avanza", WORK_OF_ART).
_NAMES_OF_THINGS = frozenset({"PERSON", "NORP", "ORG", "WORK_OF_ART", "PRODUCT", "LAW"})


def _city_mentions(text: str) -> list[tuple[int, int, str]]:
    """Cities the text names: capitalised words the gazetteer knows as cities, read with the
    parse's entities — a word inside a person's name is no city ("George" Osborne, Robert
    F. "Kennedy"), and a word inside a longer place name stands for that whole name ("San"
    Andres, New "York")."""
    covering: dict[int, Span] = {}
    for ent in nlp.parse(text).ents:
        for i in range(ent.start_char, ent.end_char):
            covering[i] = ent
    out = []
    for m in re.finditer(r"\b[A-Z][a-z]+(?:-[A-Z][a-z]+)?\b", text):
        start, end, city = m.start(), m.end(), m.group()
        ent_at = covering.get(start)
        if (
            ent_at is not None
            and ent_at.label_ in _NAMES_OF_THINGS
            and ent_at.text != city
            and not _names_its_city(ent_at, city)
        ):
            # a word of a longer name ("UK *Independence* Party"); a lone "Kyiv" mis-tagged
            # PERSON stays a city
            continue
        if ent_at is not None and ent_at.label_ in ("GPE", "LOC", "FAC") and ent_at.text != city:
            whole = re.sub(r"^the\s+|['\u2019]s$", "", ent_at.text, flags=re.IGNORECASE).strip()
            found = places.lookup(whole)
            if (
                found is not None
                and found.kind is places.PlaceKind.CITY
                and (start == ent_at.start_char or not re.match(r"^the\s", ent_at.text, re.I))
            ):
                out.append((ent_at.start_char, ent_at.end_char, whole))
            # A word of a longer place name is never a city of its own: "York" in "New York"
            # (the state or the city, whichever the gazetteer knows) is not the English city.
            continue
        if places.is_city(city):
            out.append((start, end, city))
    named = {city for city in {m[2] for m in out} if _only_in_a_longer_name(text, city)}
    return sorted({m for m in out if m[2] not in named})


# A capitalised word right after a city's name ("Cambridge Analytica").
_NEXT_NAME_WORD = re.compile(r" ([A-Z][a-z]+)\b")


def _only_in_a_longer_name(text: str, city: str) -> bool:
    """Whether the article writes a city's word only as the first word of one longer name
    the tagger missed ("Cambridge Analytica", "Manchester United"): a company or a club,
    not the city. A body of the city ("Dublin High Court"), a title ("Kyiv Mayor"), a kind
    of place or another place after it keep the city."""
    following = {
        m.group(1) if (m := _NEXT_NAME_WORD.match(text, found.end())) else None
        for found in re.finditer(rf"\b{re.escape(city)}\b", text)
    }
    if len(following) != 1 or (word := following.pop()) is None:
        return False
    low = word.lower()
    return not (
        places.is_institution_word(low)
        or places.kind_of_word(low) is not None
        or places.is_descriptor(low)
        or places.lookup(word) is not None
        or normalise_office(word) is not None
        or low in MONTH_NUMBERS
        or low in WEEKDAYS
    )


@dataclass(frozen=True)
class _Mention:
    """One mention of a place: its offsets, its name, and how much it says about the site."""

    start: int
    end: int
    name: str
    #: the parse's token of the mention (its last word), or None when the parse has none
    token: Token | None
    #: a region ("the Amur region") says less about the site than a town in it
    region: bool = False


def _place_mentions(text: str) -> list[_Mention]:
    """Places the text names that may be the event's site: cities the gazetteer knows, and
    places the parse tags (GPE) that are not countries or wider areas — a town too small
    for the city list ("Tynda"), a district ("Jajarkot district"), a region."""
    doc = nlp.parse(text)
    out: dict[tuple[int, int], _Mention] = {}
    no_place = places.names_no_place(text)  # "Hurricane Florence": a storm's name
    for start, end, city in _city_mentions(text):
        if in_non_story_line(text, start) or city in no_place:
            continue  # a caption's or byline's place is not the story's
        span = doc.char_span(start, end, alignment_mode="expand")
        out[(start, end)] = _Mention(start, end, city, span[-1] if span else None)
    taken = [(s, e) for s, e in out]
    for ent in doc.ents:
        # an island or a valley is tagged LOC ("on Maui"): a site as much as a town
        if ent.label_ not in ("GPE", "LOC") or any(
            s < ent.end_char and ent.start_char < e for s, e in taken
        ):
            continue
        if in_non_story_line(text, ent.start_char):
            continue
        root = ent.root
        if root.dep_ == "compound" and root.head.ent_type_ == "PERSON":
            continue  # a given name tagged as a place ("Harish Chandra Sharma")
        name = re.sub(r"^the\s+|['\u2019]s$", "", ent.text, flags=re.IGNORECASE).strip()
        if name in no_place or _only_in_a_longer_name(text, name):
            continue
        if not name[:1].isupper() or (name.isupper() and len(name) <= 3):
            continue  # "AI", "EU": an abbreviation, not a town
        known = places.lookup(name)
        if places.is_broad(places.place_key(name)) or (
            known is not None and known.kind is places.PlaceKind.COUNTRY
        ):
            continue  # a country never separates two events; it is no site
        after = doc[ent.end] if ent.end < len(doc) else None
        kind_after = places.kind_of_word(after.text) if after is not None else None
        region = (known is not None and known.kind is places.PlaceKind.REGION) or (
            kind_after is places.PlaceKind.REGION and known is None and _is_wide(after)
        )
        mention = _Mention(ent.start_char, ent.end_char, name, root, region=region)
        # An island is tagged LOC and stood "on" ("on Maui"), or is a site ("in Maui");
        # a feature's name of more words (a river, a coast, a court's "Southern
        # District") places the event no better than the town the other reports name.
        island = ent.label_ == "LOC" and ent.start > 0 and doc[ent.start - 1].lower_ == "on"
        if ent.label_ == "LOC" and known is None and len(name.split()) > 1:
            continue
        if known is None and kind_after is None and not island and _role(mention, text) != "site":
            # A name the gazetteer does not know is a site only where something happens at
            # it ("near Aranpur"), or with its kind ("Jajarkot district"): the tagger also
            # reads companies and people as GPE.
            continue
        out[(ent.start_char, ent.end_char)] = mention
    return sorted(out.values(), key=lambda m: m.start)


def _is_wide(noun: Token | None) -> bool:
    """'region', 'province', 'state': a first-level area; a district or county is a site."""
    return noun is not None and places.is_first_level_word(noun.lower_)


#: Weight of a mention whose place only frames the story: a dateline, an actor, a speaker.
_CONTEXT = 1.0
#: Bonus of a mention that puts something at the place ("crashed near Tynda").
_SITE_BONUS = 4.0
#: Factor of a mention that is a leg of a journey ("set out from Khabarovsk").
_ROUTE = 0.2


# A place named as a time zone: "at 8 p.m. Bishkek time", "Moscow time".
_CLOCK_AFTER = re.compile(r"\s+time\b")


def _role(mention: _Mention, text: str, *, year: int | None = None) -> str:
    """How a place is mentioned: 'dateline', 'clock', 'past', 'actor', 'speaker', 'route',
    'site' or 'plain'. ``year``: the article's, when known."""
    if is_dateline(text, mention.start):
        return "dateline"
    if _CLOCK_AFTER.match(text, mention.end):
        return "clock"  # "8 p.m. Bishkek time": a time zone, not a place of the story
    if _ACTOR_AFTER.match(text, mention.end):
        return "actor"
    token = mention.token
    if token is None:
        return "plain"
    if year is not None and _of_another_year(token, year):
        return "past"  # "the toll from the 2011 earthquake off Fukushima": another event
    if _in_a_name(token):
        return "actor"  # "KHNL of Honolulu", "Hollywood mogul Harvey Weinstein"
    site, route, journey = places.site_words()
    words = speaker_words()
    node = token
    # "the town of Tynda", "Dantewada district": the place noun stands for the place.
    if (
        node.dep_ == "pobj"
        and node.head.lower_ == "of"
        and places.kind_of_word(node.head.head.text)
    ):
        node = node.head.head
    elif node.dep_ == "compound" and places.kind_of_word(node.head.text):
        node = node.head
    if node.dep_ != "pobj":
        return "plain"
    prep = node.head
    governor = prep.head
    if governor.lemma_.lower() in words.speech_verbs or governor.lower_ in words.not_a_person:
        return "speaker"  # "officials in Kathmandu said", "told reporters in Moscow"
    # "16 km from Tynda", "500 km west of Kathmandu": the place a distance is measured from
    # is a reference point, not a journey's leg.
    distance = governor.ent_type_ == "QUANTITY" or (
        prep.lower_ == "of" and governor.lower_ in _COMPASS
    )
    if prep.head.lower_ in site:
        return "site"  # "close to Tynda", "near to the border"
    if prep.lower_ in route and not distance:
        return "route"
    if governor.lemma_.lower() in journey:
        return "route"  # "called at Blagoveshchensk", "started in Khabarovsk"
    if prep.lower_ in site:
        return "site"
    return "plain"  # a distance's reference point may be far from the site


def _in_a_name(token: Token) -> bool:
    """Whether a place word only names something else: the place "of" a proper name ("KHNL
    of Honolulu", "the Kingdom of Hawaii"), or a word of a person's description
    ("Hollywood mogul Harvey Weinstein"); "the Maui wildfires" still put the fires on Maui."""
    node = token
    while node.dep_ == "compound" and places.kind_of_word(node.head.text):
        node = node.head  # "Montgomery County": the county is the place
    if node.dep_ == "pobj" and node.head.lower_ == "of":
        owner = node.head.head
        return owner.pos_ == "PROPN" and places.kind_of_word(owner.text) is None
    if node.dep_ != "compound":
        return False
    while node.dep_ == "compound":
        node = node.head
    # a person's description ("Hollywood mogul Harvey Weinstein", "Dallas pastor Mark
    # Ellis"); a court's or an event's name keeps its place
    return node.ent_type_ == "PERSON"


_COMPASS = frozenset(
    "north south east west northeast northwest southeast southwest".split()  # noqa: SIM905
)


# "VINA DEL MAR - The toll ...": a line opened by a place in capitals and a dash.
_CAPITALS_DATELINE = re.compile(r"[^\W\d_a-z]{3,}(?:[ .'-]+[^\W\d_a-z]+)*\s+[-\u2013\u2014]\s")
_DATELINE_END = re.compile(
    r"[^\n]{0,60}?(?:\([A-Z][\w. ]*\)\s*[-\u2013\u2014:]?|[-\u2013\u2014:])\s"
)


def is_dateline(text: str, offset: int) -> bool:
    """Whether a place opens its line as a dateline: "MOSCOW, July 24 -", "Jajarkot, Nov 4:",
    "London (CNL)", "KHARKIV - "."""
    return dateline_end(text, offset) is not None


def dateline_end(text: str, offset: int) -> int | None:
    """Where the dateline a place at ``offset`` opens ends (the story's first word), or None
    when the place opens no dateline."""
    line_start = text.rfind("\n", 0, offset) + 1
    if text[line_start:offset].strip():
        return None
    rest = text[offset:]
    if _CAPITALS_DATELINE.match(rest) is None and (
        re.match(r"[^\n]{0,40}?(?:[-\u2013\u2014:]\s|\([A-Z][\w. ]*\))", rest) is None
        or re.match(r"[\w .'-]+(?:,|\s\()", rest) is None
    ):
        return None
    end = _DATELINE_END.match(rest)
    return offset + end.end() if end is not None else offset


_YEAR = re.compile(r"(?:19|20)\d\d")


def _of_another_year(token: Token, year: int) -> bool:
    """Whether the phrase a place hangs in is dated by another year than the article's:
    "the 2011 earthquake off Fukushima", "the floods of 1998 in Dhaka"."""
    node = token
    for _ in range(4):
        for child in node.children:
            if _YEAR.fullmatch(child.text) and int(child.text) != year:
                return True
            if (
                child.dep_ == "prep"
                and child.lower_ in ("of", "in")
                and any(_YEAR.fullmatch(g.text) and int(g.text) != year for g in child.children)
            ):
                return True
        if node.head is node or node.pos_ in ("VERB", "AUX"):
            return False
        node = node.head
    return False


def _place(text: str, lede: str, *, year: int | None = None) -> str | None:
    """The place where the event happened.

    Every mention scores: a mention in the first sentence 10, in the second 5, later 1. A
    mention that puts something at the place ("near Tynda", "16 km from Tynda") adds a
    bonus; a leg of a journey ("set out from Khabarovsk") counts a fifth; a dateline, an
    actor ("Moscow said") and a speaker's place ("officials in Kathmandu said") count 1. A
    region counts half of a town in it; the highest total wins, ties go to the mention
    nearest the words saying what happened.
    """
    scores: dict[str, float] = {}
    nearest: dict[str, int] = {}
    lede_end = len(lede)
    happened = event_vocabulary().happening_pattern
    happened_at = [m.start() for m in happened.finditer(text[:lede_end].lower())]
    first_end = m.end() if (m := re.search(r"[.!?](?:\s|$)", lede)) else lede_end
    for mention in _place_mentions(text):
        role = _role(mention, text, year=year)
        if role in ("clock", "past"):
            continue
        if role in ("dateline", "actor", "speaker"):
            score = _CONTEXT
        else:
            score = 10.0 if mention.start < first_end else 5.0 if mention.start < lede_end else 1.0
            if role == "route":
                score *= _ROUTE
            elif role == "site":
                score += _SITE_BONUS
        if mention.region:
            score /= 2
        scores[mention.name] = scores.get(mention.name, 0.0) + score
        if mention.start < lede_end:
            distance = min((abs(a - mention.start) for a in happened_at), default=len(text))
            nearest[mention.name] = min(distance, nearest.get(mention.name, distance))
    if not scores:
        return None
    return max(scores, key=lambda c: (scores[c], -nearest.get(c, len(text))))


def _kind(lede: str) -> str | None:
    """The kind (events.yaml) whose word comes first in a lede, or None."""
    kind = event_vocabulary().kind_of(lede)
    return kind.label if kind else None
