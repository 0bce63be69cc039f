"""counts_something_else: the parse sets aside a figure whose number counts another noun."""

from __future__ import annotations

from typing import Any

import pytest

from claimcheck.crosscheck.reading import counts_something_else, holder, subset
from claimcheck.models import Article, QuantityClaim


def claim(text: str, span: str, subject: str = "people", **kw: Any) -> QuantityClaim:
    article = Article(id="a", text=text)
    start = text.index(span)
    return QuantityClaim(
        id="a:1",
        article_id="a",
        span=article.span(start, start + len(span)),
        value=kw.pop("value", 2),
        subject=subject,
        measure=kw.pop("measure", "killed"),
        **kw,
    )


def test_a_number_that_counts_another_noun_is_set_aside() -> None:
    text = (
        "It was the worst flood since 1998, when three cyclones in the delta killed 4,000 people."
    )
    assert counts_something_else(claim(text, "three"), text)


def test_the_subject_the_measure_words_and_plain_counted_nouns_are_kept() -> None:
    text = "At least 35 deaths were recorded in the valley, and 10 others were hurt."
    assert not counts_something_else(claim(text, "35"), text)  # "deaths" is a word of killed
    hurt = claim(text, "10", measure="injured")
    assert not counts_something_else(hurt, text)  # "others" changes nothing counted
    named = "Rescuers found 12 people under the rubble."
    assert not counts_something_else(claim(named, "12 people"), named)


def test_elided_nouns_and_figures_with_units_are_kept() -> None:
    text = "Forty people died in the north, and 12 more in the south."
    assert not counts_something_else(claim(text, "12"), text)  # no positive evidence
    far = "The town lies 300 km from the capital."
    assert not counts_something_else(claim(far, "300", unit="km", measure="distance"), far)


def test_whose_figure_it_is_comes_from_the_subject_of_its_verb() -> None:
    from claimcheck.crosscheck.reading import holder

    text = "The Greens won 14 seats, and the Liberals were left with nine seats."
    assert holder(claim(text, "14 seats", subject="seats", measure="seats"), text) == "Greens"
    assert holder(claim(text, "nine seats", subject="seats", measure="seats"), text) == "Liberals"
    pronoun = "It won 14 seats."
    assert holder(claim(pronoun, "14 seats", subject="seats", measure="seats"), pronoun) is None


def test_a_holder_is_read_through_a_borrowed_subject_a_recipient_and_a_tagged_noun() -> None:
    from claimcheck.crosscheck.reading import holder

    def whose(text: str, span: str) -> str | None:
        return holder(claim(text, span, subject="seats", measure="seats"), text)

    # "taking" and "to take" have no subject of their own: the verb they hang on does
    text = "The Alliance Party has won a clear majority, taking 61 seats in Sunday's vote."
    assert whose(text, "61 seats") == "Alliance Party"
    text = "The Greens are projected to take 17 seats."
    assert whose(text, "17 seats") == "Greens"
    # "gave the Greens 19 seats": the recipient holds them
    assert whose("Projections gave the Greens 19 seats in all.", "19 seats") == "Greens"
    assert whose("Exit polls gave the Greens 19 seats.", "19 seats") == "Greens"
    assert whose("Labour's 232 seats were its worst haul.", "232 seats") == "Labour"
    # a dateline's city parsed as the subject is never a holder
    dated = "OSLO, Sept 9 (Wire) - Labour won 48 seats."
    assert whose(dated, "48 seats") != "OSLO"


def test_the_party_is_the_holder_the_sentences_before_name() -> None:
    from claimcheck.crosscheck.reading import holder

    def whose(text: str, span: str) -> str | None:
        return holder(claim(text, span, subject="seats", measure="seats"), text)

    text = (
        "The Harbour League won the regional vote on Sunday. Official results gave the "
        "party 41,230 votes and 12 of the 60 seats."
    )
    assert whose(text, "12") == "Harbour League"
    # a describing modifier is not part of the name: one holder however it is described
    assert whose("The right-wing Homeland Union won 10 seats.", "10 seats") == "Homeland Union"
    # no named subject before: no holder, rather than a guess
    alone = "Official results gave the party 41,230 votes and 12 of the 60 seats."
    assert whose(alone, "12") is None


def test_a_share_goes_to_the_candidate_named_beside_its_own_verb() -> None:
    # A projection giving three candidates' shares in one sentence: the last share is the
    # named contender's (an apposition on its verb's subject), never the one named before.
    text = (
        "The election commission projected that Ruth Adler will win between 48% and 51% of "
        "the vote, while main rival Omar Haddad will take 33% to 35% and the only Green "
        "candidate, Lena Fischer Wolf, will get 6% to 7%."
    )

    def share(span: str, low: float, high: float) -> QuantityClaim:
        return claim(
            text,
            span,
            subject="share of the vote",
            measure="vote_share",
            value=low,
            value_high=high,
            qualifier="range",
            unit="percent",
        )

    assert holder(share("6% to 7%", 6, 7), text) == "Lena Fischer Wolf"
    assert holder(share("33% to 35%", 33, 35), text) == "Omar Haddad"


@pytest.mark.parametrize(
    ("text", "span", "part"),
    [
        # the phrase past another verb is that verb's, not the term's
        (
            "The 12-year sentence comes with the possibility of parole after eight years.",
            "12-year",
            None,
        ),
        (
            "She got 12 years in prison and five years of supervised release.",
            "five years",
            "release",
        ),
        # a helper verb between keeps the phrase the figure's
        ("At least 205 were seriously hurt in the blast.", "205", "serious"),
        ("Out of 275, 88 bodies have been identified.", "88", "identified"),
        # the figure's own verb between keeps it too
        ("Another 12 people died elsewhere in the region.", "12 people", "elsewhere"),
    ],
)
def test_a_part_phrase_is_the_figures_only_on_its_own_side_of_a_verb(
    text: str, span: str, part: str | None
) -> None:
    assert subset(claim(text, span, measure="sentence"), text) == part
