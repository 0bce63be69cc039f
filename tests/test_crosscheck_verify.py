"""Verify before accusing, and the readings code decides: each failure class seen on real
coverage (issue 22), written as a test on another story.

Classes: a figure of another scope or kind pooled with a toll (a part, a forecast, one
person's case, the dead aboard against the dead on the ground); a quote's speaker misread;
a finding resting on readings nobody could check; one event's coverage cut by its kind,
its places or its days.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
import time
from collections.abc import Callable
from typing import Any

from test_crosscheck import make_item

from claimcheck.crosscheck import cross_check
from claimcheck.crosscheck.events import group_events
from claimcheck.errors import BackendError
from claimcheck.llm import LLM, Completion, CompletionRequest
from claimcheck.llm.backends.fake import FakeBackend
from claimcheck.models import ArticleClaims, FindingKind, Severity
from claimcheck.pipeline import compare

DAY = dt.date(2024, 8, 12)


def killed(span: str, value: float, qualifier: str = "exact", **extra: Any) -> dict[str, Any]:
    return {
        "type": "quantity",
        "span": span,
        "value": value,
        "qualifier": qualifier,
        "subject": "people",
        "measure": "killed",
        **extra,
    }


def wildfire(article_id: str, text: str, claims: list[dict[str, Any]]) -> ArticleClaims:
    return make_item(
        article_id, text, claims, published=DAY, place="Evia", kind="wildfire", outlet=None
    )


def passage_of(request: CompletionRequest) -> str:
    text = request.messages[-1].content
    return text.split("<<<", 1)[1].split(">>>", 1)[0]


def figure_answers(verdicts: dict[str, str]) -> Callable[[CompletionRequest], str]:
    """A fake model that answers the figure question by the figure it is asked about."""

    def answer(request: CompletionRequest) -> str:
        assert request.schema_name == "FigureReading", request.schema_name
        asked = re.search(r'Does "([^"]+)" in this passage', request.messages[-1].content)
        assert asked is not None
        return json.dumps({"answer": verdicts.get(asked.group(1), "yes")})

    return answer


TOLL_A = "At least 30 people died in the fires on Evia, officials said."
TOLL_B = "Officials said 12 people died in the village of Limni."
TOLL_C = "The fires on Evia have killed 30 people, the fire service said."


def three_tolls() -> list[ArticleClaims]:
    return [
        wildfire("a", TOLL_A, [killed("At least 30 people", 30, "at_least")]),
        wildfire("b", TOLL_B, [killed("12 people", 12)]),
        wildfire("c", TOLL_C, [killed("30 people", 30)]),
    ]


def test_without_verification_a_part_read_as_the_toll_is_a_contradiction() -> None:
    result = cross_check(three_tolls())
    [finding] = [f for f in result.findings if f.kind is FindingKind.CONTRADICTION]
    # one day's running count told two ways: medium, never high (it may be an earlier figure)
    assert finding.severity is Severity.MEDIUM
    assert {e.article_id for e in finding.evidence} == {"a", "b"} or {
        e.article_id for e in finding.evidence
    } == {"a", "b", "c"}


def test_a_reading_that_fails_its_own_sentence_is_dropped_with_its_finding(
    fake_llm: Any,
) -> None:
    llm: LLM = fake_llm(figure_answers({"12 people": "no"}))
    result = cross_check(three_tolls(), llm=llm)
    assert not [f for f in result.findings if f.kind is FindingKind.CONTRADICTION]
    # Asked once per claim some finding rested on: the three figures, nothing else.
    assert result.verification_questions == 3
    assert llm.usage.calls == 3


def test_readings_that_hold_keep_the_finding_and_its_severity(fake_llm: Any) -> None:
    llm: LLM = fake_llm(figure_answers({}))
    result = cross_check(three_tolls(), llm=llm)
    [finding] = [f for f in result.findings if f.kind is FindingKind.CONTRADICTION]
    [unverified] = [f for f in cross_check(three_tolls()).findings if f.kind is finding.kind]
    assert finding.severity is unverified.severity is Severity.MEDIUM
    assert result.verification_questions == 3


def test_a_finding_lists_only_the_figures_that_held(fake_llm: Any) -> None:
    """Three outlets, one of whose figures counts something else: the finding that is left
    names the two that count the toll, never all three."""
    items = [
        wildfire(
            "a", "At least 30 people died on Evia.", [killed("At least 30 people", 30, "at_least")]
        ),
        wildfire("b", "Officials said 12 people died on Evia.", [killed("12 people", 12)]),
        wildfire("c", "Rescuers found 5 people dead on Evia.", [killed("5 people", 5)]),
    ]
    llm: LLM = fake_llm(figure_answers({"5 people": "no"}))
    result = cross_check(items, llm=llm)
    [finding] = [f for f in result.findings if f.kind is FindingKind.CONTRADICTION]
    assert {e.article_id for e in finding.evidence} == {"a", "b"}


def test_a_reading_the_model_cannot_check_earns_at_most_low(fake_llm: Any) -> None:
    llm: LLM = fake_llm(lambda request: "not json at all")
    result = cross_check(three_tolls(), llm=llm)
    [finding] = [f for f in result.findings if f.kind is FindingKind.CONTRADICTION]
    assert finding.severity is Severity.LOW


def test_a_forecast_is_never_compared_with_a_count() -> None:
    items = [
        wildfire(
            "a",
            "Officials warned the toll could rise to 60 as crews search the hills.",
            [killed("60", 60)],
        ),
        wildfire(
            "b",
            "At least 21 people have died on Evia.",
            [killed("At least 21 people", 21, "at_least")],
        ),
        wildfire("c", "The fires have killed 21 people.", [killed("21 people", 21)]),
    ]
    assert not [f for f in cross_check(items).findings if f.evidence[0].article_id == "a"]
    assert not [
        f for f in cross_check(items).findings if any(e.article_id == "a" for e in f.evidence)
    ]


def test_one_persons_case_is_not_a_toll() -> None:
    items = [
        wildfire(
            "a",
            "One firefighter died on Evia on Sunday.",
            [killed("One firefighter", 1, subject="firefighter")],
        ),
        wildfire(
            "b",
            "At least 21 people have died on Evia.",
            [killed("At least 21 people", 21, "at_least")],
        ),
    ]
    assert not [f for f in cross_check(items).findings if f.kind is FindingKind.CONTRADICTION]


def ferry(article_id: str, text: str, claims: list[dict[str, Any]]) -> ArticleClaims:
    return make_item(
        article_id, text, claims, published=DAY, place="Tanga", kind="sinking", outlet=None
    )


def test_the_dead_aboard_and_the_dead_ashore_are_two_counts_of_one_disaster() -> None:
    """A ferry that hit a jetty: 80 died aboard, 6 on the jetty. Neither is the other."""
    items = [
        ferry(
            "a",
            "All 80 passengers died when the ferry sank off Tanga.",
            [killed("80 passengers", 80)],
        ),
        ferry(
            "b",
            "Six people were killed on the ground at the jetty in Tanga.",
            [killed("Six people", 6)],
        ),
        ferry(
            "c",
            "Eight people were killed on the ground at the jetty in Tanga.",
            [killed("Eight people", 8)],
        ),
        ferry("d", "The ferry had 80 passengers aboard; all died.", [killed("80 passengers", 80)]),
    ]
    findings = cross_check(items).findings
    for f in findings:
        articles = {e.article_id for e in f.evidence}
        assert not ({"a", "d"} & articles and {"b", "c"} & articles), f.explanation
    # the two ground tolls of one day still contradict each other
    assert any(
        f.kind is FindingKind.CONTRADICTION and {e.article_id for e in f.evidence} == {"b", "c"}
        for f in findings
    )


def speaker_answers(request: CompletionRequest) -> str:
    """A fake model that reads the passage: the speaker is the name right before "said"."""
    if request.schema_name != "SpeakerReading":
        return json.dumps({"answer": "yes"})
    options: list[str] = request.json_schema["$defs"]["SpeakerOption"]["enum"]
    text = passage_of(request)
    for option in options:
        if re.search(rf"{re.escape(option.split()[-1])} said", text):
            return json.dumps({"speaker": option})
    return json.dumps({"speaker": options[-1]})


def test_a_speaker_misread_from_the_next_sentence_is_dropped(fake_llm: Any) -> None:
    quote = "We will rebuild every single home in this valley"
    a_text = f"“{quote},” Mayor Ana Lopez said on Monday. Governor Tom Reyes visited the valley."
    b_text = f"Governor Tom Reyes toured the valley. “{quote},” Lopez said after the visit."
    c_text = f"“{quote},” Mayor Ana Lopez told reporters."

    def quote_claim(text: str, speaker: str) -> dict[str, Any]:
        return {"type": "quote", "span": f"“{quote},”", "quote": quote, "speaker": speaker}

    items = [
        wildfire("a", a_text, [quote_claim(a_text, "Ana Lopez")]),
        wildfire("b", b_text, [quote_claim(b_text, "Tom Reyes")]),
        wildfire("c", c_text, [quote_claim(c_text, "Ana Lopez")]),
    ]
    without = [f for f in cross_check(items).findings if f.kind is FindingKind.MISATTRIBUTION]
    assert without and without[0].severity is Severity.HIGH
    llm: LLM = fake_llm(speaker_answers)
    result = cross_check(items, llm=llm)
    assert not [f for f in result.findings if f.kind is FindingKind.MISATTRIBUTION]


def test_a_title_and_its_place_glued_to_a_speaker_name_are_one_person() -> None:
    quote = "The bridge will reopen before the monsoon season begins"
    a_text = f"“{quote},” said Governor of New South Wales Margaret Beazley."
    b_text = f"“{quote},” Margaret Beazley said."
    items = [
        wildfire(
            "a",
            a_text,
            [
                {
                    "type": "quote",
                    "span": f"“{quote},”",
                    "quote": quote,
                    "speaker": "Wales Margaret Beazley",
                }
            ],
        ),
        wildfire(
            "b",
            b_text,
            [
                {
                    "type": "quote",
                    "span": f"“{quote},”",
                    "quote": quote,
                    "speaker": "Margaret Beazley",
                }
            ],
        ),
    ]
    assert not [f for f in cross_check(items).findings if f.kind is FindingKind.MISATTRIBUTION]


# --------------------------------------------------------------------------- grouping


def flood(article_id: str, text: str, *, day: dt.date, place: str, kind: str) -> ArticleClaims:
    return make_item(article_id, text, [], published=day, place=place, kind=kind)


def test_one_flood_reported_as_storm_and_flood_in_a_county_and_its_state_is_one_event() -> None:
    """Coverage of one disaster read as three kinds, three places and three days."""
    d0 = dt.date(2024, 9, 27)
    items = [
        flood(
            "a",
            "Hurricane Helene brought catastrophic flooding to Buncombe County, where "
            "Asheville officials said dozens were missing.",
            day=d0,
            place="Buncombe County",
            kind="storm",
        ),
        flood(
            "b",
            "Flooding from Helene swept through Asheville, North Carolina, and "
            "Buncombe County officials asked residents to stay home.",
            day=d0 + dt.timedelta(days=1),
            place="North Carolina",
            kind="flood",
        ),
        flood(
            "c",
            "The toll from Helene's floods in western North Carolina rose as crews reached "
            "Asheville and Buncombe County towns cut off for days.",
            day=d0 + dt.timedelta(days=3),
            place="Asheville",
            kind="flood",
        ),
    ]
    assert [tuple(g.event.article_ids) for g in group_events(items)] == [("a", "b", "c")]


def test_two_disasters_of_one_day_in_two_countries_stay_apart() -> None:
    d0 = dt.date(2024, 9, 27)
    a = flood(
        "a",
        "Floods in Kathmandu killed dozens as rivers burst their banks.",
        day=d0,
        place="Kathmandu",
        kind="flood",
    )
    b = flood(
        "b",
        "Hurricane Helene brought flooding to Asheville, North Carolina.",
        day=d0,
        place="Asheville",
        kind="storm",
    )
    assert len(group_events([a, b])) == 2


def test_a_company_report_covered_over_two_days_is_one_event() -> None:
    d0 = dt.date(2024, 10, 30)
    a = make_item(
        "a",
        "Alphabet reported third-quarter revenue of $88.3 billion on Tuesday, as Google "
        "Cloud sales jumped 35%.",
        [],
        published=d0,
        place="Mountain View",
        kind="company results",
    )
    b = make_item(
        "b",
        "Shares of Alphabet rose in New York trading after the Google parent's quarterly "
        "results beat forecasts.",
        [],
        published=d0 + dt.timedelta(days=1),
        place="New York",
        kind="company results",
    )
    assert [tuple(g.event.article_ids) for g in group_events([a, b])] == [("a", "b")]


def test_the_report_counts_the_verification_questions(fake_llm: Any) -> None:
    from claimcheck.pipeline import compare

    llm: LLM = fake_llm(figure_answers({}))
    report = compare(three_tolls(), llm=llm)
    assert report.verification_questions == 3
    assert report.crosscheck_usage.calls >= 3


def test_a_final_reported_from_the_venue_and_from_a_sides_home_is_one_event() -> None:
    day = dt.date(2023, 6, 10)
    a = make_item(
        "a",
        "Manchester City beat Inter Milan 1-0 in the Champions League final in Istanbul, "
        "Rodri scoring the only goal.",
        [],
        published=day,
        place="Istanbul",
        kind="match",
    )
    b = make_item(
        "b",
        "Fans in Manchester celebrated through the night after Rodri's goal against Inter "
        "Milan gave City the Champions League title.",
        [],
        published=day + dt.timedelta(days=1),
        place="Manchester",
        kind="match",
    )
    other = make_item(
        "c",
        "Real Madrid beat Dortmund 2-0 in London to win the title.",
        [],
        published=day,
        place="London",
        kind="match",
    )
    assert [g.event.article_ids for g in group_events([a, b])] == [("a", "b")]
    assert len(group_events([a, other])) == 2


def test_a_crash_covered_over_ten_days_is_one_event_through_its_flight_number() -> None:
    day = dt.date(2024, 12, 29)
    a = make_item(
        "a",
        "Jeju Air flight 7C2216 crashed on landing at Muan airport, killing 179 people.",
        [],
        published=day,
        place="Muan",
        kind="plane crash",
    )
    b = make_item(
        "b",
        "Investigators said the recorders of Flight 7C2216 stopped four minutes before "
        "the crash at Muan.",
        [],
        published=day + dt.timedelta(days=10),
        place="Seoul",
        kind="plane crash",
    )
    assert [g.event.article_ids for g in group_events([a, b])] == [("a", "b")]


def test_a_place_read_from_a_sentence_about_something_else_does_not_split_an_event() -> None:
    """One quake report's place was read from a line about a leader's trip abroad; what the
    reports share (the magnitude, the province, the day) still makes them one event."""
    day = dt.date(2025, 2, 3)
    magnitude = {
        "type": "quantity",
        "span": "magnitude 6.4",
        "value": 6.4,
        "subject": "magnitude",
        "measure": "magnitude",
    }
    a = make_item(
        "a",
        "A magnitude 6.4 earthquake struck Sagaing on Monday, toppling homes.",
        [magnitude],
        published=day,
        place="Sagaing",
        kind="earthquake",
    )
    b = make_item(
        "b",
        "The magnitude 6.4 quake in Sagaing came as the army chief was in Moscow for talks.",
        [magnitude],
        published=day,
        place="Moscow",
        kind="earthquake",
    )
    assert [g.event.article_ids for g in group_events([a, b])] == [("a", "b")]


def test_figures_many_times_apart_are_a_low_note_never_a_high_contradiction() -> None:
    """A toll of one village beside the national one, both read as "people killed": what
    each counts cannot be read with confidence, so it is a low discrepancy to check."""
    items = [
        wildfire("a", "Officials said 4 people died on Evia.", [killed("4 people", 4)]),
        wildfire("b", "The fires have killed 57 people on Evia.", [killed("57 people", 57)]),
        wildfire("c", "The fires have killed 61 people on Evia.", [killed("61 people", 61)]),
    ]
    findings = cross_check(items).findings
    far = [f for f in findings if "a" in {e.article_id for e in f.evidence}]
    assert [(f.kind, f.severity) for f in far] == [(FindingKind.DISCREPANCY, Severity.LOW)]
    # 57 against 61 on one day still contradicts
    assert any(
        f.kind is FindingKind.CONTRADICTION and {e.article_id for e in f.evidence} == {"b", "c"}
        for f in findings
    )


def test_two_strikes_of_one_night_in_two_cities_stay_apart_though_a_minister_speaks_on_both() -> (
    None
):
    """Related kinds and places weigh instead of vetoing; that must not join two cities'
    strikes of one night, whose reports share a national minister and an injured count."""
    text = "{n} people were hurt when drones struck {city}. Foreign Minister Ana Ruiz spoke."

    def strike(article_id: str, city: str) -> ArticleClaims:
        body = text.format(n=35, city=city)
        hurt = {
            "type": "quantity",
            "span": "35 people",
            "value": 35,
            "subject": "people",
            "measure": "injured",
            "place": city,
        }
        return make_item(article_id, body, [hurt], published=DAY, place=city, kind="drone attack")

    assert len(group_events([strike("a", "Lviv"), strike("b", "Kharkiv")])) == 2


def mine(article_id: str, text: str, claims: list[dict[str, Any]]) -> ArticleClaims:
    return make_item(
        article_id, text, claims, published=DAY, place="Kolwezi", kind="building collapse"
    )


def test_a_toll_an_article_itself_gives_as_updated_is_an_update_not_a_contradiction() -> None:
    items = [
        mine("a", "Officials said 32 miners died.", [killed("32 miners", 32, subject="miners")]),
        mine(
            "b",
            "The toll rose to 61 miners, up from 32 announced in the morning.",
            [killed("61 miners", 61, subject="miners"), killed("32", 32, subject="miners")],
        ),
        mine(
            "c",
            "At least 61 miners were killed.",
            [killed("At least 61 miners", 61, "at_least", subject="miners")],
        ),
    ]
    findings = [f for f in cross_check(items).findings if f.severity is not Severity.INFO]
    assert [(f.kind, f.severity) for f in findings] == [(FindingKind.DISCREPANCY, Severity.LOW)]
    assert "updated" in findings[0].explanation


def injured_at(span: str, value: float, **extra: Any) -> dict[str, Any]:
    return {
        "type": "quantity",
        "span": span,
        "value": value,
        "subject": "people",
        "measure": "injured",
        **extra,
    }


def test_the_seriously_injured_are_never_pooled_with_all_injured() -> None:
    items = [
        mine(
            "a",
            "In all 480 people were injured, 60 of them seriously.",
            [injured_at("480 people", 480), injured_at("60", 60)],
        ),
        mine("b", "Some 75 people were seriously injured.", [injured_at("75 people", 75)]),
        mine("c", "The collapse injured 480 people.", [injured_at("480 people", 480)]),
    ]
    for f in cross_check(items).findings:
        values = {(e.says or "").split()[0] for e in f.evidence}
        assert not ({"480"} & values and values & {"60", "75"}), f.explanation
    # 60 against 75 seriously injured, one day: still compared
    assert any(
        {e.article_id for e in f.evidence} == {"a", "b"} for f in cross_check(items).findings
    )


def test_the_dead_identified_so_far_are_never_pooled_with_the_toll() -> None:
    """Bodies identified (or handed to families) are some of the dead, counted apart: 31
    identified beside a toll of 54 is no contradiction, two tallies of identified are."""

    def sinking(article_id: str, text: str, claims: list[dict[str, Any]]) -> ArticleClaims:
        return make_item(article_id, text, claims, published=DAY, place="Mwanza", kind="ferry")

    items = [
        sinking("a", "The ferry sinking killed 54 people.", [killed("54 people", 54)]),
        sinking(
            "b",
            "Police said 31 victims had been identified so far.",
            [killed("31 victims", 31, subject="victims")],
        ),
        sinking("c", "Officials said 54 people died.", [killed("54 people", 54)]),
        sinking(
            "d",
            "By the evening 36 victims had been identified.",
            [killed("36 victims", 36, subject="victims")],
        ),
    ]
    findings = [f for f in cross_check(items).findings if f.severity is not Severity.INFO]
    for f in findings:
        values = {(e.says or "").split()[0] for e in f.evidence}
        assert not ({"54"} & values and values & {"31", "36"}), f.explanation
    assert [{e.article_id for e in f.evidence} for f in findings] == [{"b", "d"}]


def test_a_figure_per_share_is_never_pooled_with_a_total() -> None:
    day = dt.date(2024, 10, 30)

    def results(article_id: str, text: str, claims: list[dict[str, Any]]) -> ArticleClaims:
        return make_item(
            article_id, text, claims, published=day, place=None, kind="company results"
        )

    profit = {"type": "quantity", "subject": "profit", "measure": "profit", "unit": "USD"}
    items = [
        results(
            "a",
            "Net income was $26.3 billion, or $2.12 a share.",
            [
                {**profit, "span": "$26.3 billion", "value": 26.3e9},
                {**profit, "span": "$2.12", "value": 2.12},
            ],
        ),
        results(
            "b",
            "Alphabet earned $26.3 billion in the quarter.",
            [{**profit, "span": "$26.3 billion", "value": 26.3e9}],
        ),
        results(
            "c", "Profit came to $2.12 per share.", [{**profit, "span": "$2.12", "value": 2.12}]
        ),
    ]
    assert not [f for f in cross_check(items).findings if f.severity is not Severity.INFO]


def test_a_sentence_sought_or_faced_is_not_the_sentence_imposed() -> None:
    day = dt.date(2024, 3, 28)

    def court(article_id: str, text: str, claims: list[dict[str, Any]]) -> ArticleClaims:
        return make_item(
            article_id, text, claims, published=day, place="Manhattan", kind="sentencing"
        )

    years = {"type": "quantity", "subject": "years", "measure": "sentence", "unit": "years"}
    items = [
        court(
            "a",
            "Judge Reyes sentenced him to 12 years; prosecutors had sought 30 years.",
            [
                {**years, "span": "12 years", "value": 12},
                {**years, "span": "30 years", "value": 30},
            ],
        ),
        court(
            "b",
            "He was sentenced to 12 years. He faced a maximum of 40 years.",
            [
                {**years, "span": "12 years", "value": 12},
                {**years, "span": "40 years", "value": 40},
            ],
        ),
    ]
    assert not [f for f in cross_check(items).findings if f.severity is not Severity.INFO]


def test_a_part_of_a_stated_whole_keeps_its_place_in_the_event() -> None:
    """ "All but two of the 146 on board died": the phrase after "of the 146" still says
    where the 144 died, so they never join the toll on the ground."""
    items = [
        ferry("a", "Six people were killed on the ground at the jetty.", [killed("Six people", 6)]),
        ferry("b", "Some 144 of the 146 people on board were killed.", [killed("144", 144)]),
        ferry(
            "c", "Seven people were killed on the ground at the jetty.", [killed("Seven people", 7)]
        ),
    ]
    for f in cross_check(items).findings:
        assert "b" not in {e.article_id for e in f.evidence}, f.explanation


# --------------------------------------------------------------------------- events at once

FIRES = [
    ("Evia", dt.date(2024, 8, 12)),
    ("Maui", dt.date(2023, 8, 10)),
    ("Alberta", dt.date(2023, 5, 10)),
    ("Valparaiso", dt.date(2024, 2, 3)),
]


def four_fires() -> list[ArticleClaims]:
    """Four wildfires months apart, each told by two outlets with different tolls."""
    items = []
    for n, (place, day) in enumerate(FIRES):
        for letter, toll in (("a", 10 + n), ("b", 20 + n)):
            text = f"The wildfire on {place} has killed {toll} people, officials said."
            items.append(
                make_item(
                    f"{place.lower()}-{letter}",
                    text,
                    [killed(f"{toll} people", toll)],
                    published=day,
                    place=place,
                    kind="wildfire",
                )
            )
    return items


class SlowYes(FakeBackend):
    """Answers "yes" after a pause taken outside the fake's lock, and keeps the most
    requests it ever had in flight at once."""

    def __init__(self) -> None:
        super().__init__(lambda _request: json.dumps({"answer": "yes"}))
        self._count = threading.Lock()
        self.now = self.most = 0

    def complete(self, request: CompletionRequest) -> Completion:
        with self._count:
            self.now += 1
            self.most = max(self.most, self.now)
        time.sleep(0.2)
        with self._count:
            self.now -= 1
        return super().complete(request)


def test_events_ask_their_questions_at_once_and_find_the_same() -> None:
    """A slow answer in one event no longer holds up every other event's questions: with
    concurrency, questions of several events are in flight together, and the findings are
    the same as one event at a time."""
    one, four = SlowYes(), SlowYes()
    serial = cross_check(four_fires(), llm=LLM(one))
    together = cross_check(four_fires(), llm=LLM(four), concurrency=4)
    assert one.most == 1 and four.most > 1
    assert len(serial.events) == 4
    assert together.findings == serial.findings
    assert together.verification_questions == serial.verification_questions == 8


def test_a_failed_question_in_any_event_is_reported_when_events_run_at_once(
    fake_llm: Any,
) -> None:
    """The failures the report names are collected from every worker, not only the caller's
    thread: one event's endpoint error is counted, and its finding stays at most low."""

    def fail_on_maui(request: CompletionRequest) -> str:
        if "Maui" in request.messages[-1].content:
            raise BackendError("the endpoint answered 503 Service Unavailable")
        return json.dumps({"answer": "yes"})

    llm: LLM = fake_llm(fail_on_maui)
    report = compare(four_fires(), llm=llm, concurrency=4)
    [error] = report.errors
    assert error.stage == "crosscheck" and "2 questions" in error.message
    maui = [f for f in report.findings if any(e.article_id.startswith("maui") for e in f.evidence)]
    assert maui and all(f.severity.rank <= Severity.LOW.rank for f in maui)
    others = [f for f in report.findings if f not in maui and f.kind is FindingKind.CONTRADICTION]
    assert len(others) == 3 and all(f.severity is Severity.MEDIUM for f in others)


def test_a_follow_up_arrest_is_never_the_event_the_dead_are_counted_in(fake_llm: Any) -> None:
    """A stadium stand collapses; two of three reports lead on the arrests that followed.
    The event is the collapse, and no figure question asks for the dead "in the arrest"."""
    asked: list[str] = []

    def answer(request: CompletionRequest) -> str:
        asked.append(request.messages[-1].content)
        return json.dumps({"answer": "yes"})

    def report(aid: str, text: str, claim: dict[str, Any], kind: str | None) -> ArticleClaims:
        return make_item(aid, text, [claim], published=DAY, place="Kumasi", kind=kind)

    items = [
        report(
            "a",
            "A stand collapsed at the stadium in Kumasi; 41 people died.",
            killed("41 people", 41),
            "building collapse",
        ),
        report(
            "b",
            "Police arrested four officials after 47 people died in Kumasi.",
            killed("47 people", 47),
            "arrest",
        ),
        report(
            "c",
            "Four stadium officials were arrested in Kumasi; 41 people died.",
            killed("41 people", 41),
            "arrest",
        ),
    ]
    (group,) = group_events(items)
    assert group.event.kind == "building collapse"
    cross_check(items, llm=fake_llm(answer))
    assert asked and all("in the building collapse" in q for q in asked)
    # every report named only the arrest: the question names no kind of event
    asked.clear()
    only_arrests = [items[1], items[2]]
    (group,) = group_events(only_arrests)
    assert group.event.kind == "arrest"
    cross_check(only_arrests, llm=fake_llm(answer))
    assert asked and all("killed in the event" in q for q in asked)
