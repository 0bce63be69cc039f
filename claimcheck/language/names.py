"""Person names: one key per person across transliterations, titles and surname-only mentions.

News copy spells the same Ukrainian name several ways (Vitali / Vitaly / Vitaliy Klitschko,
Zelensky / Zelenskyy / Zelenskiy, Sybiha / Sibiha), prefixes it with titles ("Kyiv Mayor",
"President", "Mr.") and later mentions only the surname. None of that is a factual error, so
every comparison of people goes through :func:`name_key` and :func:`same_person`.

The key is deliberately coarse about *spelling* (letters that transliterations disagree on
are folded together) but never about *identity*: two different given names with the same
surname stay two people (Wladimir vs Vitali Klitschko).

Example::

    >>> name_key("Kyiv Mayor Vitaliy Klitschko") == name_key("Vitali Klitschko")
    True
    >>> same_person("Klitschko", "Vitali Klitschko")
    True
    >>> same_person("Wladimir Klitschko", "Vitali Klitschko")
    False
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from claimcheck.language import places
from claimcheck.language.vocabulary.speakers import speaker_words

__all__ = ["name_key", "same_person", "surname_key"]

# Words that introduce a name but are not part of it. A name written after any of them
# ("Ukraine's Foreign Minister Andrii Sybiha", "Boeing CEO Kelly Ortberg") starts after the
# last one, which also drops the place or company words that precede the title. Title
# nouns, honorifics and the fillers inside titles are the speakers vocabulary's (data).


@lru_cache(maxsize=1)
def _title_words() -> frozenset[str]:
    words = speaker_words()
    nouns = {w for phrase in words.titles for w in phrase.split()}
    return frozenset(nouns | words.honorifics | words.title_fillers)


# Generational suffixes are not what distinguishes people in news copy about one event.
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})

# Transliteration folds, applied in order. Each pair is a spelling choice that different
# romanisations make for the same Cyrillic (or German/Polish) letters.
_FOLDS: tuple[tuple[str, str], ...] = (
    ("tsch", "ch"),  # Klitschko (German) / Klichko
    ("tch", "ch"),
    ("sch", "sh"),
    ("ck", "k"),
    ("ph", "f"),
    ("x", "ks"),  # Alexander / Aleksander
    ("w", "v"),  # Wladimir / Vladimir
    ("y", "i"),  # Vitaly / Vitali, Sybiha / Sibiha, Zelenskyy / Zelenskii
)

_TOKEN = re.compile(r"[a-z]+(?:[-'][a-z]+)*")
_POSSESSIVE = re.compile(r"['’]s\b")


def _ascii(text: str) -> str:
    """Lower-case ASCII: diacritics dropped (Radosław -> radoslaw)."""
    # ł and ø have no decomposition, so NFKD alone would lose them instead of folding them.
    text = text.replace("ł", "l").replace("Ł", "L").replace("ø", "o").replace("Ø", "O")
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed.encode("ascii", "ignore").decode("ascii").lower()


def _fold(token: str) -> str:
    """The spelling-insensitive form of one name token."""
    token = token.replace("-", "").replace("'", "")
    for old, new in _FOLDS:
        token = token.replace(old, new)
    # A non-initial j is a transliteration of й (Zelenskij); an initial one is a real letter.
    if len(token) > 1:
        token = token[0] + token[1:].replace("j", "i")
    # Doubled letters differ between romanisations (Zelenskyy / Zelensky, Andrii / Andri).
    return re.sub(r"(.)\1+", r"\1", token)


def _name_tokens(name: str) -> tuple[str, ...]:
    text = _ascii(name.replace("’", "'"))
    # "Klitschko, Vitali" is the index form of "Vitali Klitschko".
    if text.count(",") == 1:
        last, first = (part.strip() for part in text.split(","))
        if last and first and " " not in last:
            text = f"{first} {last}"
    text = _POSSESSIVE.sub(" 's", text)
    raw = text.replace(".", " ").split()
    title_words = _title_words()
    if all(w.strip(',;:()[]"') in title_words or w == "'s" for w in raw):
        return ()
    # Keep what follows the last title or possessive word: "Kyiv Mayor Vitali Klitschko".
    # A title word that would leave nothing is the surname itself (Prime Minister John Major).
    start = 0
    for i, word in enumerate(raw[:-1]):
        bare = word.strip(',;:()[]"')
        if bare in title_words or bare == "'s":
            start = i + 1
    tokens = []
    for word in raw[start:]:
        tokens.extend(_TOKEN.findall(word))
    while tokens and tokens[-1] in _SUFFIXES:
        tokens.pop()
    # "Minister of Jammu and Kashmir Omar Abdullah": the place a title is "of" runs up to
    # the name, and its own filler words ("and") must not decide where the name starts.
    for i, word in enumerate(raw[:-2]):
        if word in ("of", "for") and any(w.strip(',;:()[]"') in title_words for w in raw[:i]):
            rest = tuple(t for w in raw[i + 1 :] for t in _TOKEN.findall(w))
            while rest and rest[-1] in _SUFFIXES:
                rest = rest[:-1]
            named = _without_place(rest)
            if named != rest and len(named) < len(tokens):
                return named
    return _without_place(tuple(tokens))


def _without_place(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """A name without the place words of the title before it: "Governor of New South Wales
    Margaret Beazley" keeps "Margaret Beazley" once the title words are gone.

    Only a place the gazetteer knows, and only when a given name (not an initial) and a
    surname remain, so "Jordan Peterson", "Israel Katz" and "Merrick B. Garland" keep their
    first names.
    """
    for cut in range(min(len(tokens) - 2, 4), 0, -1):
        rest = tokens[cut:]
        # an initial is no given name: "Merrick B. Garland" keeps "Merrick" (a town too)
        if sum(len(t) > 1 for t in rest) < 2:
            continue
        if places.lookup(" ".join(tokens[:cut])) is not None:
            return rest
    return tokens


@lru_cache(maxsize=65536)
def _key_tokens(name: str) -> tuple[str, ...]:
    return tuple(f for f in (_fold(t) for t in _name_tokens(name)) if f)


def name_key(name: str) -> str:
    """A key equal for spelling variants of one person's name, titles stripped.

    ``name_key("Mr. Zelenskyy") == name_key("President Zelensky")``; the key of an empty
    or title-only string is ``""``.
    """
    return " ".join(_key_tokens(name))


def surname_key(name: str) -> str:
    """The folded surname (last name token), for indexing people by surname; may be ``""``."""
    tokens = _key_tokens(name)
    return tokens[-1] if tokens else ""


def _given_compatible(a: str, b: str) -> bool:
    """Given names agree when equal or when one is the other's initial (V. Klitschko)."""
    if a == b:
        return True
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    # Mikhail / Mihail, Sergey / Sergei after the folds: one letter off in a long given
    # name, with the surname already equal, is a spelling.
    return min(len(a), len(b)) >= _NEAR_SURNAME - 1 and _one_edit(a, b)


def same_person(a: str, b: str) -> bool:
    """True when two mentions can name the same person.

    Spelling variants and a surname-only mention of a full name count as the same person;
    two different given names with one surname do not (Wladimir vs Vitali Klitschko), nor
    does a shared given name (Donald Trump vs Donald Tusk).
    """
    ta, tb = _key_tokens(a), _key_tokens(b)
    if not ta or not tb:
        return False
    if ta == tb:
        return True
    if ta[-1] != tb[-1]:
        return _near_spelling(ta, tb)
    if len(ta) == 1 or len(tb) == 1:
        return True
    # "Felipe Velez" in "Andres Felipe Velez": a shorter full name that ends the longer one.
    shorter, longer = (ta, tb) if len(ta) < len(tb) else (tb, ta)
    if len(shorter) >= 2 and longer[-len(shorter) :] == shorter:
        return True
    return _given_compatible(ta[0], tb[0])


# A surname at least this long may differ by one letter between two spellings of one name.
_NEAR_SURNAME = 6


def _near_spelling(ta: tuple[str, ...], tb: tuple[str, ...]) -> bool:
    """One letter off in a long surname, with the same full given name: a transliteration
    the folds miss (Sibikha / Sybiha: х as "kh" or "h"; Mikhaylov / Mihaylov), never a
    namesake found by a shared surname — two people of one given name and near-identical
    surnames in one story are far rarer than such a spelling."""
    return (
        len(ta) > 1
        and len(tb) > 1
        and ta[0] == tb[0]
        and len(ta[0]) > 1
        and min(len(ta[-1]), len(tb[-1])) >= _NEAR_SURNAME
        and _one_edit(ta[-1], tb[-1])
    )


def _one_edit(a: str, b: str) -> bool:
    """Whether two words differ by one inserted, deleted or replaced letter."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))
