"""The word a figure hangs under decides its measure over the model's answer, and a measure
whose words stand only in another clause is no reading of it (issue 22: "a flight carrying
72 people" read as 72 killed, "killing at least 68 people onboard" as 68 aboard, "dead
bodies of 30 passengers recovered" as 30 aboard). Written on other stories: a ferry, a
trawler, a minibus, a coach, a storm, a market report."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from claimcheck.crosscheck.reading import subset
from claimcheck.extract.context import ArticleContext
from claimcheck.extract.number_candidates import find_numbers
from claimcheck.extract.quantities import classify_figure
from claimcheck.ingest import parse_article
from claimcheck.llm import LLM, CompletionRequest
from claimcheck.models import QuantityClaim


def _claim(
    fake_llm: Callable[..., LLM],
    text: str,
    figure: str,
    *,
    measure: str,
    place: str | None = None,
) -> QuantityClaim:
    # the noun right after the figure, as the model copies it
    subject = text[text.index(figure) + len(figure) :].split()[0].strip(",.")
    ctx = ArticleContext.of(parse_article(text, article_id="g"))
    [number] = [n for n in find_numbers(ctx.article.text, ctx.sentences) if n.text == figure]

    def answer(request: CompletionRequest) -> str:
        return json.dumps({"subject": subject, "measure": measure, "place": place})

    claim = classify_figure(ctx, number, fake_llm(answer))
    assert claim is not None
    return claim


@pytest.mark.parametrize(
    ("text", "figure", "answered", "read"),
    [
        # the verb the figure's noun is the object of decides, not the word after it
        (
            "A ferry capsized off the coast on Friday, killing at least 31 people on board, "
            "police said.",
            "31",
            "aboard",
            "killed",
        ),
        # the noun the figure is "of": the bodies are the dead
        (
            "Divers said the bodies of 14 crew had been recovered from the trawler by Monday.",
            "14",
            "aboard",
            "killed",
        ),
        # a figure under "injuring" is injured, whatever the model answered
        (
            "A coach overturned near the border on Sunday, injuring 23 passengers, two of "
            "them seriously, officials said.",
            "23",
            "aboard",
            "injured",
        ),
        # "injured" is the other figure's word: nothing in the 900's own phrase says so
        (
            "Officials said the toll reached 900 people on Thursday, with 600 injured.",
            "900",
            "injured",
            "other",
        ),
        # "killed" stands only in the main clause: the 19 are who the minibus carried
        (
            "Eight people were killed when a minibus carrying 19 pilgrims plunged into a "
            "ravine on Tuesday.",
            "19",
            "killed",
            "other",
        ),
    ],
)
def test_the_word_a_figure_hangs_under_decides_its_measure(
    fake_llm: Callable[..., LLM], text: str, figure: str, answered: str, read: str
) -> None:
    assert _claim(fake_llm, text, figure, measure=answered).measure == read


@pytest.mark.parametrize(
    ("text", "figure", "answered"),
    [
        # the measure's word is in the figure's own clause, through an open complement
        (
            "A police spokesman told reporters that at least 12 workers had been rushed to "
            "hospital with burns.",
            "12",
            "hospitalised",
        ),
        # a relative clause on the counted noun says something else of it
        (
            "The storm brought down trees across the city on Saturday, killing one man whose "
            "van was struck on the bypass, police said.",
            "one",
            "killed",
        ),
        # a participle with no subject of its own shares its verb's: the sales reached it
        ("Sales rose 8% in the quarter, reaching $4.2 billion.", "$4.2 billion", "revenue"),
        # a figure in the main clause keeps the model's measure
        ("Shares of the retailer fell 4% in early trading on Thursday.", "4%", "change"),
        # the noun a participle clause describes is the clause's: "passenger" is aboard
        (
            "A passenger ferry carrying 212 people ran aground off the island on Monday.",
            "212",
            "aboard",
        ),
    ],
)
def test_a_measure_read_in_the_figures_own_clause_stands(
    fake_llm: Callable[..., LLM], text: str, figure: str, answered: str
) -> None:
    assert _claim(fake_llm, text, figure, measure=answered).measure == answered


def test_bodies_recovered_so_far_are_a_part_of_the_dead() -> None:
    text = "By Monday evening rescuers had recovered 41 bodies from the collapsed mine."
    claim = QuantityClaim(
        id="c",
        article_id="g",
        span={"start": text.index("41"), "end": text.index("41") + 9, "text": "41 bodies"},
        value=41,
        subject="bodies",
        measure="killed",
    )
    assert subset(claim, text) == "recovered"


def test_a_place_written_only_in_lower_case_is_no_gazetteer_name(
    fake_llm: Callable[..., LLM],
) -> None:
    # "island" folds to Iceland's own name in the country data; in lower case it is a noun
    text = "Floods on the island have killed at least 9 people since Thursday, officials said."
    claim = _claim(fake_llm, text, "9", measure="killed", place="island")
    assert claim.place is None
    named = "Floods in Iceland have killed at least 9 people since Thursday, officials said."
    assert _claim(fake_llm, named, "9", measure="killed", place="Iceland").place == "Iceland"


def test_a_figure_in_a_where_clause_is_placed_at_its_place(
    fake_llm: Callable[..., LLM],
) -> None:
    # the province's dead are not the national toll the model's null place would make them
    text = (
        "Most of the deaths were in Sindh province, where 40 people died in collapsed homes, "
        "officials said."
    )
    assert _claim(fake_llm, text, "40", measure="killed").place == "Sindh province"


def test_a_where_clause_on_a_named_region_places_the_figure(
    fake_llm: Callable[..., LLM],
) -> None:
    # floods: the tagger reads "Murcia" as a person; the gazetteer knows the place
    text = "Officials in the Murcia region, where at least 12 were killed, said roads were shut."
    assert _claim(fake_llm, text, "12", measure="killed").place == "Murcia region"


@pytest.mark.parametrize(
    ("text", "figure", "place"),
    [
        # a storm: the town that suffered the deaths is where the figure was counted
        (
            "Officials said Tacloban suffered the worst losses, with about 60 people "
            "killed by the surge.",
            "60",
            "Tacloban",
        ),
        ("Kerala recorded 27 deaths from the fever on Monday.", "27", "Kerala"),
        # a place that acts, or loses, is not where the figure happened
        ("Russia fired 40 missiles at Kharkiv overnight.", "40", None),
        ("Mali lost three towns to the insurgents in recent weeks.", "three", None),
    ],
)
def test_a_place_that_suffered_the_figure_is_its_place(
    fake_llm: Callable[..., LLM], text: str, figure: str, place: str | None
) -> None:
    measure = "launched" if "fired" in text else "other" if "lost" in text else "killed"
    assert _claim(fake_llm, text, figure, measure=measure).place == place


def test_earnings_per_share_written_eps_is_a_per_share_figure() -> None:
    # "EPS" is a figure per share, never the quarter's profit it was pooled with
    text = "Diluted EPS for the quarter came in at $2.15, the company said."
    start = text.index("$2.15")
    claim = QuantityClaim(
        id="c",
        article_id="g",
        span={"start": start, "end": start + 5, "text": "$2.15"},
        value=2.15,
        subject="profit",
        measure="profit",
        unit="USD",
    )
    assert subset(claim, text) == "per share"


def test_a_market_move_stated_as_the_sessions_extreme_has_a_time_of_its_own(
    fake_llm: Callable[..., LLM],
) -> None:
    # a retailer's results: "as much as 6%" is how far the shares fell at one point, not
    # where they ended, so it is keyed apart from "fell 2.5%" at the close
    peak = "Shares of the retailer fell as much as 6% in after-hours trading on Tuesday."
    claim = _claim(fake_llm, peak, "6%", measure="change")
    assert claim.time is not None and "extreme" in claim.time
    close = "Shares of the retailer fell 2.5% in after-hours trading on Tuesday."
    assert _claim(fake_llm, close, "2.5%", measure="change").time == "after-hours trading"


@pytest.mark.parametrize(
    ("text", "figure", "read"),
    [
        # a fraud case: the trial's length is no prison term
        (
            "The founder, sentenced on Friday, was convicted after a four-month trial.",
            "four-month",
            "other",
        ),
        ("The founder received a 15-year sentence on Friday.", "15-year", "sentence"),
        ("The founder faces a 10-year prison term.", "10-year", "sentence"),
    ],
)
def test_a_length_before_a_noun_is_that_nouns(
    fake_llm: Callable[..., LLM], text: str, figure: str, read: str
) -> None:
    assert _claim(fake_llm, text, figure, measure="sentence").measure == read
