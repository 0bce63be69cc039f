"""Measures: what a figure says happened to what it counts, read from ``measures.yaml``.

Each measure carries the words that signal it, the unit kinds it takes and whether its
figures are compared (and how gravely). Extraction offers the model only measures whose
words stand near a figure and whose unit kinds fit the figure's unit; cross-checking reads
the stakes. A new story type adds entries to the data file, not code.

Example::

    measures().get("killed").words      # ('killed', 'killing', 'kill', ...)
    measures().near("Fire killed 23 people", 6, kind="count")   # (Measure 'killed',)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from claimcheck.errors import InputError
from claimcheck.language.calendar_words import MONTHS
from claimcheck.language.vocabulary import load_section

OTHER = "other"
NOT_A_COUNT = "not_a_count"
#: The unit kind of a plain number of things.
COUNT = "count"


def singular(word: str) -> str:
    """A crude singular, enough to make 'drones' and 'drone' one key."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@dataclass(frozen=True)
class Measure:
    """One measure id with its signal words and the unit kinds it takes."""

    id: str
    label: str
    group: str
    units: tuple[str, ...]
    words: tuple[str, ...]
    weak: frozenset[str]
    high_stakes: bool
    compare: bool
    owns_units: bool = False
    per_holder: bool = False
    #: a figure is one person's or one company's (a sentence, a fine): where an event's
    #: figures name two or more, each is compared only with the same one's
    per_defendant: bool = False
    one_per_event: bool = False
    apart: frozenset[str] = frozenset()

    def takes(self, kind: str) -> bool:
        """Whether a figure of unit ``kind`` ('count', 'money', 'length' ...) may be this."""
        return kind in self.units


@dataclass(frozen=True)
class OtherTime:
    """Words that place a figure at another time than the event's."""

    before: tuple[str, ...]
    date_words: tuple[str, ...]
    own: tuple[str, ...] = ()
    #: phrases right after a figure that make it a move over a period ("up 1.6% year to date")
    after: tuple[str, ...] = ()
    #: words on the verb a figure is reported under that make it an earlier report ("police
    #: had *earlier* said five"), and words on that verb's subject ("*initial* reports put")
    earlier_adverbs: frozenset[str] = frozenset()
    earlier_sources: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Measures:
    """The whole measure vocabulary, in file order."""

    all: tuple[Measure, ...]
    event_nouns: frozenset[str]
    linking: frozenset[str]
    other_time: OtherTime
    #: words of a counted noun phrase that do not change what is counted
    counted_noise: frozenset[str]
    #: nouns that name the same counted thing, mapped to one of them
    counted_synonyms: tuple[tuple[str, str], ...]
    #: words that make a figure an expectation, not a fact
    forecast_words: frozenset[str] = frozenset()
    possibility_words: frozenset[str] = frozenset()
    #: stance -> (verb lemmas, noun lemmas) a figure hanging under them takes ("requested")
    stances: tuple[tuple[str, frozenset[str], frozenset[str]], ...] = ()
    #: words right before a figure that make it a part of a whole ("including 5 children")
    part_words: tuple[str, ...] = ()
    #: words right after a figure that make it a part of a whole named before ("of those")
    part_after: tuple[str, ...] = ()
    #: words that may stand between a part word and its figure ("at least")
    part_fillers: frozenset[str] = frozenset()
    #: part of one event -> the phrases that name it ("aboard", "on the ground")
    sub_scopes: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: part of a measure -> the phrases that name it ("seriously", "per share")
    subsets: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: groups whose figures are revised as a story develops (tolls, case counts)
    revised_groups: frozenset[str] = frozenset()
    #: group -> the noun its plain counts are of unless the text says otherwise
    default_nouns: tuple[tuple[str, str], ...] = ()
    #: words right after a figure that make it a difference ("three more than")
    difference_words: tuple[str, ...] = ()
    #: words right before a figure that make it an increase of a count ("an additional 10"),
    #: and the words after it that say the count it adds to ("bringing", "added to")
    increment_words: frozenset[str] = frozenset()
    increment_adds_to: tuple[str, ...] = ()
    #: words right after a figure's noun that make it a threshold ("326 seats needed")
    threshold_words: frozenset[str] = frozenset()
    #: verbs (by lemma) that make a figure after "by" the size of a change ("value would
    #: rise by $181 billion"), not a level
    change_verbs: frozenset[str] = frozenset()
    #: the measure of a percentage followed by a difference word ("56% more than a year ago")
    difference_measure: str | None = None
    #: nouns of the people living in a place ("the district's 190,000 people")
    population_nouns: frozenset[str] = frozenset()
    #: verbs (lemmas) that state the size of a whole ("its workforce, which totals 110,000")
    size_verbs: frozenset[str] = frozenset()
    #: nouns of a site within an event ("at the Linwood mosque")
    site_nouns: frozenset[str] = frozenset()
    #: nouns that name a holder by its kind ("gave the party 20 seats")
    holder_nouns: frozenset[str] = frozenset()
    #: nouns of a trading session ("in after-hours trading")
    session_nouns: frozenset[str] = frozenset()
    #: phrases before a market move that make it the session's extreme, not where it ended
    peak_words: tuple[str, ...] = ()
    #: nouns after "N% of" that make the percentage the measure's own (a share of the vote)
    proportion_own: frozenset[str] = frozenset()
    #: words after "N% of" a whole that make the percentage a count's progress ("counted")
    proportion_progress: frozenset[str] = frozenset()
    #: nouns that make a company figure's subject one of its businesses ("unit", "segment")
    segment_nouns: frozenset[str] = frozenset()
    #: modifiers of a business figure's noun that keep the whole ("net", "total")
    whole_words: frozenset[str] = frozenset()
    #: words of a company's legal name that are no part of what names it ("Inc", "plc")
    company_suffixes: frozenset[str] = frozenset()

    @property
    def default_noun_set(self) -> frozenset[str]:
        """Every group's default noun ("people"): a noun that says who is counted, never
        what happened to them."""
        return frozenset(noun for _, noun in self.default_nouns)

    def default_noun(self, measure_id: str) -> str | None:
        """The noun a plain figure of this measure counts by default ("people" for a toll)."""
        measure = self.get(measure_id)
        return dict(self.default_nouns).get(measure.group) if measure is not None else None

    def counted_noun(self, word: str) -> str:
        """One counted noun, lower case and singular, mapped through the vocabulary's
        synonyms ("Deaths" -> "people", "drones" -> "drone")."""
        low = singular(word.lower())
        return dict(self.counted_synonyms).get(low, low)

    def revised(self, measure_id: str) -> bool:
        """Whether figures of this measure are commonly revised as a story develops."""
        measure = self.get(measure_id)
        return measure is not None and measure.group in self.revised_groups

    def owner_of(self, kind: str) -> Measure | None:
        """The measure every figure of unit ``kind`` is (``owns_units``), or None."""
        return next((m for m in self.all if m.owns_units and kind in m.units), None)

    def get(self, measure_id: str) -> Measure | None:
        """The measure with this id, or None for an id the vocabulary does not know."""
        return next((m for m in self.all if m.id == measure_id), None)

    def of_word(self, word: str) -> Measure | None:
        """The first measure that lists ``word`` (lower case) as a signal word."""
        return next((m for m in self.all if word in m.words), None)

    def is_weak(self, word: str) -> bool:
        """Whether ``word`` is too loose a signal to overrule the model with."""
        return any(word in m.weak for m in self.all)

    def near(
        self, text: str, offset: int | None = None, *, kind: str | None = None
    ) -> tuple[Measure, ...]:
        """Measures whose words occur in ``text`` (nearest to ``offset`` first) and, given a
        unit ``kind``, that take it. The small model leans towards an enum's first option,
        so the measure whose word stands closest to the figure comes first."""
        low = text.lower()
        found: list[tuple[int, int, Measure]] = []
        for index, measure in enumerate(self.all):
            if measure.id == OTHER or (kind is not None and not measure.takes(kind)):
                continue
            hits = [m.start() for w in measure.words for m in _word_re(w).finditer(low)]
            if hits:
                distance = min(abs(h - offset) for h in hits) if offset is not None else 0
                found.append((distance, index, measure))
        return tuple(m for _, _, m in sorted(found, key=lambda t: (t[0], t[1])))

    def nearest_word(
        self, text: str, offset: int, *, reach: int = 40, strong: bool = False
    ) -> str | None:
        """The first signal word within ``reach`` characters after ``offset``; with
        ``strong``, weak words ("sent", "held") are passed over."""
        window = text[offset : offset + reach].lower()
        best: tuple[int, str] | None = None
        for measure in self.all:
            for word in measure.words:
                if strong and word in measure.weak:
                    continue
                m = _word_re(word).search(window)
                if m and (best is None or m.start() < best[0]):
                    best = (m.start(), word)
        return best[1] if best else None


def is_other_time(time: str | None) -> bool:
    """Whether a figure's time phrase ("last Saturday", "up from", "the previous record",
    "in June") places it at another time than the event's, by the vocabulary's words."""
    if not time:
        return False
    low = " ".join(time.lower().split())
    words = measures().other_time
    if re.sub(r"^(?:in|on|at|during)\s+|'s$", "", low) in words.own:
        return False
    if any(_word_re(w).search(low) for w in (*words.before, *words.date_words, *words.after)):
        return True
    # A year alone ("2015", "since 2015") names a time of its own: extraction gives one
    # only for a figure the text hangs on a date ("since 2015, when 9,000 were killed").
    if _YEAR_ALONE.fullmatch(low):
        return True
    # A month named without a day ("in June") is a period, not the event's day.
    return bool(_MONTH_ALONE.search(low)) and not re.search(r"\d", low)


_YEAR_ALONE = re.compile(r"(?:[a-z]+ )?(?:1[89]|20)\d\d")


_MONTH_ALONE = re.compile(
    rf"\b(?:in|during|for|of|since|through|throughout)\s+(?:{'|'.join(MONTHS)})\b"
)


@cache
def _word_re(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![a-z]){re.escape(word)}(?![a-z])")


def is_forecast(*phrases: str | None) -> bool:
    """Whether a figure's counted noun or time phrase makes it someone's expectation
    ("revenue expected by analysts", "guidance"), by the vocabulary's forecast words."""
    words = measures().forecast_words
    return any(
        w in words for phrase in phrases if phrase for w in re.findall(r"[a-z]+", phrase.lower())
    )


@cache
def measures() -> Measures:
    """The measure vocabulary, parsed once."""
    data = load_section("measures")
    out: list[Measure] = []
    for entry in data["measures"]:
        words = tuple(str(w).lower() for w in entry.get("words", ()))
        weak = frozenset(str(w).lower() for w in entry.get("weak", ()))
        if not weak <= set(words):
            raise InputError(f"measures.yaml: {entry['id']}: weak words must be among its words")
        out.append(
            Measure(
                id=entry["id"],
                label=entry["label"],
                group=entry["group"],
                units=tuple(entry["units"]),
                words=words,
                weak=weak,
                high_stakes=entry.get("stakes") == "high",
                compare=bool(entry.get("compare", True)),
                owns_units=bool(entry.get("owns_units", False)),
                per_holder=bool(entry.get("per_holder", False)),
                per_defendant=bool(entry.get("per_defendant", False)),
                one_per_event=bool(entry.get("one_per_event", False)),
                apart=frozenset(str(w).lower() for w in entry.get("apart", ())),
            )
        )
    if len({m.id for m in out}) != len(out) or OTHER not in {m.id for m in out}:
        raise InputError("measures.yaml: measure ids must be unique and include 'other'")
    other_time = data.get("other_time", {})
    earlier = other_time.get("earlier_report", {})
    return Measures(
        all=tuple(out),
        event_nouns=frozenset(data.get("event_nouns", ())),
        linking=frozenset(data.get("linking", ())),
        counted_noise=frozenset(data.get("counted", {}).get("noise", ())),
        counted_synonyms=tuple(sorted(data.get("counted", {}).get("synonyms", {}).items())),
        other_time=OtherTime(
            before=tuple(other_time.get("before", ())),
            date_words=tuple(other_time.get("date_words", ())),
            own=tuple(other_time.get("own", ())),
            after=tuple(str(w).lower() for w in other_time.get("after", ())),
            earlier_adverbs=frozenset(str(w).lower() for w in earlier.get("adverbs", ())),
            earlier_sources=frozenset(str(w).lower() for w in earlier.get("sources", ())),
        ),
        forecast_words=frozenset(data.get("forecast_words", ())),
        possibility_words=frozenset(str(w).lower() for w in data.get("possibility_words", ())),
        stances=tuple(
            (
                str(name),
                frozenset(str(w).lower() for w in (entry or {}).get("verbs", ())),
                frozenset(str(w).lower() for w in (entry or {}).get("nouns", ())),
            )
            for name, entry in (data.get("stances") or {}).items()
        ),
        part_words=tuple(str(w).lower() for w in data.get("part_words", ())),
        part_after=tuple(str(w).lower() for w in data.get("part_after", ())),
        part_fillers=frozenset(str(w).lower() for w in data.get("part_fillers", ())),
        sub_scopes=tuple(
            (str(part), tuple(str(p).lower() for p in phrases))
            for part, phrases in (data.get("sub_scopes") or {}).items()
        ),
        subsets=tuple(
            (str(part), tuple(str(p).lower() for p in phrases))
            for part, phrases in (data.get("subsets") or {}).items()
        ),
        revised_groups=frozenset(data.get("revised_groups", ())),
        default_nouns=tuple(sorted(data.get("default_nouns", {}).items())),
        difference_words=tuple(data.get("difference_words", ())),
        increment_words=frozenset(
            str(w).lower() for w in (data.get("increment") or {}).get("words", ())
        ),
        increment_adds_to=tuple(
            str(w).lower() for w in (data.get("increment") or {}).get("adds_to", ())
        ),
        threshold_words=frozenset(data.get("threshold_words", ())),
        change_verbs=frozenset(str(w).lower() for w in data.get("change_verbs", ())),
        difference_measure=data.get("difference_measure"),
        population_nouns=frozenset(data.get("population_nouns", ())),
        size_verbs=frozenset(str(w).lower() for w in data.get("size_verbs", ())),
        site_nouns=frozenset(str(w).lower() for w in data.get("site_nouns", ())),
        holder_nouns=frozenset(data.get("holder_nouns", ())),
        session_nouns=frozenset(data.get("session_nouns", ())),
        peak_words=tuple(str(w) for w in data.get("peak_words", ())),
        proportion_own=frozenset(
            str(w).lower() for w in (data.get("proportion") or {}).get("own_nouns", ())
        ),
        proportion_progress=frozenset(
            str(w).lower() for w in (data.get("proportion") or {}).get("progress_words", ())
        ),
        segment_nouns=frozenset(str(w).lower() for w in data.get("segment_nouns", ())),
        whole_words=frozenset(str(w).lower() for w in data.get("whole_words", ())),
        company_suffixes=frozenset(str(w).lower() for w in data.get("company_suffixes", ())),
    )
