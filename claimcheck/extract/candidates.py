"""Deterministic candidate detectors: figures, quotations, and people with title phrases.

Code finds *where* a claim may be; the model is only asked narrow questions about each
candidate. Everything code can read for itself (the number, its hedge words, the quoted
words, the title phrase next to a name) is taken from the text here, never from the model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from claimcheck.extract.text import Sentence, normalise, sentence_at
from claimcheck.language import nlp, places
from claimcheck.language.calendar_words import MONTH_NUMBERS, MONTHS, WEEKDAYS
from claimcheck.language.names import name_key, same_person
from claimcheck.language.vocabulary.measures import measures
from claimcheck.language.vocabulary.speakers import speaker_words
from claimcheck.language.vocabulary.units import COUNT, units
from claimcheck.models import Qualifier

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

# --------------------------------------------------------------------------- numbers

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_WORD = "|".join(sorted([*_UNITS, *_TENS, "dozen"], key=len, reverse=True))
_NUMBER = re.compile(
    rf"(?<![\w.,:])(?<!\d-)(?:(?P<digits>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)"
    rf"|(?P<words>(?:{_WORD})(?:-(?:{'|'.join(_UNITS)}))?))"
    # A letter may follow only when it starts a unit or magnitude word ("4.2bn", "5km"):
    # checked in code, so "11A" and "787s" stay out.
    rf"(?:[ -](?P<scale>hundred|thousand|million|billion))?(?![\d_])(?!\.\d)(?P<glued>[^\W\d_])?",
    re.IGNORECASE,
)
_RANGE_TAIL = re.compile(
    r"^\s*(?:-|to|and)\s*(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w])", re.IGNORECASE
)
_MONTHS = "|".join(MONTH_NUMBERS)
# What makes a number a clock time, a date, an age or a multiplier rather than a figure.
_NOT_A_FIGURE_AFTER = re.compile(
    r"^[\s-]*(?:decades?|centuries|century|year-old|years?[ -]old|years? of age|"
    # "two days after the talks": when something happened, not a figure
    r"(?:years?|months?|weeks?|days?|nights?|hours?|minutes?)\s+(?:after|before|later|earlier|"
    r"ago|into|since|from now)\b|"
    r"a\.?m\.?\b|p\.?m\.?\b|o'clock|times\b|"
    rf"(?:{_MONTHS})\b)",
    re.IGNORECASE,
)
_BEFORE_DATE = re.compile(
    rf"(?:\b(?:{_MONTHS})\.?|\bno\.?|#|\baged?|\bat the age of|\bpage)\s*$", re.IGNORECASE
)
_CLOCK = re.compile(r"^:\d{2}")
# "beat Braga 3-1", "a 2-2 draw", "the court ruled 6-3": a score or a vote's tally, two
# numbers of one result with the larger (or equal) first; neither is a count of its own.
# (A smaller number first is a range: "3-5 years".)
_TALLY_TAIL = re.compile(r"^[-\u2013](\d{1,3})(?![\d,.]?\d)")
_OF_PHRASE = re.compile(r"^\s+(?:of|another|day|thing)\b", re.IGNORECASE)
_YEAR = re.compile(r"^(?:1[89]\d\d|20\d\d)$")
# Entity labels of names a number may be part of ("Boeing 787", "Route 66", "Section 144").
_NAME_LABELS = frozenset({"PRODUCT", "ORG", "FAC", "LAW", "WORK_OF_ART", "EVENT", "PERSON"})
# Words of a date phrase that make a duration a time frame ("in the past 24 hours").
_TIME_FRAME = frozenset({"past", "last", "next", "ago", "earlier", "later", "within", "coming"})

# Hedge words read from the text just before a figure, longest first.
_QUALIFIERS: tuple[tuple[str, Qualifier], ...] = (
    ("no fewer than", Qualifier.AT_LEAST),
    ("not less than", Qualifier.AT_LEAST),
    ("at least", Qualifier.AT_LEAST),
    ("a minimum of", Qualifier.AT_LEAST),
    ("more than", Qualifier.MORE_THAN),
    ("over", Qualifier.MORE_THAN),
    ("above", Qualifier.MORE_THAN),
    ("upwards of", Qualifier.MORE_THAN),
    ("in excess of", Qualifier.MORE_THAN),
    # "net income topped $26.4 billion": the verb says the figure is a floor
    ("topped", Qualifier.MORE_THAN),
    ("exceeded", Qualifier.MORE_THAN),
    ("surpassed", Qualifier.MORE_THAN),
    # headline verbs: "Quake toll tops 1,600", "deaths pass 500", "crosses 100"
    ("tops", Qualifier.MORE_THAN),
    ("exceeds", Qualifier.MORE_THAN),
    ("surpasses", Qualifier.MORE_THAN),
    ("passes", Qualifier.MORE_THAN),
    ("passed", Qualifier.MORE_THAN),
    ("crosses", Qualifier.MORE_THAN),
    ("crossed", Qualifier.MORE_THAN),
    ("no more than", Qualifier.AT_MOST),
    ("at most", Qualifier.AT_MOST),
    ("a maximum of", Qualifier.AT_MOST),
    ("a ceiling of", Qualifier.AT_MOST),
    ("up to", Qualifier.UP_TO),
    ("fewer than", Qualifier.FEWER_THAN),
    ("less than", Qualifier.FEWER_THAN),
    ("under", Qualifier.FEWER_THAN),
    ("below", Qualifier.FEWER_THAN),
    ("nearly", Qualifier.NEARLY),
    ("almost", Qualifier.NEARLY),
    ("close to", Qualifier.NEARLY),
    ("around", Qualifier.ABOUT),
    ("about", Qualifier.ABOUT),
    ("approximately", Qualifier.ABOUT),
    ("roughly", Qualifier.ABOUT),
    ("some", Qualifier.ABOUT),
    ("an estimated", Qualifier.ABOUT),
    ("estimated", Qualifier.ABOUT),
    ("between", Qualifier.RANGE),
)


@dataclass(frozen=True)
class NumberCandidate:
    """A figure in the text: offsets of the number and of its hedge words, if any."""

    start: int
    end: int
    text: str
    value: float
    value_high: float | None
    qualifier: Qualifier
    phrase_start: int  # where the hedge words begin (== start when there are none)
    sentence: Sentence
    #: unit code: None for a plain count, 'percent', a currency code, 'km', 'years' ...
    unit: str | None = None
    #: the unit's kind: 'count', 'money', 'percent', 'length', 'duration' ...
    kind: str = COUNT


def parse_number(text: str) -> float | None:
    """'2,000' -> 2000, 'twenty-three' -> 23, '1.5 million' -> 1500000, 'a dozen' -> 12."""
    cleaned = normalise(text).lower().replace(",", "").strip()
    parts = re.split(r"[\s-]+", cleaned)
    total = 0.0
    current = 0.0
    seen = False
    for part in parts:
        if re.fullmatch(r"\d+(?:\.\d+)?", part):
            current += float(part)
        elif part in _UNITS:
            current += _UNITS[part]
        elif part in _TENS:
            current += _TENS[part]
        elif part == "dozen":
            current = (current or 1) * 12
        elif part in _SCALES:
            current = (current or 1) * _SCALES[part]
            if _SCALES[part] >= 1000:
                total += current
                current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def find_numbers(text: str, sentences: list[Sentence]) -> list[NumberCandidate]:
    """Figures in ``text`` with their units, each a span: "£4.2bn" (4.2e9 GBP), "52%",
    "625 feet", "20 years". Years, dates, clock times, ages, ordinals and numbers inside
    names ("Boeing 787", "flight 171", "Section 144") are left out."""
    norm = normalise(text)
    vocab = units()
    doc = nlp.parse(text)
    found: list[NumberCandidate] = []
    consumed_until = -1
    for match in _NUMBER.finditer(norm):
        start, end = match.span()
        if match.group("glued"):
            end -= 1
            glued = norm[end:]
            if not (vocab.scale_after(glued, money=True) or vocab.unit_after(glued)):
                continue
            if re.match(r"[A-Za-z]+\d", glued):
                continue  # "5G7", a code
        if start < consumed_until:
            continue
        after = norm[end : end + 20]
        before = norm[max(0, start - 30) : start]
        digits = match.group("digits")
        if digits and _YEAR.match(digits) and not match.group("scale"):
            continue
        if _NOT_A_FIGURE_AFTER.match(after) or _CLOCK.match(after) or _BEFORE_DATE.search(before):
            continue
        if (
            match.group("words")
            and match.group("words").lower() == "one"
            and (_OF_PHRASE.match(after) or not after.strip())
        ):
            continue
        if _counts_nothing(norm, start, end, words=match.group("words")):
            continue
        if digits and _is_tally(digits, norm[end:]):
            continue
        unit_before = vocab.unit_before(before)
        if re.search(r"[A-Za-z]-$", before) and unit_before is None:
            continue  # model names: Su-34, S-300, Shahed-136
        value = parse_number(norm[start:end])
        if value is None:
            continue
        figure_start = start
        currency = vocab.currency_at_end(before)
        if currency is not None:
            figure_start = start - currency[1]
        elif unit_before is not None:
            figure_start = start - unit_before[1]
        if match.group("scale") is None:
            scale = vocab.scale_after(norm[end:], money=currency is not None)
            if scale is not None:
                value *= scale[0]
                end += scale[1]
        unit: str | None = currency[0] if currency else None
        if unit is None:
            after_cur = vocab.currency_after_number(norm[end:])
            if after_cur is not None:
                unit, end = after_cur[0], end + after_cur[1]
        if unit is None:
            written = vocab.unit_after(norm[end:])
            if written is not None and _million_not_metres(doc, end + written[1], written[0].code):
                value *= _MILLION
                end += written[1]
            elif written is not None:
                unit, end = written[0].code, end + written[1]
            elif unit_before is not None:
                unit = unit_before[0].code
        tail = _RANGE_TAIL.match(norm[end:])
        shared_unit_end: int | None = None
        shared_scale = 1.0
        if (
            tail is not None
            and match.group("scale") is None
            and value == parse_number(norm[start:end])
        ):
            # "between 2 and 3 million": the magnitude after the second number is both's
            scaled = vocab.scale_after(norm[end + tail.end() :], money=currency is not None)
            if scaled is not None:
                shared_scale = scaled[0]
                shared_unit_end = end + tail.end() + scaled[1]
                money = vocab.currency_after_number(norm[shared_unit_end:])
                if unit is None and money is not None:
                    unit, shared_unit_end = money[0], shared_unit_end + money[1]
        if unit is None and tail is not None and shared_unit_end is None:
            # "3 to 5 years", "3-5 years": the unit after a range's second number is both's
            shared = vocab.unit_after(norm[end + tail.end() :])
            if shared is not None and shared[0].code != "magnitude":
                unit, shared_unit_end = shared[0].code, end + tail.end() + shared[1]
        if _in_name(doc, start, match.end(), unit, vocab.name_words, norm) and not (
            tail is not None and _range_not_date(doc, start, end + tail.end())
        ):
            continue
        value_high: float | None = None
        qualifier, phrase_start = _qualifier_before(norm, figure_start)
        if tail and (qualifier is Qualifier.RANGE or tail.group().strip()[0] in "-t"):
            high = parse_number(tail.group(1))
            if high is not None and high > value:
                value, high = value * shared_scale, high * shared_scale
                value_high = high
                qualifier = Qualifier.RANGE
                end = shared_unit_end if shared_unit_end is not None else end + tail.end()
                consumed_until = end
        if value_high is None and shared_unit_end is not None:
            unit = None  # no range after all: the unit was the other number's
        if qualifier is Qualifier.RANGE and value_high is None:
            qualifier, phrase_start = Qualifier.EXACT, figure_start
        found.append(
            NumberCandidate(
                start=figure_start,
                end=end,
                text=text[figure_start:end],
                value=value,
                value_high=value_high,
                qualifier=qualifier,
                phrase_start=phrase_start,
                sentence=sentence_at(sentences, start),
                unit=unit,
                kind=vocab.kind(unit),
            )
        )
    return found


_MILLION = 1_000_000


# Words that make a phrase the parse calls a date really one ("between 2019 and 2021", "5 to 7
# March"); "between 20 and 30 people" it also calls a date, wrongly.
_DATE_PHRASE_WORDS = frozenset(
    {"year", "years", "month", "months", "week", "weeks", "day", "days", "decade", "decades",
     "century", "centuries", "hour", "hours", "minute", "minutes", "ago", "today",
     "yesterday", "tomorrow", "morning", "evening", "night", "afternoon", "season", "quarter",
     "am", "pm", "a.m.", "p.m."}
)  # fmt: skip


def _range_not_date(doc: Doc, start: int, end: int) -> bool:
    """Whether a range the parse tagged as a date is a range of counts: no month, weekday,
    year number or time word in the tagged phrase ("between 20 and 30 people")."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0 or span[0].ent_type_ not in ("DATE", "TIME"):
        return False
    phrase = next((e for e in doc.ents if e.start <= span[0].i < e.end), None)
    if phrase is None:
        return False
    for token in phrase:
        low = token.lower_
        if low in _DATE_PHRASE_WORDS or low in MONTHS or low in WEEKDAYS or _YEAR.match(low):
            return False
    return True


def _is_tally(digits: str, after: str) -> bool:
    """Whether the number ``digits`` opens a score or a vote's tally ("3-1", "2-2")."""
    tail = _TALLY_TAIL.match(after)
    return tail is not None and "." not in digits and int(tail.group(1)) <= float(digits)


# "9 in 10 people": a ratio, not a count.
_RATIO_AFTER = re.compile(r"^\s+in\s+(?:10|100|1,000|ten|a hundred|every)\b", re.IGNORECASE)
_RATIO_BEFORE = re.compile(r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine)\s+in\s+$", re.I)
# "the two sides", "those three men": a small number after a definite word points back at
# people or things already named; it counts nothing new.
_BACK_REFERENCE = re.compile(r"\b(?:the|these|those)\s+$", re.IGNORECASE)
_BACK_REFERENCE_MAX = 10
# How far after such a number a measure word must stand for it still to be a figure.
_SIGNAL_REACH = 30


def _counts_nothing(norm: str, start: int, end: int, *, words: str | None) -> bool:
    """Whether a number counts nothing an editor would check, so no question is asked.

    A list marker ("1." opening a line), a ratio ("9 in 10 people") and a small number word
    after "the" that counts the story's parties with no measure word after it ("the two
    leaders", "the two agencies") are not figures; "the two men killed" and "the two
    convictions" still are.
    """
    line_start = norm.rfind("\n", 0, start) + 1
    if not norm[line_start:start].strip() and re.match(r"[.)](?:\s|$)", norm[end : end + 2]):
        return True
    if _RATIO_AFTER.match(norm[end : end + 20]) or _RATIO_BEFORE.search(
        norm[max(0, start - 12) : start]
    ):
        return True
    if words is None or not _BACK_REFERENCE.search(norm[max(0, start - 8) : start]):
        return False
    value = parse_number(words)
    if value is None or value > _BACK_REFERENCE_MAX:
        return False
    noun = re.match(r"\s+([A-Za-z]+)", norm[end : end + 30])
    if noun is None or not _names_participants(noun.group(1)):
        return False  # "the two convictions", "the five years requested": still figures
    sentence_end = re.search(r"[.!?;]", norm[end:])
    stop = end + (sentence_end.start() if sentence_end else len(norm) - end)
    window = norm[end : min(stop, end + _SIGNAL_REACH)]
    return measures().nearest_word(window, 0, reach=_SIGNAL_REACH, strong=True) is None


def _names_participants(word: str) -> bool:
    """Whether a plural noun names the parties of a story, not what happened to them: a
    title ("leaders"), an institution ("agencies") or a kind of place ("countries")."""
    low = word.lower()
    forms = {low, low[:-1], low[:-2], low[:-3] + "y"} if low.endswith("s") else set()
    words = speaker_words()
    return any(
        f in words.titles or f in words.institution_nouns or places.kind_of_word(f) is not None
        for f in forms
    )


def _million_not_metres(doc: Doc, after: int, code: str) -> bool:
    """'1.5m people': an 'm' before a plural noun is a million, not metres."""
    if code != "m":
        return False
    following = [t for t in doc if t.idx >= after][:1]
    return bool(following) and following[0].tag_ == "NNS"


def _in_name(
    doc: Doc, start: int, end: int, unit: str | None, name_words: frozenset[str], norm: str
) -> bool:
    """Whether the number at [start, end) is part of a name or a date, not a figure.

    The parse tags most names (PRODUCT "787", FAC "Route 66", LAW "Section 144") and dates;
    a duration the parse calls a DATE ("20 years") is still a figure unless it frames a
    time ("in the past 24 hours"). ``name_words`` are the nouns the parse is known to miss
    ("flight 171", "seat 11").
    """
    word = re.search(r"([A-Za-z.]+)\s*$", norm[max(0, start - 20) : start])
    if word is not None and word.group(1).lower() in name_words and unit is None:
        return True
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    token = span[0]
    ent = token.ent_type_
    if ent in ("DATE", "TIME"):
        if unit is None or units().kind(unit) != "duration":
            return unit is None
        phrase = next(e for e in doc.ents if e.start <= token.i < e.end)
        return any(t.lower_ in _TIME_FRAME for t in phrase)
    head = token.head
    if head.i > token.i and head.tag_ == "NNS":
        # "Kharkiv 12 people": a number counting a plural noun is a figure, even where the
        # parse tagged the place before it as part of a name (it was seen to say LAW).
        return False
    if ent in _NAME_LABELS:
        return True
    previous = doc[token.i - 1] if token.i > 0 else None
    return (
        unit is None
        and previous is not None
        and previous.pos_ == "PROPN"
        and head.pos_ == "PROPN"  # "Route 66": the number belongs to the proper noun
        and previous.idx + len(previous.text) >= start - 1
        and previous.lower_ not in MONTHS
        and previous.lower_ not in WEEKDAYS
    )


def _qualifier_before(norm: str, start: int) -> tuple[Qualifier, int]:
    before = norm[max(0, start - 30) : start].lower()
    for words, qualifier in _QUALIFIERS:
        if re.search(rf"(?:^|[^\w]){re.escape(words)}\s+$", before):
            offset = before.rstrip().rfind(words)
            return qualifier, start - len(before) + offset
    return Qualifier.EXACT, start


# --------------------------------------------------------------------------- quotations

_QUOTE_PAIRS = (
    ("\u201c", "\u201d"),  # “ ”
    ("\u201e", "\u201c"),  # „ “
    ("\u00ab", "\u00bb"),  # « »
    ("\u2018", "\u2019"),  # ‘ ’
)


@dataclass(frozen=True)
class QuoteCandidate:
    """Quoted words: ``start``/``end`` include the marks, ``inner_*`` exclude them."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    text: str
    sentence: Sentence

    @property
    def words(self) -> int:
        return len(self.text.split())


def find_quotes(text: str, sentences: list[Sentence]) -> list[QuoteCandidate]:
    """Quotations in any common mark style, at least two words long, outside captions,
    bylines and link lines."""
    spans: list[tuple[int, int]] = []
    for opening, closing in _QUOTE_PAIRS:
        pattern = (
            re.escape(opening)
            + r"([^"
            + re.escape(opening + closing)
            + r"\n]{2,}?)"
            + re.escape(closing)
        )
        if opening == "\u2018":
            # ’ doubles as an apostrophe: require the closing mark not to be followed by a letter.
            pattern = r"(?<![\w])" + pattern + r"(?![\w])"
        spans.extend(m.span() for m in re.finditer(pattern, text))
    spans.extend(m.span() for m in re.finditer(r'"([^"\n]{2,}?)"', text))
    spans.extend(m.span() for m in re.finditer(r"(?<![\w])'([^'\n]{2,}?)'(?![\w])", text))
    out: list[QuoteCandidate] = []
    for start, end in sorted(set(spans)):
        if any(s <= start and end <= e and (s, e) != (start, end) for s, e in spans):
            continue
        if in_non_story_line(text, start):
            continue  # a caption or link line quoting a headline is not the story's quote
        inner = text[start + 1 : end - 1]
        if len(inner.split()) < 2:
            continue
        out.append(
            QuoteCandidate(start, end, start + 1, end - 1, inner, sentence_at(sentences, start))
        )
    return out


# --------------------------------------------------------------------------- people
#
# People come from the parse (claimcheck/language/nlp.py): PERSON entities give whole names, the
# dependency parse gives the title attached to a name (a compound or modifier before it,
# an appositive beside it). The few rules below mark where en_core_web_sm 3.8 is known to
# fail on news copy; each has a test in tests/test_extract_candidates.py.


@dataclass(frozen=True)
class PersonMention:
    """One mention of a person, named by the full name the article gives them.

    ``start``/``end`` are the mention's own offsets ("Modi"); ``name`` is the whole name
    the article uses for that person ("Narendra Modi"), so a first name or surname alone
    is never a new person. ``titles`` are offsets of title phrases attached to the mention.
    """

    start: int
    end: int
    name: str
    sentence: Sentence
    titles: tuple[tuple[int, int], ...] = field(default=())  # offsets of title phrases


def find_people(text: str, sentences: list[Sentence]) -> list[PersonMention]:
    """People named in ``text``, each mention linked to the article's full name for them.

    A one-word mention ("Modi", "Narendra") is the person the article names in full when
    exactly one full name has that word as its given name or surname; with no full name it
    counts only after a title ("President Carter"), and with two it is left out.
    """
    doc = nlp.parse(text)
    spans = _person_spans(doc)
    full: list[str] = []
    for span in spans:
        if len(span) > 1 and not any(same_person(span.text, f) for f in full):
            full.append(span.text)
    titles_of: dict[int, tuple[tuple[int, int], ...]] = {}
    people: list[PersonMention] = []
    for span in spans:
        if in_non_story_line(text, span.start_char):
            continue
        titles = _titles_near(doc, span)
        if not titles and span.root.dep_ == "conj" and span.root.head.i in titles_of:
            # "Presidents Emmanuel Macron and Olaf Scholz": a plural title covers both.
            shared = titles_of[span.root.head.i]
            titles = tuple(t for t in shared if _plural_title(text[t[0] : t[1]]))
        titles_of[span.root.i] = titles
        name = span.text if len(span) > 1 else _full_name(span.text, full)
        if name is None:
            continue
        if len(span) == 1 and name == span.text and not titles:
            continue
        sentence = sentence_at(sentences, span.start_char)
        people.append(PersonMention(span.start_char, span.end_char, name, sentence, titles))
    return people


def _full_name(word: str, full: list[str]) -> str | None:
    """The one full name whose surname or given name is ``word``; ``word`` itself when
    none is; None when several different people share it."""
    matches = [f for f in full if same_person(word, f) or _given_name_of(word, f)]
    if not matches:
        return word
    return matches[0] if len(matches) == 1 else None


def _given_name_of(word: str, name: str) -> bool:
    """'Narendra' is the given name of 'Narendra Modi' (spelling variants folded)."""
    key, first = name_key(word), name_key(name).split()
    return bool(key) and len(first) > 1 and key == first[0]


def _person_spans(doc: Doc) -> list[Span]:
    """PERSON entities cleaned to the name itself, plus names the tagger is known to miss."""
    words = speaker_words()
    out: list[Span] = []
    for ent in doc.ents:
        if ent.label_ == "PERSON" or (
            # Known tagger failure: the second of two joined names is read as an ORG
            # ("Emmanuel Macron and Olaf Scholz"). Taken as a person only when it is a
            # conjunct of a PERSON and looks like a name (2-4 capitalised proper nouns).
            ent.label_ == "ORG"
            and ent.root.dep_ == "conj"
            and ent.root.head.ent_type_ == "PERSON"
            and 2 <= len(ent) <= 4
            and all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in ent)
            and not words.is_outlet(ent.text)
            and not words.is_body(ent.text)
        ):
            span = _clean_name(doc, ent.start, ent.end)
        elif (start := _name_after_title(doc, ent)) is not None:
            span = _clean_name(doc, start, ent.end)
        else:
            continue
        if span is None or words.is_outlet(span.text) or words.is_body(span.text):
            continue
        if any(t.lower_ in words.institution_nouns for t in span):
            # Known tagger failure: an institution's name read as a PERSON ("Leeds General
            # Infirmary" gave the person "Infirmary").
            continue
        out.append(span)
    return out


#: Entity labels the small tagger was seen to give a person's name right after a title
#: ("Amur region Governor Vasily Orlov" as ORG, "Mayor Claudia Restrepo" as GPE).
_MISTAGGED_NAME = frozenset({"ORG", "GPE", "LOC", "NORP", "FAC"})


def _name_after_title(doc: Doc, ent: Span) -> int | None:
    """Known tagger failure: a name right after a capitalised title noun tagged as an
    organisation or place, alone ("Mayor Claudia Restrepo" as GPE) or together with the
    title ("Van Governor Ozan Yilmaz" as one ORG). Returns where the name starts when the
    words after the title are 2-3 capitalised proper nouns the title hangs on in the parse
    and no place the gazetteer knows; else None."""
    if ent.label_ not in _MISTAGGED_NAME:
        return None
    titles = [t.i for t in ent if t.text[:1].isupper() and _is_title_word(t.text)]
    start = titles[-1] + 1 if titles else ent.start
    if start == 0 or not 2 <= ent.end - start <= 3:
        return None
    title, name = doc[start - 1], doc[start : ent.end]
    if (
        title.text[:1].isupper()
        and _is_title_word(title.text)
        and title.head.i == name.root.i
        and all(t.pos_ == "PROPN" and t.text[:1].isupper() and t.is_alpha for t in name)
        and places.lookup(name.text) is None
    ):
        return start
    return None


def _clean_name(doc: Doc, start: int, end: int) -> Span | None:
    """The name inside an entity: titles, honorifics and a possessive trimmed off; a given
    name the tagger left outside the entity ("Taras" in "Taras Melnyk") taken back in."""
    words = speaker_words()
    while start < end and (
        _is_title_word(doc[start].text)
        or doc[start].lower_.strip(".") in words.honorifics
        or not doc[start].text[:1].isupper()
    ):
        start += 1
    while end > start and (doc[end - 1].dep_ == "case" or doc[end - 1].is_punct):
        end -= 1
    if start >= end:
        return None
    # Known tagger failure: a given name just before the entity, a compound of it with no
    # entity of its own, is left out ("Taras Melnyk" tagged as "Melnyk").
    while start > 0:
        prev = doc[start - 1]
        if (
            prev.pos_ == "PROPN"
            and prev.dep_ == "compound"
            and (prev.ent_type_ == "" or _given_name_mistagged(doc, prev.i))
            and prev.text[:1].isupper()
            and prev.text.isalpha()
            and not _is_title_word(prev.text)
            and prev.lower_ not in words.honorifics
            and start <= prev.head.i < end
        ):
            start -= 1
        else:
            break
    return doc[start:end]


def _given_name_mistagged(doc: Doc, i: int) -> bool:
    """Known tagger failure: a given name tagged as a one-word place or organisation of its
    own ("Harish" GPE in "district official Harish Chandra Sharma"). Taken back into the
    name only when it is a one-word entity the gazetteer does not know as a place and no
    article stands before it ("the Treasury Danny Alexander": an institution)."""
    token = doc[i]
    return (
        token.ent_type_ in _MISTAGGED_NAME
        and (i == 0 or doc[i - 1].tag_ != "DT")
        and token.lower_ not in speaker_words().institution_nouns
        and token.ent_iob_ == "B"
        and (i + 1 >= len(doc) or doc[i + 1].ent_iob_ != "I")
        and places.lookup(token.text) is None
    )


def _is_title_word(word: str) -> bool:
    return speaker_words().is_title(word)


def _plural_title(phrase: str) -> bool:
    last = phrase.split()[-1].lower() if phrase.split() else ""
    return last.endswith("s") and _is_title_word(last) and _is_title_word(last[:-1])


def _titles_near(doc: Doc, name: Span) -> tuple[tuple[int, int], ...]:
    """Title phrases the parse attaches to a name: the modifiers before it ("Indian Prime
    Minister"), an appositive after it (", a senior official,") or the noun it is in
    apposition to ("Poland's foreign minister, Radoslaw Sikorski,"). Words that merely
    stand near a name ("after which the US president") are not attached to it."""
    titles: list[tuple[int, int]] = []
    prefix = _title_prefix(doc, name)
    if prefix is not None:
        titles.append(prefix)
    root = name.root
    for child in root.children:
        if child.dep_ == "appos" and child.i >= name.end and child.ent_type_ != "PERSON":
            phrase = _phrase(doc, child.left_edge.i, child.right_edge.i + 1)
            if phrase is not None:
                titles.append(phrase)
    if root.dep_ == "appos" and root.head.i < name.start and root.head.ent_type_ != "PERSON":
        head = root.head
        phrase = _phrase(doc, head.left_edge.i, head.i + 1)
        if phrase is not None:
            titles.append(phrase)
    return tuple(dict.fromkeys(titles))


def _title_prefix(doc: Doc, name: Span) -> tuple[int, int] | None:
    """The modifiers the parse hangs before a name, when they hold a title noun."""
    left = name.root.left_edge.i
    if left >= name.start:
        # Known parser failure: a plural title before joined names is made a subject of
        # its own ("Presidents Emmanuel Macron and ..."); taken when it sits right before.
        prev = doc[name.start - 1] if name.start > 0 else None
        if prev is not None and prev.tag_ in ("NNS", "NNPS") and _plural_title(prev.text):
            return (prev.idx, prev.idx + len(prev.text))
        return _adjacent_title(doc, name)
    return _phrase(doc, left, name.start) or _adjacent_title(doc, name)


def _adjacent_title(doc: Doc, name: Span) -> tuple[int, int] | None:
    """Known parser failure: between two titled names ("a call between former U.S.
    President Jon Harker and Estonian Prime Minister Liis Tamm") the small parser may hang
    the first title on the second name. A capitalised title noun standing right before the
    name, with the run of title words, place adjectives and modifiers before it, is then the
    title."""
    i = name.start - 1
    if i < 0 or not (doc[i].text[:1].isupper() and _is_title_word(doc[i].text)):
        return None
    start = i
    modifiers = speaker_words().title_modifiers
    while start - 1 >= 0:
        t = doc[start - 1]
        if t.ent_type_ == "PERSON" or (t.is_punct and t.text not in (".",)):
            break
        if not (
            _is_title_word(t.text)
            or t.ent_type_ in ("GPE", "NORP")
            or t.lower_ in modifiers
            or t.tag_ == "POS"
        ):
            break
        start -= 1
    return _phrase(doc, start, name.start)


def _phrase(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """Offsets of tokens ``start:end`` as a title: leading articles and trailing commas
    trimmed, None unless the words hold a title noun."""
    while start < end and (doc[start].dep_ in ("det", "punct", "cc") or doc[start].is_punct):
        start += 1
    while end > start and doc[end - 1].is_punct:
        end -= 1
    if start >= end:
        return None
    tokens = doc[start:end]
    if not any(_is_title_word(t.text) for t in tokens):
        return None
    if any(t.ent_type_ == "PERSON" for t in tokens):
        return None
    return (tokens.start_char, tokens.end_char)


def in_non_story_line(text: str, offset: int) -> bool:
    """Whether ``offset`` falls in a caption, byline or link line of ``text``."""
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    return is_non_story_line(text[line_start : line_end if line_end >= 0 else len(text)])


#: A line longer than this is story text unless a marker starts it.
_SHORT_LINE_WORDS = 12


def is_non_story_line(line: str) -> bool:
    """Whether a line of the article is a caption, byline, credit or link line.

    Such a line starts with a marker from the vocabulary ("Also read:", "Photo:", "By ...")
    and holds no finite verb (or puts a colon right after the marker), or is short, holds
    no finite verb and does not end as a sentence does. A story sentence never qualifies:
    it has a finite verb.
    """
    stripped = " ".join(line.split())
    if not stripped:
        return False
    low = stripped.lower()
    marked = any(low.startswith(m) for m in speaker_words().non_story_markers)
    if marked and re.match(r"^[^:|]{1,24}[:|]", stripped):
        return True  # "Also read: ...", "Photo: ...": the marker and a colon
    if not marked and (
        len(stripped.split()) > _SHORT_LINE_WORDS
        or stripped.endswith((".", "!", "?", '"', "\u201d"))
    ):
        return False
    return not _has_finite_verb(stripped)


@lru_cache(maxsize=4096)
def _has_finite_verb(line: str) -> bool:
    doc = nlp.parse(line)
    return any("Fin" in t.morph.get("VerbForm", []) or t.tag_ == "MD" for t in doc)


def surname(name: str) -> str:
    """The last word of a name, used to link 'Klitschko said' back to 'Vitali Klitschko'."""
    return name.split()[-1]


def mentions_of(text: str, people: list[PersonMention]) -> dict[str, list[int]]:
    """Where each person is mentioned: the start of every mention the parse linked to
    them, and every place their surname stands alone outside those mentions."""
    out: dict[str, list[int]] = {}
    for person in people:
        last = surname(person.name)
        hits = {p.start for p in people if p.name == person.name}
        for match in re.finditer(rf"(?<!\w){re.escape(last)}(?!\w)", text):
            if not any(p.start <= match.start() < p.end for p in people):
                hits.add(match.start())
        out[person.name] = sorted(set(out.get(person.name, [])) | hits)
    return out
