"""The speakers vocabulary: read once from data, and answering the questions extraction asks."""

from __future__ import annotations

from claimcheck.language.vocabulary.speakers import speaker_words


def test_the_section_is_read_once_and_lower_cased() -> None:
    words = speaker_words()
    assert words is speaker_words()
    assert {"say", "tell", "write", "quote"} <= words.speech_verbs
    assert all(w == w.lower() for w in words.outlets | words.bodies | words.titles)


def test_outlets_bodies_and_titles() -> None:
    words = speaker_words()
    for outlet in ("the New York Times", "New York Times", "Reuters", "X", "Telegram"):
        assert words.is_outlet(outlet), outlet
    assert not words.is_outlet("Omar Abdullah")
    assert words.is_body("the Kremlin") and words.is_body("Foreign Ministry")
    assert not words.is_body("Narendra Modi")
    assert words.is_title("Minister") and words.is_title("CEO")
    assert not words.is_title("Narendra")


def test_non_story_markers_are_data() -> None:
    markers = speaker_words().non_story_markers
    assert "also read" in markers and "photo" in markers
