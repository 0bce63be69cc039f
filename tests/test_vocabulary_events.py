"""The event vocabulary: events.yaml parses into frozen objects every story type can use."""

from __future__ import annotations

import pytest

from claimcheck.language.vocabulary.events import event_vocabulary


def test_every_kind_has_a_family_and_words_and_the_file_is_read_once() -> None:
    vocab = event_vocabulary()
    assert vocab is event_vocabulary()
    assert all(k.family and k.words for k in vocab.kinds)
    families = {k.family for k in vocab.kinds}
    assert {"attack", "earthquake", "crash", "election", "court", "results", "match"} <= families


def test_kind_families_tell_story_types_apart() -> None:
    vocab = event_vocabulary()
    assert vocab.family_of("air strike") == vocab.family_of("drone and missile attack")
    assert vocab.family_of("plane crash") != vocab.family_of("earthquake")
    assert vocab.family_of("election") != vocab.family_of("verdict")
    assert vocab.family_of(None) is None


def test_verbs_roles_and_negations_are_read() -> None:
    vocab = event_vocabulary()
    assert vocab.verb("claimed responsibility") is not None
    verb = vocab.verb("collapsed")
    assert verb is not None and verb.role == "subject"
    assert {"no", "not"} <= vocab.negations  # quoted in YAML: bare no would read as false
    assert "on" in vocab.before_day
    assert vocab.exclusive_claims and vocab.exclusive_claims[0].others


def test_a_bomb_set_off_at_one_place_is_a_one_site_bombing_not_an_air_strike() -> None:
    vocab = event_vocabulary()
    for lede in (
        "A roadside bomb tore through a police van near the border town on Monday.",
        "Rebels claimed a bomb attack that killed nine soldiers.",
        "Insurgents blew up a bus on the highway.",
    ):
        kind = vocab.kind_of(lede)
        assert kind is not None and kind.label == "bombing", lede
        assert vocab.one_site(kind.label)
    strike = vocab.kind_of("Russian bombs and drones hit Kharkiv overnight.")
    assert strike is not None and not vocab.one_site(strike.label)


@pytest.mark.parametrize(
    ("lede", "kind"),
    [
        ("The Green Alliance won a landslide in Sunday's regional election.", "election"),
        ("The governor is on course for a landslide victory, exit polls show.", "election"),
        ("An avalanche of criticism met the new budget.", None),
        ("A landslide buried a bus on the mountain road after days of rain.", "landslide"),
        ("Rescuers searched for landslide survivors near the dam.", "landslide"),
    ],
)
def test_a_kind_word_used_as_a_figure_of_speech_is_no_kind(lede: str, kind: str | None) -> None:
    found = event_vocabulary().kind_of(lede)
    assert (found.label if found else None) == kind


@pytest.mark.parametrize(
    ("lede", "label"),
    [
        # A company's job cuts are company news of the results family, whichever word says so.
        ("Boeing will shed about 10% of its workforce, the planemaker said on Friday.", "job cuts"),
        ("Spotify announced layoffs affecting 1,500 staff on Monday.", "job cuts"),
        (
            "Disney swung to a net loss in the second quarter as its parks slowed.",
            "company results",
        ),
        (
            "Unilever raised its dividend after second-quarter sales beat forecasts.",
            "company results",
        ),
        # A cut that is no job cut, and a flood's evacuated staff, are not company news.
        ("Rescuers cut through the rubble of the hospital on Tuesday.", None),
        ("Floods forced hospital staff to move patients upstairs in Porto Alegre.", "flood"),
    ],
)
def test_job_cuts_and_a_loss_are_company_news(lede: str, label: str | None) -> None:
    vocab = event_vocabulary()
    kind = vocab.kind_of(lede)
    assert (kind.label if kind else None) == label
    if label in ("job cuts", "company results"):
        assert vocab.family_of(label) == "results" and vocab.placeless("results")


@pytest.mark.parametrize(
    ("lede", "label"),
    [
        (
            "The death toll from the earthquakes that struck the region rose on Friday.",
            "earthquake",
        ),
        ("Twelve people died after drinking illicit liquor in a village near Patna.", "poisoning"),
        ("The hooch tragedy's toll rose to 40 on Sunday.", "poisoning"),
    ],
)
def test_plural_kind_words_and_poisonings_are_read(lede: str, label: str) -> None:
    kind = event_vocabulary().kind_of(lede)
    assert kind is not None and kind.label == label
    assert "poisoning" in event_vocabulary().lasting
