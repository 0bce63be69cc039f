"""Sentences with offsets, and a length-preserving normalised copy of the article text.

Detectors match on a normalised copy (curly quotes made straight, dashes made '-', odd spaces
made ' '). Every replacement is one character for one character, so an offset into the copy
is the same offset into the original: the offset map is the identity, and spans taken from
the copy are cut from ``article.text`` without translation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2007": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u202f": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u3000": " ",
    }
)


def normalise(text: str) -> str:
    """A copy of ``text`` with straight quotes, ASCII dashes and plain spaces, same length."""
    out = text.translate(_TRANSLATE)
    assert len(out) == len(text)  # the identity offset map depends on this
    return out


@dataclass(frozen=True)
class Sentence:
    """One sentence: its 1-based number and where it sits in the article text."""

    number: int
    start: int
    end: int
    text: str

    def contains(self, start: int, end: int) -> bool:
        return self.start <= start and end <= self.end


# Abbreviations whose full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "gen",
        "lt",
        "col",
        "sgt",
        "capt",
        "cpt",
        "maj",
        "rep",
        "sen",
        "gov",
        "jr",
        "sr",
        "prof",
        "no",
        "vs",
        "etc",
        "al",
        "inc",
        "ltd",
        "co",
        "corp",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "approx",
        "est",
    ]
)
_END = re.compile(r"[.!?]+['\")\]]*(?=\s+['\"(\[]?[A-Z0-9])|\n\s*")
_LAST_WORD = re.compile(r"([A-Za-z]+(?:\.[A-Za-z]+)*)\.?['\")\]]*$")


def split_sentences(text: str) -> list[Sentence]:
    """Split article text into sentences, keeping exact offsets into ``text``."""
    norm = normalise(text)
    sentences: list[Sentence] = []
    start = 0
    for match in _END.finditer(norm):
        end = match.end() if not match.group().startswith("\n") else match.start()
        if not match.group().startswith("\n") and _is_abbreviation(norm[start : match.start() + 1]):
            continue
        _add(sentences, text, start, end)
        start = match.end()
    _add(sentences, text, start, len(text))
    return sentences


def _is_abbreviation(chunk: str) -> bool:
    word = _LAST_WORD.search(chunk)
    if word is None:
        return False
    token = word.group(1)
    if "." in token:  # U.S. / a.m. / e.g.
        return True
    if len(token) == 1 and token.isupper():  # an initial: "J. Smith"
        return True
    return token.lower() in _ABBREVIATIONS


def _add(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(Sentence(len(sentences) + 1, start, end, text[start:end]))


def sentence_at(sentences: list[Sentence], offset: int) -> Sentence:
    """The sentence that holds ``offset`` (the last one starting at or before it)."""
    found = sentences[0]
    for sentence in sentences:
        if sentence.start <= offset:
            found = sentence
        else:
            break
    return found


def numbered(sentences: list[Sentence]) -> str:
    """Sentences as ``[n] text`` lines: the form the model reads and refers back to."""
    return "\n".join(f"[{s.number}] {' '.join(s.text.split())}" for s in sentences)


def windows(sentences: list[Sentence], *, size: int, overlap: int) -> list[list[Sentence]]:
    """Overlapping runs of sentences for articles too long for one prompt."""
    if len(sentences) <= size:
        return [sentences]
    step = max(1, size - overlap)
    out = []
    for first in range(0, len(sentences), step):
        out.append(sentences[first : first + size])
        if first + size >= len(sentences):
            break
    return out
