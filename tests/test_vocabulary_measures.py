"""The measure vocabulary: signal words, unit kinds and other-time words read from data."""

from __future__ import annotations

from claimcheck.language.vocabulary.measures import is_other_time, measures


def test_measures_in_a_sentence_nearest_to_the_figure_first() -> None:
    sentence = "The attack killed 4 people and injured 20 more."
    ids = [m.id for m in measures().near(sentence, sentence.index("4"), kind="count")]
    assert ids == ["killed", "injured"]
    ids = [m.id for m in measures().near(sentence, sentence.index("20"), kind="count")]
    assert ids == ["injured", "killed"]
    assert [m.id for m in measures().near("Over 900 homes lost power.", kind="count")] == [
        "without_power"
    ]
    assert measures().near("Troops took 40 square miles.", kind="count") == ()


def test_a_money_figure_is_offered_only_money_measures() -> None:
    text = "The firm lost 300 jobs and made a loss of $2bn on sales of $9bn."
    ids = {m.id for m in measures().near(text, kind="money")}
    assert ids == {"loss", "revenue"}
    assert all(measures().get(i).takes("money") for i in ids)  # type: ignore[union-attr]


def test_every_story_family_has_measures_with_words() -> None:
    vocab = measures()
    for word, measure in [
        ("fatalities", "killed"),
        ("ballots", "votes"),
        ("seats", "seats"),
        ("turnout", "turnout"),
        ("sentenced", "sentence"),
        ("fined", "fine"),
        ("detained", "arrested"),
        ("layoffs", "jobs"),
        ("infections", "cases"),
        ("vaccinated", "doses"),
        ("magnitude", "magnitude"),
        ("gusts", "wind_speed"),
        ("rainfall", "rainfall"),
        ("on board", "aboard"),
        ("survived", "survivors"),
    ]:
        found = vocab.of_word(word)
        assert found is not None and found.id == measure, word
    assert vocab.get("killed").high_stakes  # type: ignore[union-attr]
    assert not vocab.get("revenue").high_stakes  # type: ignore[union-attr]


def test_other_time_phrases() -> None:
    assert is_other_time("up from")
    assert is_other_time("last Saturday")
    assert is_other_time("the previous record of")
    assert is_other_time("in June")
    assert not is_other_time("on 3 April")
    assert not is_other_time("Friday morning")
    assert not is_other_time("last night")  # the event's own night
    assert not is_other_time("last night's")
    assert is_other_time("since 2015")  # a year of its own ("since 2015, when ...")
    assert is_other_time("2015")
    assert not is_other_time(None)
