"""Speaker words as data: speech verbs, bodies, relaying outlets, title nouns, line markers.

Read once from ``claimcheck/data/vocabulary/speakers.yaml``. Extraction uses them to read a
quotation's speaker from the parse (the subject of a speech verb, never the outlet that
relays the words), to tell a title from other words before a name, and to skip captions,
bylines and link lines that are not the story's claims.

Example::

    words = speaker_words()
    assert "say" in words.speech_verbs and words.is_outlet("the New York Times")
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from claimcheck.language.vocabulary import load_section

__all__ = ["SpeakerWords", "speaker_words"]


def _key(text: str) -> str:
    return " ".join(text.lower().replace("\u2019", "'").split())


@dataclass(frozen=True)
class SpeakerWords:
    """The parsed speakers section; every word is lower case."""

    speech_verbs: frozenset[str]
    bodies: frozenset[str]
    outlets: frozenset[str]
    titles: frozenset[str]
    honorifics: frozenset[str]
    title_fillers: frozenset[str]
    title_modifiers: frozenset[str]
    institution_nouns: frozenset[str]
    non_story_markers: tuple[str, ...]
    not_a_person: frozenset[str] = frozenset()
    hearer_verbs: frozenset[str] = frozenset()

    def is_outlet(self, name: str) -> bool:
        """Whether ``name`` is an outlet or platform that relays words ("Reuters", "X")."""
        key = _key(name)
        return key in self.outlets or key.removeprefix("the ") in self.outlets

    def is_body(self, name: str) -> bool:
        """Whether ``name`` is an institution speaking ("the Kremlin", "the ministry")."""
        key = _key(name).removeprefix("the ")
        return key in self.bodies or f"the {key}" in self.bodies

    def is_title(self, word: str) -> bool:
        """Whether one word (or a two-word phrase) is a title noun ("Mayor", "CEO")."""
        return _key(word).strip(".,") in self.titles


@cache
def speaker_words() -> SpeakerWords:
    """The speakers vocabulary, read once per process."""
    data = load_section("speakers")

    def words(name: str) -> frozenset[str]:
        return frozenset(_key(str(w)) for w in data.get(name) or ())

    return SpeakerWords(
        speech_verbs=words("speech_verbs"),
        bodies=words("bodies"),
        outlets=words("outlets"),
        titles=words("titles"),
        honorifics=words("honorifics"),
        title_fillers=words("title_fillers"),
        title_modifiers=words("title_modifiers"),
        institution_nouns=words("institution_nouns"),
        hearer_verbs=words("hearer_verbs"),
        not_a_person=frozenset(w for phrase in words("not_a_person") for w in phrase.split()),
        non_story_markers=tuple(
            sorted({str(w).lower() for w in data.get("non_story_markers") or ()}, key=len)
        ),
    )
