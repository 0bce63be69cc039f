"""Entity resolution inside one event: one person, many spellings and surname-only mentions.

Mentions are indexed by folded surname, so resolution costs one dictionary lookup per
mention. People who share a surname but not a given name stay apart, and a surname-only
mention that could be either of them is left unresolved rather than guessed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from claimcheck.crosscheck.text import tokens
from claimcheck.language.names import name_key, same_person, surname_key
from claimcheck.language.vocabulary.speakers import speaker_words


def is_person_name(name: str | None) -> bool:
    """Whether a mention names an individual person (not 'the Kremlin', 'officials', nor
    an outlet or platform that relayed the words: 'the New York Times', 'X')."""
    if not name or not name_key(name):
        return False
    words = speaker_words()
    if words.is_outlet(name) or words.is_body(name):
        return False
    # An institution or an anonymous official ("senior officials") is not a person.
    return not any(t in words.not_a_person for t in tokens(name))


def _same_full_name(mention: str, reference: str) -> bool:
    """Whether a reference spelling may rename a mention: the same name in another
    spelling, never a namesake found by a shared surname alone ("Abdullah" is not
    "Farooq Abdullah" just because the knowledge holds one Abdullah)."""
    if name_key(mention) == name_key(reference):
        return True
    both_full = len(name_key(mention).split()) > 1 and len(name_key(reference).split()) > 1
    return both_full and same_person(mention, reference)


@dataclass(frozen=True)
class Person:
    """One resolved person: a stable key and the spelling most sources use."""

    key: str
    name: str
    spellings: tuple[str, ...]


class People:
    """The people mentioned in one event, resolved across spellings.

    Example::

        people = People(["Vitali Klitschko", "Vitaly Klitschko", "Klitschko"])
        assert people.resolve("Klitschko") == people.resolve("Vitaliy Klitschko")
    """

    def __init__(
        self, mentions: Iterable[str], *, canonical: Callable[[str], str | None] | None = None
    ) -> None:
        # ``canonical`` maps a mention to a reference spelling (the knowledge file's), which
        # then names the person in findings instead of whichever spelling sources used most.
        self._canonical = canonical
        names = [m for m in mentions if is_person_name(m)]
        counts = Counter(names)
        by_surname: dict[str, list[str]] = defaultdict(list)
        for name in dict.fromkeys(names):
            by_surname[surname_key(name)].append(name)
        self._people: dict[str, Person] = {}
        self._of: dict[str, Person | None] = {}
        given_names = {
            name_key(n).split()[0] for n in dict.fromkeys(names) if len(name_key(n).split()) > 1
        }
        for surname, group in sorted(by_surname.items()):
            full = [n for n in group if len(name_key(n).split()) > 1]
            short = [n for n in group if len(name_key(n).split()) <= 1]
            clusters: list[list[str]] = []
            for name in full:
                for cluster in clusters:
                    if same_person(name, cluster[0]):
                        cluster.append(name)
                        break
                else:
                    clusters.append([name])
            if len(clusters) == 1:
                clusters[0].extend(short)
            elif not clusters:
                given = [n for n in short if name_key(n) in given_names]
                for name in given:
                    # "Donald" where the event also names "Donald Trump" (and maybe "Donald
                    # Tusk"): a given name alone is never a person of its own.
                    self._of[name] = None
                short = [n for n in short if n not in given]
                if short:
                    clusters.append(short)
            else:
                # "Klitschko" with both Vitali and Wladimir around: who is meant is unknown.
                for name in short:
                    self._of[name] = None
            for cluster in clusters:
                person = self._make(cluster, counts, surname)
                for name in cluster:
                    self._of[name] = person

    def _make(self, cluster: list[str], counts: Counter[str], surname: str) -> Person:
        def rank(name: str) -> tuple[int, int, int, str]:
            return (-len(name_key(name).split()), -counts[name], -len(name), name)

        best = sorted(cluster, key=rank)[0]
        if self._canonical is not None:
            reference = self._canonical(best)
            if reference is not None and _same_full_name(best, reference):
                best = reference
        key = name_key(best) or surname
        person = Person(key=key, name=best, spellings=tuple(sorted(set(cluster))))
        self._people[key] = person
        return person

    def resolve(self, name: str | None) -> Person | None:
        """The person a mention names, or None (not a person, or ambiguous)."""
        if name is None:
            return None
        if name in self._of:
            return self._of[name]
        if not is_person_name(name):
            return None
        # A mention not seen at construction: match it against the known people.
        matches = [p for p in self._people.values() if same_person(name, p.name)]
        return matches[0] if len(matches) == 1 else None

    @property
    def people(self) -> tuple[Person, ...]:
        return tuple(self._people[k] for k in sorted(self._people))
