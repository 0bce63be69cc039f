"""Deterministic candidate detectors: figures, quotations, and people with title phrases.

Code finds *where* a claim may be; the model is only asked narrow questions about each
candidate. Everything code can read for itself (the number, its hedge words, the quoted
words, the title phrase next to a name) is taken from the text here, never from the model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from claimcheck.calendar_words import MONTH_NUMBERS, MONTHS, WEEKDAYS
from claimcheck.extract.text import Sentence, normalise, sentence_at
from claimcheck.models import Qualifier

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
    rf"(?<![\w.,:-])(?:(?P<digits>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)"
    rf"|(?P<words>(?:{_WORD})(?:-(?:{'|'.join(_UNITS)}))?))"
    rf"(?:[ -](?P<scale>hundred|thousand|million|billion))?(?![\w])",
    re.IGNORECASE,
)
_RANGE_TAIL = re.compile(
    r"^\s*(?:-|to|and)\s*(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w])", re.IGNORECASE
)
_MONTHS = "|".join(MONTH_NUMBERS)
_DURATION_OR_TIME = re.compile(
    r"^[\s-]*(?:years?|months?|weeks?|days?|nights?|hours?|minutes?|seconds?|decades?|"
    r"centuries|century|year-old|-year|a\.?m\.?\b|p\.?m\.?\b|o'clock|percent|per cent|%|"
    r"times\b|"
    rf"(?:{_MONTHS})\b)",
    re.IGNORECASE,
)
_BEFORE_DATE = re.compile(
    rf"(?:\b(?:{_MONTHS})\.?|\bno\.?|#|\baged?|\bat|\bpage)\s*$", re.IGNORECASE
)
_CLOCK = re.compile(r"^:\d{2}")
_OF_PHRASE = re.compile(r"^\s+(?:of|another|day|thing)\b", re.IGNORECASE)
_YEAR = re.compile(r"^(?:1[89]\d\d|20\d\d)$")

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
    """Counted figures in ``text``; years, dates, clock times, durations, ordinals excluded."""
    norm = normalise(text)
    found: list[NumberCandidate] = []
    consumed_until = -1
    for match in _NUMBER.finditer(norm):
        start, end = match.span()
        if start < consumed_until:
            continue
        raw = match.group()
        after = norm[end : end + 20]
        before = norm[max(0, start - 12) : start]
        digits = match.group("digits")
        if digits and _YEAR.match(digits) and not match.group("scale"):
            continue
        if _DURATION_OR_TIME.match(after) or _CLOCK.match(after) or _BEFORE_DATE.search(before):
            continue
        if (
            match.group("words")
            and match.group("words").lower() == "one"
            and (_OF_PHRASE.match(after) or not after.strip())
        ):
            continue
        if re.search(r"[A-Za-z]-$", before):  # model names: Su-34, S-300, Shahed-136
            continue
        value = parse_number(raw)
        if value is None:
            continue
        value_high: float | None = None
        tail = _RANGE_TAIL.match(norm[end:])
        qualifier, phrase_start = _qualifier_before(norm, start)
        if tail and (qualifier is Qualifier.RANGE or tail.group().strip()[0] in "-t"):
            high = parse_number(tail.group(1))
            if high is not None and high > value:
                value_high = high
                qualifier = Qualifier.RANGE
                end = end + tail.end()
                raw = text[start:end]
                consumed_until = end
        if qualifier is Qualifier.RANGE and value_high is None:
            qualifier, phrase_start = Qualifier.EXACT, start
        found.append(
            NumberCandidate(
                start=start,
                end=end,
                text=text[start:end],
                value=value,
                value_high=value_high,
                qualifier=qualifier,
                phrase_start=phrase_start,
                sentence=sentence_at(sentences, start),
            )
        )
    return found


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
