"""Figures in the text, found by code: the number (digits or words, a range, a magnitude
word), its unit and its hedge words ("at least", "nearly"), with what is no figure left
out (dates, clock times, ratios, a tally, a figure inside a name).

The model is only asked what a figure counts (``quantities.py``); everything here is read
from the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from claimcheck.extract.text import Sentence, normalise, sentence_at
from claimcheck.language import nlp, places
from claimcheck.language.calendar_words import MONTH_NUMBERS, MONTHS, WEEKDAYS
from claimcheck.language.vocabulary.measures import measures
from claimcheck.language.vocabulary.speakers import speaker_words
from claimcheck.language.vocabulary.units import COUNT, units
from claimcheck.models import Qualifier

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


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
    # "two dozen" is one figure (24), never a 2 and a 12.
    r"(?:[ -](?P<scale>hundred|thousand|million|billion|dozen))?"
    r"(?![\d_])(?!\.\d)(?P<glued>[^\W\d_])?",
    re.IGNORECASE,
)


# A fraction after a whole number: "22 1/2", "22½" (a date such as 9/11 has no whole before it).
_VULGAR = {"\u00bd": 0.5, "\u00bc": 0.25, "\u00be": 0.75, "\u2153": 1 / 3, "\u2154": 2 / 3}
_FRACTION = re.compile(
    r"^(?:\s(?P<num>[1-9])/(?P<den>[2-9]|1[0-2])|\s?(?P<vulgar>[\u00bd\u00bc\u00be\u2153\u2154]))"
    r"(?![\d/])"
)


def fraction_after(text: str) -> tuple[float, int] | None:
    """The fraction right after a whole number and the characters it takes: " 1/2" ->
    (0.5, 4), "½" -> (0.5, 1); None when none follows."""
    found = _FRACTION.match(text)
    if found is None:
        return None
    if found.group("vulgar"):
        return _VULGAR[found.group("vulgar")], found.end()
    return int(found.group("num")) / int(found.group("den")), found.end()


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
            if match.group("glued") in _VULGAR:
                pass  # "22½": the fraction is read with its whole below
            elif not (vocab.scale_after(glued, money=True) or vocab.unit_after(glued)):
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
        if digits and _age_after_name(doc, norm, start, end):
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
        fraction = fraction_after(norm[end:]) if digits and "." not in digits else None
        if fraction is not None:
            # "22 1/2 years", "22½ years": one figure, not a 22 and a 2
            value += fraction[0]
            end += fraction[1]
            consumed_until = end
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
        if qualifier is Qualifier.EXACT and _DOZENS.search(norm[start:end]):
            qualifier = Qualifier.ABOUT  # "two dozen wounded" is a round count, not 24 exactly
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


_DOZENS = re.compile(r"\bdozen\b", re.IGNORECASE)


# Words that make a phrase the parse calls a date really one ("between 2019 and 2021", "5 to 7
# March"); "between 20 and 30 people" it also calls a date, wrongly.
_DATE_PHRASE_WORDS = frozenset(
    {"year", "years", "month", "months", "week", "weeks", "day", "days", "decade", "decades",
     "century", "centuries", "hour", "hours", "minute", "minutes", "ago", "today",
     "yesterday", "tomorrow", "morning", "evening", "night", "afternoon", "season", "quarter",
     "am", "pm", "a.m.", "p.m."}
)  # fmt: skip


# A number set off by commas right after a person's name is the person's age: "Hongying
# Jian, 62;", "Travis McMichael, 35, and his father".
_AGE_BEFORE = re.compile(r"([^\W\d_][\w'\u2019.-]*),\s*$")
_AGE_AFTER = re.compile(r"\s*(?:[,;)\u2014]|\.(?:\s|$)|$)")


def _age_after_name(doc: Doc, norm: str, start: int, end: int) -> bool:
    """Whether the number at [start, end) is an age set after a person's name."""
    name = _AGE_BEFORE.search(norm, max(0, start - 40), start)
    if name is None or not _AGE_AFTER.match(norm, end):
        return False
    value = parse_number(norm[start:end])
    if value is None or not 0 < value < 120 or value != int(value):
        return False
    word = doc.char_span(name.start(1), name.end(1), alignment_mode="expand")
    return word is not None and len(word) > 0 and word[-1].ent_type_ == "PERSON"


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


def _number_of_a_name(doc: Doc, token: Token, unit: str | None) -> bool:
    """A long number written with no separator before a proper name it is part of: "12841
    Shalimar-Chennai Central Coromandel Express" is a train's number, not 12,841 of
    anything. A count of people ("1500 Syrians") is plural and stays a figure."""
    if unit is not None or not re.fullmatch(r"\d{4,}", token.text):
        return False
    head = token.head
    following = doc[token.i + 1] if token.i + 1 < len(doc) else None
    return (
        head.i > token.i
        and head.pos_ == "PROPN"
        and head.tag_ != "NNPS"
        and following is not None
        and following.is_title
        and following.tag_ != "NNPS"
    )


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
    if _number_of_a_name(doc, token, unit):
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
