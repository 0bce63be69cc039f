"""Word lists code uses to narrow the model's choices and to check its answers."""

from __future__ import annotations

import re

from claimcheck.extract.text import normalise
from claimcheck.models import Measure
from claimcheck.places import scope_of

__all__ = ["MEASURE_WORDS", "NOT_A_COUNT", "measures_in", "nearest_measure_word", "scope_of"]

#: Words that signal each measure. A figure's answer may only use measures whose words occur
#: in its sentence (plus OTHER), which removes most of the small model's wrong picks.
MEASURE_WORDS: dict[Measure, tuple[str, ...]] = {
    Measure.KILLED: (
        "killed",
        "killing",
        "kill",
        "dead",
        "died",
        "death",
        "deaths",
        "lives",
        "fatalities",
        "bodies",
    ),
    Measure.INJURED: ("injured", "injuring", "injuries", "wounded", "wounding", "hurt"),
    Measure.HOSPITALISED: ("hospitalised", "hospitalized", "hospital"),
    Measure.MISSING: ("missing",),
    Measure.RESCUED: ("rescued", "saved", "pulled from"),
    Measure.EVACUATED: ("evacuated", "evacuation"),
    Measure.LAUNCHED: (
        "launched",
        "launching",
        "fired",
        "unleashed",
        "sent",
        "used",
        "attacked with",
    ),
    Measure.INTERCEPTED: (
        "intercepted",
        "shot down",
        "downed",
        "neutralised",
        "neutralized",
        "repelled",
        "destroyed in the air",
    ),
    Measure.GOT_THROUGH: (
        "breach",
        "breached",
        "breaching",
        "got through",
        "broke through",
        "got past",
        "penetrated",
        "evaded",
        "slipped through",
        "not intercepted",
    ),
    Measure.HIT: ("hit", "struck", "strikes", "targeted", "recorded"),
    Measure.DAMAGED: ("damaged", "damaging", "damage"),
    Measure.DESTROYED: ("destroyed", "razed", "flattened"),
    Measure.WITHOUT_POWER: (
        "without power",
        "without electricity",
        "lost power",
        "lost electricity",
        "no power",
        "no electricity",
        "outages",
        "blackout",
        "power outage",
        "without heat",
    ),
}

NOT_A_COUNT = "not_a_count"


def measures_in(text: str, *, near: int | None = None) -> list[Measure]:
    """The measures whose signal words occur in ``text``; nearest to offset ``near`` first.

    The small model leans towards the first option of an enum, so the measure whose word
    stands closest to the figure is offered first.
    """
    low = normalise(text).lower()
    found: list[tuple[int, int, Measure]] = []
    for index, (measure, words) in enumerate(MEASURE_WORDS.items()):
        hits = [
            m.start()
            for w in words
            for m in re.finditer(rf"(?<![a-z]){re.escape(w)}(?![a-z])", low)
        ]
        if hits:
            distance = min(abs(h - near) for h in hits) if near is not None else 0
            found.append((distance, index, measure))
    return [measure for _, _, measure in sorted(found)]


def nearest_measure_word(text: str, offset: int, *, reach: int = 40) -> str | None:
    """A measure word within ``reach`` characters after ``offset`` (for the recall follow-up)."""
    window = text[offset : offset + reach].lower()
    best: tuple[int, str] | None = None
    for words in MEASURE_WORDS.values():
        for word in words:
            m = re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", window)
            if m and (best is None or m.start() < best[0]):
                best = (m.start(), word)
    return best[1] if best else None
