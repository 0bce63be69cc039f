"""Deterministic candidate detectors: figures, quotations, and people with title phrases.

Code finds *where* a claim may be; the model is only asked narrow questions about each
candidate. Everything code can read for itself (the number, its hedge words, the quoted
words, the title phrase next to a name) is taken from the text here, never from the model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from claimcheck import nlp
from claimcheck.calendar_words import MONTH_NUMBERS, MONTHS, WEEKDAYS
from claimcheck.extract.text import Sentence, normalise, sentence_at
from claimcheck.models import Qualifier
from claimcheck.vocabulary.units import COUNT, units

if TYPE_CHECKING:
    from spacy.tokens import Doc

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
    ("upwards of", Qualifier.MORE_THAN),
    ("in excess of", Qualifier.MORE_THAN),
    ("no more than", Qualifier.AT_MOST),
    ("at most", Qualifier.AT_MOST),
    ("a maximum of", Qualifier.AT_MOST),
    ("up to", Qualifier.UP_TO),
    ("fewer than", Qualifier.FEWER_THAN),
    ("less than", Qualifier.FEWER_THAN),
    ("under", Qualifier.FEWER_THAN),
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
        if _in_name(doc, start, match.end(), unit, vocab.name_words, norm):
            continue
        value_high: float | None = None
        tail = _RANGE_TAIL.match(norm[end:])
        qualifier, phrase_start = _qualifier_before(norm, figure_start)
        if tail and (qualifier is Qualifier.RANGE or tail.group().strip()[0] in "-t"):
            high = parse_number(tail.group(1))
            if high is not None and high > value:
                value_high = high
                qualifier = Qualifier.RANGE
                end = end + tail.end()
                consumed_until = end
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
    """Quotations in any common mark style, at least two words long."""
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
        inner = text[start + 1 : end - 1]
        if len(inner.split()) < 2:
            continue
        out.append(
            QuoteCandidate(start, end, start + 1, end - 1, inner, sentence_at(sentences, start))
        )
    return out


# --------------------------------------------------------------------------- people

_TITLE_NOUNS = frozenset(
    [
        "president",
        "presidents",
        "minister",
        "ministers",
        "mayor",
        "mayors",
        "secretary",
        "chancellor",
        "governor",
        "premier",
        "prime",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "ambassador",
        "envoy",
        "commander",
        "chief",
        "head",
        "official",
        "officials",
        "adviser",
        "advisor",
        "aide",
        "general",
        "admiral",
        "senator",
        "congressman",
        "congresswoman",
        "representative",
        "king",
        "queen",
        "pope",
        "prince",
        "leader",
        "director",
        "chairman",
        "chairwoman",
        "chair",
        "prosecutor",
        "judge",
        "lawmaker",
        "deputy",
        "mp",
        "diplomat",
        "negotiator",
        "governor-general",
        "colonel",
        "lieutenant",
        "captain",
        "major",
        "sergeant",
        "marshal",
    ]
)
_MODIFIERS = frozenset(
    ["former", "acting", "then", "current", "late", "outgoing", "incoming", "interim", "ex"]
)
_TITLE_FILLERS = frozenset(
    [
        "foreign",
        "defence",
        "defense",
        "interior",
        "finance",
        "economy",
        "energy",
        "health",
        "justice",
        "prime",
        "vice",
        "deputy",
        "senior",
        "top",
        "chief",
        "military",
        "regional",
        "city",
        "state",
        "national",
        "security",
        "general",
        "first",
        "presidential",
        "parliamentary",
        "opposition",
        "the",
        "of",
        "for",
        "affairs",
        "ukrainian",
        "russian",
        "american",
        "british",
        "french",
        "german",
        "polish",
        "us",
        "u.s.",
        "u.s",
        "uk",
        "u.k.",
        "eu",
        "nato",
        "un",
        "white",
        "house",
        "kremlin",
        "ukraine's",
        "russia's",
        "kyiv's",
        "city's",
        "country's",
        "america's",
        "britain's",
        "moscow's",
        "ukraine",
        "russia",
        "kyiv",
        "moscow",
        "washington",
        "europe",
        "european",
        "international",
        "administration",
        "military-civilian",
    ]
)
_NOT_NAME = frozenset(
    [
        *WEEKDAYS,
        *MONTHS,
        "ukraine",
        "russia",
        "russian",
        "ukrainian",
        "kyiv",
        "kiev",
        "moscow",
        "kharkiv",
        "odesa",
        "lviv",
        "dnipro",
        "europe",
        "european",
        "america",
        "american",
        "u.s.",
        "us",
        "united",
        "states",
        "kingdom",
        "nations",
        "union",
        "british",
        "france",
        "french",
        "germany",
        "german",
        "poland",
        "polish",
        "china",
        "chinese",
        "nato",
        "eu",
        "un",
        "istanbul",
        "turkey",
        "turkish",
        "washington",
        "white",
        "house",
        "kremlin",
        "airport",
        "international",
        "force",
        "forces",
        "ministry",
        "council",
        "agency",
        "service",
        "services",
        "news",
        "army",
        "navy",
        "region",
        "oblast",
        "district",
        "street",
        "square",
        "station",
        "railway",
        "metro",
        "city",
        "state",
        "national",
        "black",
        "sea",
        "the",
        "a",
        "an",
        "in",
        "on",
        "at",
        "of",
        "and",
        "but",
        "as",
        "after",
        "before",
        "during",
        "while",
        "with",
        "by",
        "for",
        "from",
        "also",
        "meanwhile",
        "however",
        "despite",
        "following",
        "residents",
        "officials",
        "authorities",
        "air",
        "defence",
        "defense",
        "reuters",
        "telegram",
        "facebook",
        "twitter",
        "x",
        "instagram",
        "bbc",
        "cnn",
        "ap",
        "afp",
        "god",
        "christ",
        "administration",
        "military",
        "civil",
        "emergency",
        "parliament",
        "government",
        "rostov",
        "crimea",
        "donetsk",
        "luhansk",
        "zaporizhzhia",
        "kherson",
        "sumy",
        "chernihiv",
        "mr",
        "mrs",
        "ms",
        "dr",
        "sir",
    ]
)
_UP = "A-Z\u00c0-\u00de\u0100-\u017f"
_LOW = "a-z\u00df-\u00ff\u0100-\u017f"
# Capitalised words that start sentences or clauses, never names.
_CLAUSE_WORDS = frozenset(
    [
        "later",
        "then",
        "earlier",
        "yesterday",
        "today",
        "tonight",
        "overnight",
        "separately",
        "when",
        "where",
        "why",
        "how",
        "what",
        "which",
        "who",
        "according",
        "speaking",
        "asked",
        "said",
        "says",
        "if",
        "although",
        "though",
        "so",
        "yet",
        "thus",
        "there",
        "here",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "his",
        "her",
        "their",
        "our",
        "we",
        "they",
        "he",
        "she",
    ]
)
_NOT_NAME = _NOT_NAME | _CLAUSE_WORDS
_CAP = (
    rf"(?:[{_UP}][{_LOW}]+(?:['\u2019-][A-Za-z][{_LOW}]+)?"
    r"|(?:[A-Z]\.){1,3}(?:[A-Z][a-z]+)?)"  # initials: "J.D. Vance"
)
_NAME_RUN = re.compile(rf"(?<![\w.])({_CAP}(?:[ \t]+{_CAP}){{1,3}})(?![\w])")
_POSSESSIVE = re.compile(r"['\u2019]s$")


@dataclass(frozen=True)
class PersonMention:
    """A full person name found in the text, with any title phrases code found next to it."""

    start: int
    end: int
    name: str
    sentence: Sentence
    titles: tuple[tuple[int, int], ...] = field(default=())  # offsets of title phrases


def find_people(text: str, sentences: list[Sentence]) -> list[PersonMention]:
    """Two-to-four-word capitalised names, with adjacent title phrases ('Kyiv Mayor ...')."""
    norm = normalise(text)
    people: list[PersonMention] = []
    for match in _NAME_RUN.finditer(norm):
        tokens = [
            (m.start() + match.start(), m.end() + match.start())
            for m in re.finditer(r"\S+", match.group())
        ]
        # The name is the tail of the run that holds no title word, place or possessive.
        first = len(tokens)
        while first > 0:
            word = norm[tokens[first - 1][0] : tokens[first - 1][1]]
            low = word.lower()
            if (
                low in _NOT_NAME
                or low in _TITLE_NOUNS
                or low in _TITLE_FILLERS
                or _POSSESSIVE.search(word)
            ):
                break
            first -= 1
        name_tokens = tokens[first:]
        # A lone surname counts only straight after a capitalised title: "President Trump".
        titled = (
            first > 0 and norm[tokens[first - 1][0] : tokens[first - 1][1]].lower() in _TITLE_NOUNS
        )
        if len(name_tokens) < 2 and not (len(name_tokens) == 1 and titled):
            continue
        if re.fullmatch(r"(?:[A-Z]\.)+", norm[name_tokens[-1][0] : name_tokens[-1][1]]):
            continue
        if any(norm[s:e].lower() in _NOT_NAME for s, e in name_tokens):
            continue
        start, end = name_tokens[0][0], name_tokens[-1][1]
        sentence = sentence_at(sentences, start)
        titles = _titles_near(norm, start, end, sentence)
        people.append(PersonMention(start, end, text[start:end], sentence, titles))
    return people


def _titles_near(
    norm: str, start: int, end: int, sentence: Sentence
) -> tuple[tuple[int, int], ...]:
    titles: list[tuple[int, int]] = []
    prefix = _title_prefix(norm, sentence.start, start)
    comma = re.search(r",\s+$", norm[sentence.start : start])
    if prefix is None and comma is not None:
        # "Poland's foreign minister, Radoslaw Sikorski, said": the title leads, then a comma.
        prefix = _title_prefix(norm, sentence.start, sentence.start + comma.start())
    if prefix is not None:
        titles.append(prefix)
    else:
        shared = _shared_plural_title(norm, sentence.start, start)
        if shared is not None:
            titles.append(shared)
    appositive = re.match(
        r",\s+(?:(?:a|an|the)\s+)?([^,;.()\"]{3,70}?)\s*(?:,|;|\.(?!\w)|$|\s+(?:said|says|told|added|wrote))",
        norm[end : sentence.end],
    )
    if appositive:
        words = appositive.group(1).lower().replace("'s", "").split()
        if any(w in _TITLE_NOUNS for w in words) and len(words) <= 9:
            titles.append((end + appositive.start(1), end + appositive.end(1)))
    return tuple(titles)


_TITLE_TOKEN = re.compile(r"(\S+)\s*$")


def _title_prefix(norm: str, floor: int, name_start: int) -> tuple[int, int] | None:
    """The run of title words right before a name: 'former U.S. President', 'Kyiv Mayor'."""
    cursor = name_start
    begin = name_start
    has_noun = False
    last_was_noun = False
    while cursor > floor:
        match = _TITLE_TOKEN.search(norm, floor, cursor)
        if match is None:
            break
        word = match.group(1).strip(",")
        if word != match.group(1):
            break
        low = word.lower()
        bare = _POSSESSIVE.sub("", low)
        after_noun, last_was_noun = last_was_noun, low in _TITLE_NOUNS
        if last_was_noun:
            has_noun = True
        elif not (
            low in _MODIFIERS
            or low in _TITLE_FILLERS
            or bare in _TITLE_FILLERS
            or _POSSESSIVE.search(word)
            # A place written before a title noun: "Zhytomyr Mayor", not "Later former ...".
            or (after_noun and word[:1].isupper() and low not in _CLAUSE_WORDS)
        ):
            break
        begin = match.start(1)
        cursor = match.start(1)
    if not has_noun:
        return None
    # Never start a title on a bare article or preposition.
    while True:
        m = re.match(r"(the|of|for|a|an)\s+", norm[begin:name_start], re.IGNORECASE)
        if not m:
            break
        begin += m.end()
    end = name_start
    while end > begin and norm[end - 1].isspace():
        end -= 1
    return (begin, end) if end > begin else None


def _shared_plural_title(norm: str, floor: int, name_start: int) -> tuple[int, int] | None:
    """'Presidents Vladimir Putin and Donald Trump': the plural title covers the second name."""
    before = norm[floor:name_start]
    m = re.search(rf"([A-Z][a-z]+s)\s+{_CAP}(?:\s+{_CAP}){{1,2}}\s+and\s+$", before)
    if m and m.group(1).lower() in _TITLE_NOUNS:
        return (floor + m.start(1), floor + m.end(1))
    return None


def surname(name: str) -> str:
    """The last word of a name, used to link 'Klitschko said' back to 'Vitali Klitschko'."""
    return name.split()[-1]


def mentions_of(text: str, people: list[PersonMention]) -> dict[str, list[int]]:
    """Offsets where each person is mentioned by full name or by surname alone."""
    out: dict[str, list[int]] = {}
    for person in people:
        last = surname(person.name)
        hits = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(last)}(?!\w)", text)]
        out.setdefault(person.name, [])
        out[person.name] = sorted(set(out[person.name]) | set(hits))
    return out
