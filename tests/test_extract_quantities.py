"""A figure's own measure word, read by code and enforced on the model's answer."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any

import pytest

from claimcheck.extract.context import ArticleContext
from claimcheck.extract.figure_background import background, no_result, other_time
from claimcheck.extract.figure_places import clause_place, place_in_clause
from claimcheck.extract.number_candidates import find_numbers
from claimcheck.extract.quantities import (
    classify_figure,
    figure_span,
    modifier_claim,
    offered,
    own_measure,
    period_of,
    session_of,
)
from claimcheck.ingest import parse_article
from claimcheck.llm import LLM, CompletionRequest
from claimcheck.models import Measure, QuantityClaim

TEXT = (
    "Russia launched 550 drones and 11 missiles, with 72 drones breaching the air defences. "
    "The strikes killed at least four people and injured 20. "
    "Officials counted 13 separate strikes on the city. "
    "The raid ended after killing at least 6 people and injuring around 30."
)


def figures() -> tuple[ArticleContext, dict[str, str | None]]:
    ctx = ArticleContext.of(parse_article(TEXT, article_id="m"))
    numbers = find_numbers(ctx.article.text, ctx.sentences)
    return ctx, {n.text: own_measure(ctx, n) for n in numbers}


def test_the_word_right_after_a_figure_names_its_measure() -> None:
    _, got = figures()
    assert got["72"] == Measure.GOT_THROUGH
    assert got["550"] == Measure.LAUNCHED  # "and" ends its phrase; the verb came before it
    assert got["11"] is None  # "550 drones and 11": nothing of its own on either side
    assert got["20"] == Measure.INJURED  # "and injured 20": the verb before it
    assert got["13"] == Measure.OTHER  # it counts the strikes, not things they hit


def test_else_the_verb_right_before_the_figure_and_its_hedge_words_names_it() -> None:
    _, got = figures()
    assert got["6"] == Measure.KILLED  # "killing at least 6"
    assert got["30"] == Measure.INJURED  # "injuring around 30", not the sentence's first verb
    assert got["four"] == Measure.KILLED  # "killed at least four"


@pytest.mark.parametrize("first", ["launched", "got_through"])
def test_the_figures_own_word_sets_its_measure_without_asking_again(
    fake_llm: Callable[..., LLM], first: str
) -> None:
    answers = iter([first, "got_through"])

    def answer(request: CompletionRequest) -> str:
        return json.dumps({"subject": "drones", "measure": next(answers), "place": None})

    ctx, _ = figures()
    [n72] = [n for n in find_numbers(ctx.article.text, ctx.sentences) if n.text == "72"]
    llm = fake_llm(answer)
    claim = classify_figure(ctx, n72, llm)
    assert claim is not None and claim.measure == Measure.GOT_THROUGH
    assert llm.usage.calls == 1  # code read "breaching" right after 72: no re-ask


@pytest.mark.parametrize(
    "text",
    [
        "Nine people were sent to hospital.",
        "The strike caused $2 million in damage.",
        "More than 100 medics treated the wounded.",
        "Twelve of the injured were taken to hospital.",
    ],
)
def test_a_measure_word_that_belongs_to_something_else_overrules_nothing(text: str) -> None:
    ctx = ArticleContext.of(parse_article(text, article_id="m"))
    assert [own_measure(ctx, n) for n in find_numbers(ctx.article.text, ctx.sentences)] == [None]


def _ctx(text: str) -> ArticleContext:
    return ArticleContext.of(parse_article(text, article_id="m"))


def _each(text: str, read: Callable[[ArticleContext, Any], Any]) -> dict[str, Any]:
    """What ``read`` gives for every figure of ``text``, by the figure's words."""
    ctx = _ctx(text)
    return {n.text: read(ctx, n) for n in ctx.numbers}


def _times_on(text: str, published: dt.date) -> dict[str, str | None]:
    """The other time of every figure of ``text`` in an article published on that day."""
    article = parse_article(text, article_id="t").model_copy(update={"published": published})
    ctx = ArticleContext.of(article)
    return {n.text: other_time(ctx, n) for n in ctx.numbers}


def _asked(
    fake_llm: Callable[..., LLM], text: str, figure: str, measure: str
) -> tuple[Any, list[str]]:
    """Classify ``figure`` with a fake model that answers ``measure``; the claim and the
    measures the question offered."""
    offered: list[str] = []

    def answer(request: CompletionRequest) -> str:
        schema = request.json_schema
        offered.extend(schema["$defs"]["MeasureChoice"]["enum"])
        return json.dumps({"subject": "profit", "measure": measure, "place": None})

    ctx = _ctx(text)
    [n] = [n for n in ctx.numbers if n.text == figure]
    return classify_figure(ctx, n, fake_llm(answer)), offered


def test_a_money_figure_is_offered_only_measures_that_take_money(
    fake_llm: Callable[..., LLM],
) -> None:
    text = "The firm cut 300 jobs and reported a profit of £4.2bn, with sales up 5%."
    claim, offered = _asked(fake_llm, text, "£4.2bn", "profit")
    assert offered == ["profit", "revenue", "other", "not_a_count"]
    assert claim is not None
    assert (claim.value, claim.unit, claim.span.text) == (4.2e9, "GBP", "£4.2bn")


def test_the_whole_in_a_part_of_phrase_is_not_the_parts_measure() -> None:
    ctx = _ctx("The crash killed 241 of the 242 people on board.")
    n241, n242 = ctx.numbers
    assert own_measure(ctx, n241) == "killed"
    assert own_measure(ctx, n242) == "aboard"
    assert [m.id for m in offered(ctx, n242)] == ["aboard"]
    ctx = _ctx("Of the defences, 72 of the 550 drones breached them.")
    _n72, n550 = ctx.numbers
    assert own_measure(ctx, n550) is None  # the verb after is the 72's fate
    assert "got_through" not in [m.id for m in offered(ctx, n550)]
    ctx = _ctx("There were 241 fatalities among the 242 passengers.")
    n241, n242 = ctx.numbers
    assert own_measure(ctx, n241) == "killed"
    assert "killed" not in [m.id for m in offered(ctx, n242)]


@pytest.mark.parametrize(
    ("text", "figure", "time"),
    [
        ("Russia launched 479 drones, up from 537 last Saturday.", "537", "up from 537"),
        (
            "It launched 479 drones after the previous record of 728.",
            "728",
            "previous record of 728",
        ),
        ("The army counted 5,000 drones in June.", "5,000", "in June"),
        ("The night before, 40 drones came; 12 more flew last week.", "12", "last week"),
        # the other side of a comparison: an earlier or expected figure, not the event's
        ("Revenue was $7.2 billion vs $6.9 billion.", "$6.9 billion", "vs $6.9 billion"),
        ("Deliveries rose to 900 units from 750.", "750", "from 750"),
        # a move over a period, not the day's ("shares of the carmaker rose 4% on Tuesday")
        ("The carmaker's stock has lost 22% year to date.", "22%", "year to date"),
        ("Its shares are down 9%, year-to-date, after the recall.", "9%", "year-to-date"),
        # an earlier report of the toll, told as such in the figure's own clause
        (
            "Officers had earlier said four people, among them the driver, died in the crash.",
            "four",
            "earlier",
        ),
        ("The ministry initially said 30 people were hurt.", "30", "initially"),
        ("Initial reports put the number of dead at 12.", "12", "Initial reports"),
    ],
)
def test_a_figure_the_text_places_at_another_time_says_so(
    text: str, figure: str, time: str
) -> None:
    ctx = _ctx(text)
    [n] = [n for n in ctx.numbers if n.text == figure]
    assert other_time(ctx, n) == time


@pytest.mark.parametrize(
    "text",
    [
        "On Saturday, Russia launched 479 drones, officials said on 3 April.",
        "Moscow sent a record 479 drones overnight.",  # tonight's figure is the record
        "Earlier forecasts were grim; the storm killed 17 people in the port.",
    ],
)
def test_the_events_own_figure_has_no_other_time(text: str) -> None:
    ctx = _ctx(text)
    [n] = ctx.numbers
    assert other_time(ctx, n) is None


@pytest.mark.parametrize(
    ("text", "published", "times"),
    [
        # a day weeks before the report is another event's, even with no year named
        (
            "On March 2, a tornado killed 14 people in the next county. "
            "The storm on Sunday killed six people.",
            dt.date(2024, 3, 25),
            {"14": "On March 2", "six": None},
        ),
        (
            "On 4 January a bus crash killed 12 people.",
            dt.date(2024, 1, 30),
            {"12": "On 4 January"},
        ),
        # the first day of a disaster covered for a week is still its own
        (
            "On Feb. 15, floods killed 94 people in the city. By Monday the toll was 117.",
            dt.date(2022, 2, 21),
            {"94": None, "117": None},
        ),
        # the turn of the year: late December in a January report
        ("The quake on Dec. 28 killed 40 people.", dt.date(2025, 1, 3), {"40": None}),
    ],
)
def test_a_day_weeks_before_the_report_is_another_events(
    text: str, published: dt.date, times: dict[str, str | None]
) -> None:
    assert _times_on(text, published) == times


def test_the_size_of_a_change_is_no_level_of_its_measure() -> None:
    text = (
        "If the gain holds, the retailer's market value would rise by $120 billion to a "
        "record $870 billion. The rally lifted its value by roughly $150 billion. "
        "Its shares rose by 5% and it was valued at $870 billion."
    )
    assert _each(text, no_result) == {
        "$120 billion": "rise by",
        "$870 billion": None,
        "$150 billion": "lifted by",
        "5%": None,
    }
    ctx = _ctx(text)
    assert [own_measure(ctx, n) for n in ctx.numbers][:3] == ["other", None, "other"]


@pytest.mark.parametrize(
    ("text", "listed"),
    [
        (
            "Quarterly profit rose 40% to $3.1bn and annual profit 22% to $9.8bn, with "
            "sales of $12.4bn (up 18%) and $41.0bn (up 15%) respectively.",
            {"$12.4bn", "18%", "$41.0bn", "15%"},
        ),
        (
            "Two of his co-accused were jailed for nine and 11 years, respectively.",
            {"nine", "11 years"},
        ),
    ],
)
def test_a_list_told_respectively_is_no_plain_figure(text: str, listed: set[str]) -> None:
    marks = _each(text, no_result)
    assert {figure for figure, mark in marks.items() if mark == "respectively"} == listed


@pytest.mark.parametrize(
    ("text", "times"),
    [
        (
            "The slide surpassed that in the same town in 2011 that left 14 dead, 20 injured "
            "and one missing.",
            {"14": "in 2011", "20": "in 2011", "one": "in 2011"},
        ),
        (
            "It was the worst since the flood of 2010, which killed 1,700 people.",
            {"1,700": "of 2010"},
        ),
        # this year's clause is the event's
        ("Officials in 2024 that counted the dead said 14 people died.", {"14": None}),
    ],
)
def test_a_relative_clause_on_another_years_event_dates_its_figures(
    text: str, times: dict[str, str | None]
) -> None:
    assert _times_on(text, dt.date(2024, 2, 12)) == times


def test_a_later_clause_keeps_its_figure_current() -> None:
    times = _each(
        "The ministry initially said 30 people were hurt, but later raised the figure to 41.",
        other_time,
    )
    assert times == {"30": "initially", "41": None}


def test_a_crash_report_end_to_end_with_a_fake_model(fake_llm: Callable[..., LLM]) -> None:
    """Numbers in names give no figures; part and whole get their own measures."""
    from claimcheck.extract import extract_claims

    text = (
        "A Boeing 787 operating flight 171 crashed on Thursday. "
        "The crash killed 241 of the 242 people on board. "
        "The plane climbed to 625 feet before it fell."
    )
    asked: list[str] = []

    def answer(request: CompletionRequest) -> str:
        if request.schema_name != "FigureAnswer":
            return json.dumps({k: None for k in request.json_schema["properties"]})
        figure = re.search(r'contains the figure "([^"]+)"', request.messages[-1].content)
        assert figure is not None
        asked.append(figure.group(1))
        options = request.json_schema["$defs"]["MeasureChoice"]["enum"]
        subject = {"625 feet": "feet"}.get(figure.group(1), "people")
        return json.dumps({"subject": subject, "measure": options[0], "place": None})

    result = extract_claims(parse_article(text, article_id="crash"), fake_llm(answer), facts=False)
    assert asked == ["241", "242", "625 feet"]
    got = {(c.value, c.measure, c.unit) for c in result.claims if isinstance(c, QuantityClaim)}
    assert got == {(241, "killed", None), (242, "aboard", None), (625, "altitude", "ft")}


def test_a_figures_own_unit_word_does_not_pick_its_measure() -> None:
    ctx = _ctx("Winds reached 120 mph as the storm hit.")
    [n] = ctx.numbers
    assert [m.id for m in offered(ctx, n)] == ["wind_speed"]
    ctx = _ctx("The crew saw 625 feet of runway.")
    [n] = ctx.numbers
    assert offered(ctx, n) == []  # only "other" or not a count


def test_a_span_states_the_figure_never_the_whole_sentence() -> None:
    text = "The blast killed at least four people and injured around 20, officials said."
    ctx = ArticleContext.of(parse_article(text, article_id="s"))
    four, twenty = ctx.numbers
    start, end = figure_span(ctx, four, "people")
    assert text[start:end] == "at least four people"
    start, end = figure_span(ctx, twenty, "people")
    assert text[start:end] == "around 20"


def test_a_span_never_reaches_the_noun_of_the_next_figure() -> None:
    text = "Of the dead, 31 were men, while in the next valley 12 women died."
    ctx = ArticleContext.of(parse_article(text, article_id="s"))
    men = next(n for n in ctx.numbers if n.text == "31")
    start, end = figure_span(ctx, men, "women")
    assert text[start:end] == "31"  # not "31 were men, while in the next valley 12 women"


def test_a_percentage_is_of_what_follows_it_whatever_the_model_calls_it(
    fake_llm: Callable[..., LLM],
) -> None:
    text = "The Social Democrats won 52.3% of the vote and 20 of the 36 seats on Sunday."
    ctx = ArticleContext.of(parse_article(text, article_id="v"))
    share = next(n for n in ctx.numbers if n.text.startswith("52.3"))
    llm = fake_llm([json.dumps({"subject": "vote_share", "measure": "vote_share", "place": None})])
    claim = classify_figure(ctx, share, llm)
    assert claim is not None and claim.unit == "percent" and claim.subject == "vote"
    assert llm.usage.calls == 1


def test_a_figure_in_a_unit_its_measure_owns_is_that_measure_whatever_the_answer(
    fake_llm: Callable[..., LLM],
) -> None:
    text = "A quake of magnitude 6.2 shook the valley; another measured 5.1 on the Richter scale."
    ctx = ArticleContext.of(parse_article(text, article_id="q"))
    first, second = ctx.numbers
    assert (first.unit, second.unit) == ("magnitude", "magnitude")
    answer = json.dumps({"subject": "quake", "measure": "other", "place": None})
    llm = fake_llm([answer, answer])
    claims = [classify_figure(ctx, n, llm) for n in (first, second)]
    assert [c.measure if c else None for c in claims] == ["magnitude", "magnitude"]


def _one(fake_llm: Callable[..., LLM], text: str, figure: str, answer: dict[str, Any]) -> Any:
    """Classify one figure with a fake model that gives ``answer`` to every question."""
    ctx = _ctx(text)
    [n] = [n for n in ctx.numbers if n.text == figure]
    return classify_figure(ctx, n, fake_llm(lambda _request: json.dumps(answer)))


def test_a_bare_decimal_the_model_calls_a_magnitude_is_one(fake_llm: Callable[..., LLM]) -> None:
    text = "The seismology bureau put the magnitude of the tremor at 6.3 and its depth at 12 km."
    answer = {"subject": "magnitude", "measure": "other", "place": None}
    claim = _one(fake_llm, text, "6.3", answer)
    assert claim is not None and (claim.measure, claim.unit) == ("magnitude", "magnitude")
    # A whole number counts things, whatever the model says it is ("two earthquakes").
    text = "The island was hit by two earthquakes of great magnitude in one night."
    claim = _one(fake_llm, text, "two", answer)
    assert claim is None or claim.unit is None


def test_a_toll_with_no_noun_of_its_own_counts_people(fake_llm: Callable[..., LLM]) -> None:
    text = "By Tuesday evening the death toll from the landslide had climbed to 61, police said."
    claim = _one(fake_llm, text, "61", {"subject": "people", "measure": "killed", "place": None})
    assert claim is not None and (claim.measure, claim.subject) == ("killed", "people")
    # Any other noun the sentence does not use is still refused and asked again.
    with pytest.raises(Exception, match="not in sentence"):
        _one(fake_llm, text, "61", {"subject": "tourists", "measure": "killed", "place": None})


def test_a_figure_hung_on_an_earlier_date_belongs_to_that_date() -> None:
    text = (
        "It was the worst flood in the province since 1998, when more than 3,000 people died "
        "along the river. This week at least 40 people have died."
    )
    times = _each(text, other_time)
    assert times["3,000"] == "since 1998"
    assert times["40"] is None


def test_last_night_is_the_events_own_time() -> None:
    ctx = _ctx("A storm with winds of 140 km/h battered the coast last night, officials said.")
    [wind] = [n for n in ctx.numbers if n.text.startswith("140")]
    assert other_time(ctx, wind) is None


def test_the_parse_places_each_figure_of_a_breakdown(fake_llm: Callable[..., LLM]) -> None:
    text = (
        "Police said 31 people had been injured in Kisumu and 12 in Siaya, "
        "all of them near the same polling station."
    )
    # The model gave the story's main place to both figures; the parse tells them apart.
    answer = {"subject": "people", "measure": "injured", "place": "Kisumu"}
    second = _one(fake_llm, text, "12", answer)
    assert second is not None and second.place == "Siaya"
    ctx = _ctx(text)
    assert [clause_place(ctx, n) for n in ctx.numbers] == ["Kisumu", "Siaya"]


@pytest.mark.parametrize(
    ("text", "places"),
    [
        (
            "The Kerala deaths were confirmed by an official of the disaster agency, who said "
            "police had counted at least 14 dead there.",
            {"14": "Kerala"},
        ),
        (
            "Rains lashed Sindh on Monday. At least 40 people died there, officials said.",
            {"40": "Sindh"},
        ),
        # "there" as the subject's filler points nowhere
        ("There were 12 people hurt in the crush.", {"12": None}),
    ],
)
def test_there_puts_a_figure_at_the_place_named_before_it(
    text: str, places: dict[str, str | None]
) -> None:
    assert _each(text, clause_place) == places


def test_a_count_placed_at_something_that_is_no_place_has_no_place(
    fake_llm: Callable[..., LLM],
) -> None:
    text = "The jury of 12 took four hours to reach its verdict in the fraud case."
    claim = _one(fake_llm, text, "12", {"subject": "jury", "measure": "other", "place": "jury"})
    assert claim is not None and claim.place is None


def test_money_the_model_calls_other_takes_the_measure_its_subject_names(
    fake_llm: Callable[..., LLM],
) -> None:
    text = "The retailer booked revenue of £3.1bn in the half year, it said on Thursday."
    answer = {"subject": "revenue", "measure": "other", "place": None}
    claim = _one(fake_llm, text, "£3.1bn", answer)
    assert claim is not None and claim.measure == "revenue"
    # A weak word ("shares") names no measure on its own.
    answer = {"subject": "shares", "measure": "other", "place": None}
    text = "It spent £200m on shares of a rival last year."
    claim = _one(fake_llm, text, "£200m", answer)
    assert claim is not None and claim.measure == "other"


def test_a_figure_written_as_a_nouns_modifier_is_read_by_code() -> None:
    text = (
        "After a nine-day hearing, the court handed him a 12-year prison term. "
        "A 40-member crew worked through a 3-mile tailback."
    )
    read = _each(text, modifier_claim)
    hearing, term = read["nine-day"], read["12-year"]
    assert hearing is not None and (hearing.value, hearing.unit, hearing.subject) == (
        9,
        "days",
        "hearing",
    )
    assert hearing.measure == "other" and hearing.span.text == "nine-day hearing"
    assert term is not None and (term.measure, term.subject) == ("sentence", "prison term")
    assert read["40"] is None  # a plain count written so names a group
    tailback = read["3-mile"]
    assert tailback is not None and tailback.subject == "tailback"


def test_a_difference_is_no_count_of_its_own() -> None:
    got = _each(
        "The ruling bloc is projected to take 88 seats, only three more than it needs.", own_measure
    )
    assert got["three"] == "other"
    # a plain "more" counts another place's share ("and 38 more in the south")
    got = _each("Ninety people died in the north and 38 more in the south.", own_measure)
    assert got["38"] != "other"


def test_a_figure_with_no_noun_may_count_the_noun_of_the_sentence_before(
    fake_llm: Callable[..., LLM],
) -> None:
    text = "Exit polls gave the Greens 19 seats. The Liberals were on 12, the Left on 9."
    answer = {"subject": "seats", "measure": "other", "place": None}
    claim = _one(fake_llm, text, "12", answer)
    assert claim is not None and (claim.measure, claim.subject) == ("seats", "seats")
    # a figure with a noun of its own must name a noun of its own sentence
    text = "Exit polls gave the Greens 19 seats. The Liberals won 12 mandates."
    with pytest.raises(Exception, match="not in sentence"):
        _one(fake_llm, text, "12", answer)


def test_a_dateline_city_is_no_figures_place(fake_llm: Callable[..., LLM]) -> None:
    text = "NAIROBI, March 3 (Wire) - At least 14 people died when a bus overturned on Sunday."
    claim = _one(
        fake_llm, text, "14", {"subject": "people", "measure": "killed", "place": "NAIROBI"}
    )
    assert claim is not None and claim.place is None


def test_a_dateline_city_named_again_later_is_still_no_place_of_the_lede_figure(
    fake_llm: Callable[..., LLM],
) -> None:
    # "PLACE - text" with no date is a dateline too; the city named again further down (a
    # survivor's home) does not make it the place of the toll the first sentence gives for
    # the whole region.
    text = (
        "ANTAKYA - The death toll from southern Turkey's floods rose to at least 31 people on "
        "Monday, officials said.\n\nA baker who lost his shop in Antakya said the water rose "
        "in minutes."
    )
    claim = _one(
        fake_llm, text, "31", {"subject": "people", "measure": "killed", "place": "Antakya"}
    )
    assert claim is not None and claim.place is None


def test_the_place_of_what_a_relative_clause_tells_of_is_the_figures(
    fake_llm: Callable[..., LLM],
) -> None:
    # The dateline names the country too; the figure's own place is the quake's.
    text = (
        "ERCIS, Turkey \u2014 Rescuers dug through rubble for survivors of a powerful earthquake "
        "in eastern Turkey that officials said killed 217 people."
    )
    claim = _one(
        fake_llm, text, "217", {"subject": "people", "measure": "killed", "place": "eastern Turkey"}
    )
    assert claim is not None and claim.place == "eastern Turkey"


def test_a_number_written_with_its_unit_in_one_word_is_in_its_span() -> None:
    from claimcheck.extract.grounding import number_in_span

    ctx = _ctx("After a nine-day hearing the court rose.")
    [figure] = ctx.numbers
    claim = modifier_claim(ctx, figure)
    assert claim is not None and number_in_span(claim, ctx.article)


def test_a_groups_size_a_threshold_and_counted_events_are_no_result() -> None:
    got = _each(
        "Her party took 51 seats in the 101-member chamber, two short of the 53 seats needed "
        "to govern. It was the worst night since 1990, when three elections in a row went "
        "against it.",
        own_measure,
    )
    assert got["101"] == "other"  # the chamber's size in its name
    assert got["53"] == "other"  # a threshold
    assert got["three"] == "other"  # the elections themselves are counted
    assert got["51"] == "seats"  # the result itself


def test_a_ceiling_and_above_are_hedges() -> None:
    ctx = _ctx("The charge carries a ceiling of 15 years; estimates ran above 200 pages.")
    assert [n.qualifier.value for n in ctx.numbers] == ["at_most", "more_than"]


def test_a_place_counts_only_in_the_figures_own_clause() -> None:
    def placed(text: str, figure: str, place: str) -> bool:
        ctx = _ctx(text)
        [n] = [n for n in ctx.numbers if n.text == figure]
        return place_in_clause(ctx, n, place)

    struck = "At least 60 people died when the cyclone struck the coast of Rakhine in Myanmar."
    assert not placed(struck, "60", "Rakhine")  # where the cyclone struck, not the dead
    split = "Sittwe counted 31 deaths, while Kyaukpyu recorded 12 deaths."
    assert placed(split, "31", "Sittwe") and not placed(split, "31", "Kyaukpyu")
    assert placed(split, "12", "Kyaukpyu")
    opening = "In Sittwe, four people died and 20 others were hurt when the roof gave way."
    assert placed(opening, "20", "Sittwe")  # the opening phrase covers both verbs
    said = "Officials in Sittwe said three people were killed."
    assert placed(said, "three", "Sittwe")  # the speaker's place
    assert not placed("Nine people were hurt, the minister said.", "Nine", "Yangon")


def test_a_difference_or_threshold_carries_its_words_in_its_subject(
    fake_llm: Callable[..., LLM],
) -> None:
    text = "The ruling bloc holds 88 seats, five short of the 93 seats needed to govern."
    claim = _one(fake_llm, text, "93", {"subject": "seats", "measure": "seats", "place": None})
    assert claim is not None and (claim.measure, claim.subject) == ("other", "seats needed")


def test_a_market_move_keeps_the_session_it_was_stated_for(fake_llm: Callable[..., LLM]) -> None:
    text = (
        "Shares of the brewer slid 2.7% in after-hours trade. Its stock closed 1.2% higher "
        "on the day."
    )
    sessions = _each(text, session_of)
    assert sessions == {"2.7%": "after-hours trade", "1.2%": None}
    # the model's "place" for it is the session: when, not where
    answer = {"subject": "shares", "measure": "change", "place": "after-hours trade"}
    claim = _one(fake_llm, text, "2.7%", answer)
    assert claim is not None and (claim.place, claim.time) == (None, "after-hours trade")


def test_a_company_figure_for_the_whole_year_keeps_its_period() -> None:
    """A brewer's fourth-quarter report gives the year's profit too: the year's figure is
    kept apart from the quarter's, and a figure of another dated year is no period."""
    text = (
        "Quarterly net income was $410 million. Net income climbed 8% to $1.9 billion during "
        "the year, and revenue reached $12.4 billion for the full year. Sales were $3.1 "
        "billion in the quarter. Exports rose 9% year over year, and a further 3% is "
        "expected next year."
    )
    got = _each(text, period_of)
    assert got["$410 million"] is None and got["$3.1 billion"] is None
    assert got["9%"] is None and got["3%"] is None  # a comparison, another year
    assert got["$1.9 billion"] == got["$12.4 billion"] == "the full year"


def test_a_company_figure_whose_noun_says_the_whole_year_keeps_its_period() -> None:
    """An airline's results: "full-year" or "annual" on the noun a figure counts makes it
    the year's figure; the quarter's and a year-on-year move stay the day's."""
    text = (
        "Full-year revenue rose 11% to $41.2 billion, the carrier said. It posted annual "
        "operating profit of $2.6 billion. Fourth-quarter revenue was $10.3 billion, up 4% "
        "year over year. Net income for the quarter was $610 million."
    )
    got = _each(text, period_of)
    assert got["11%"] == got["$41.2 billion"] == got["$2.6 billion"] == "the full year"
    assert got["$10.3 billion"] is None and got["4%"] is None and got["$610 million"] is None


def test_background_figures_are_not_asked_about() -> None:
    got = _each(
        "The Greens won 9 of the 60 seats in the regional assembly and kept 4 of their 6 seats "
        "in the capital; the Farmers took 12 of the chamber's 60 seats. The cyclone made "
        "landfall 80 km (50 miles) south of the port and cost the economy $2.1bn (£1.6bn). "
        "The province's 400,000 residents were told to leave, and a town of 9,000 people was "
        "cut off. It was the worst storm since 1999, when two cyclones killed 10,000 people.",
        background,
    )
    # the pool holders' seats come from: a chamber's size, a holder's old total
    assert got["60"] == "pool" and got["6"] == "pool"
    assert [got[f] for f in ("9", "4", "12")] == [None, None, None]
    # the bracketed conversion of the figure before it
    assert (got["50 miles"], got["£1.6bn"]) == ("restatement", "restatement")
    assert (got["80 km"], got["$2.1bn"]) == (None, None)
    # the people a place owns
    assert (got["400,000"], got["9,000"]) == ("population", "population")
    # events counted at another time; the toll of that time is still a figure (dated 1999)
    assert got["two"] == "recalled events"
    assert got["10,000"] is None


def test_a_count_of_a_places_people_that_names_a_measure_is_no_population() -> None:
    got = _each("The village's 14 people killed in the flood were buried on Sunday.", background)
    assert got["14"] is None


def test_a_holders_part_of_a_pool_counts_the_pools_noun() -> None:
    got = _each(
        "Official results gave the Farmers 41,230 votes and 12 of the 60 seats in the chamber.",
        own_measure,
    )
    assert got["12"] == "seats"


def test_a_percentage_more_than_a_base_is_a_change() -> None:
    got = _each("The airline reported sales of £3.1bn, 12% more than a year earlier.", own_measure)
    assert got["12%"] == "change"


def test_the_predicate_of_a_figures_noun_beats_a_word_that_only_says_who_they_were() -> None:
    got = _each(
        "All 19 people on board were confirmed dead, and a charter carrying 30 people landed.",
        own_measure,
    )
    assert got["19"] == "killed"
    assert got["30"] != "killed"


def test_verbs_that_put_a_floor_under_a_figure_are_hedges() -> None:
    ctx = _ctx("Operating profit topped £1.2bn, and orders exceeded 4,000 for the year.")
    assert [n.qualifier.value for n in ctx.numbers] == ["more_than", "more_than"]


def test_money_earned_per_share_is_profit_and_a_price_per_share_is_not() -> None:
    got = _each(
        "The brewer earned $0.45 per share. It agreed to sell the unit priced at $12 per share.",
        own_measure,
    )
    assert got["$0.45"] == "profit"
    assert got["$12"] != "profit"  # "per share" alone says neither: the model is asked


def test_a_decimal_whose_measure_the_sentence_before_names_is_that_measure(
    fake_llm: Callable[..., LLM],
) -> None:
    text = (
        "The national observatory put the magnitude of the tremor at 5.9. A second agency "
        "measured it at 6.1."
    )
    answer = {"subject": "tremor", "measure": "other", "place": None}
    claim = _one(fake_llm, text, "6.1", answer)
    assert claim is not None and (claim.measure, claim.unit) == ("magnitude", "magnitude")


def test_a_figure_whose_verb_is_dated_to_another_year_is_that_years() -> None:
    text = (
        "---\npublished: 2015-05-08\n---\nThe party won 56 seats on Thursday. In 2010 the "
        "party won six seats."
    )
    ctx = ArticleContext.of(parse_article(text, article_id="y"))
    times = {n.text: other_time(ctx, n) for n in ctx.numbers}
    assert times == {"56": None, "six": "In 2010"}


def test_a_record_figure_dated_to_another_year_in_its_clause_is_that_years() -> None:
    """A wildfire report recalls the state's deadliest fire: its toll, dated to another
    year after the figure, is that year's; a date of the days just before publication, even
    in the year before, is the event's own."""
    text = (
        "---\npublished: 2021-08-10\n---\nThe blaze has killed 9 people. The state's "
        "deadliest fire, the Camp Fire, left more than 80 people dead across Butte County in "
        "November 2018. Crews had saved 40 homes by August 8, 2021."
    )
    ctx = ArticleContext.of(parse_article(text, article_id="y"))
    times = {n.text: other_time(ctx, n) for n in ctx.numbers}
    assert times == {"9": None, "80": "in November 2018", "40": None}
    # a year the figure is measured from is no time of its own
    text = (
        "---\npublished: 2024-07-25\n---\nThe brewer's profit rose 9% on the same period of "
        "2023, and sales were 4% higher than in 2022."
    )
    ctx = ArticleContext.of(parse_article(text, article_id="w"))
    assert [other_time(ctx, n) for n in ctx.numbers] == [None, None]
    text = (
        "---\npublished: 2024-01-02\n---\nFloods displaced 3,000 people on December 30, "
        "2023, officials said."
    )
    ctx = ArticleContext.of(parse_article(text, article_id="z"))
    assert [other_time(ctx, n) for n in ctx.numbers] == [None]


def test_a_measure_only_a_weak_word_off_the_figures_way_bears_is_other(
    fake_llm: Callable[..., LLM],
) -> None:
    # "used" is a weak word of "launched"; it belongs to another clause
    text = "The court heard that the gang forced three men, one of whom used a false name, to work."
    answer = {"subject": "men", "measure": "launched", "place": None}
    claim = _one(fake_llm, text, "three", answer)
    assert claim is not None and claim.measure == "other"
    # on the figure's own way to its verb the weak word still bears it
    text = "The rebels sent 40 drones towards the border overnight."
    claim = _one(fake_llm, text, "40", {"subject": "drones", "measure": "launched", "place": None})
    assert claim is not None and claim.measure == "launched"
