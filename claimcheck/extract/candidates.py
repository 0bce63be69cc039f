"""Deterministic candidate detectors: quotations, and people with title phrases (figures
are found in ``number_candidates.py``).

Code finds *where* a claim may be; the model is only asked narrow questions about each
candidate. Everything code can read for itself (the number, its hedge words, the quoted
words, the title phrase next to a name) is taken from the text here, never from the model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from claimcheck.extract.text import Sentence, sentence_at
from claimcheck.language import nlp, places
from claimcheck.language.names import name_key, same_person
from claimcheck.language.vocabulary.speakers import speaker_words

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span


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
