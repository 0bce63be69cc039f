"""Quantities: measure keys keep different things apart; intervals decide the kind."""

from __future__ import annotations

import datetime as dt
from typing import Any

from test_crosscheck import injured, make_item

from claimcheck.crosscheck.events import group_events
from claimcheck.crosscheck.quantities import compare_quantities, measure_key, subject_key
from claimcheck.models import ArticleClaims, FindingKind, QuantityClaim, Severity


def findings_for(*items: ArticleClaims) -> list[Any]:
    (group,) = group_events(list(items))
    return compare_quantities(group)


def one(article_id: str, text: str, span: str, value: float, q: str = "exact", **kw: Any) -> Any:
    return make_item(article_id, text, [injured(span, value, q, **kw)])


def claim_of(item: ArticleClaims) -> QuantityClaim:
    claim = item.claims[0]
    assert isinstance(claim, QuantityClaim)
    return claim


def test_disjoint_intervals_are_a_contradiction() -> None:
    a = one("a", "At least four people were hurt.", "At least four people", 4, "at_least")
    b = one("b", "Two people were hurt.", "Two people", 2)
    (finding,) = findings_for(a, b)
    assert finding.kind is FindingKind.CONTRADICTION
    # a running count on one day: medium (one may be the earlier figure), never high
    assert finding.severity is Severity.MEDIUM
    assert finding.subject == "people injured"
    assert "at least 4" in finding.explanation and "says 2" in finding.explanation


def test_compatible_lower_bounds_are_a_discrepancy() -> None:
    a = one("a", "At least 14 people were hurt.", "At least 14 people", 14, "at_least")
    b = one("b", "At least 23 people were hurt.", "At least 23 people", 23, "at_least")
    (finding,) = findings_for(a, b)
    assert finding.kind is FindingKind.DISCREPANCY
    assert finding.severity is Severity.LOW
    assert "updated" in finding.explanation


def test_equal_figures_give_nothing() -> None:
    a = one("a", "Around 20 people were hurt.", "Around 20 people", 20, "about")
    b = one("b", "About 20 people were hurt.", "About 20 people", 20, "about")
    assert findings_for(a, b) == []


def test_an_approximate_figure_covers_a_close_exact_one() -> None:
    a = one("a", "About 20 people were hurt.", "About 20 people", 20, "about")
    b = one("b", "22 people were hurt.", "22 people", 22)
    assert findings_for(a, b) == []


def test_a_round_lower_bound_covers_a_sharper_figure() -> None:
    a = one("a", "More than 500 people were hurt.", "More than 500 people", 500, "more_than")
    b = one("b", "550 people were hurt.", "550 people", 550)
    assert findings_for(a, b) == []


def test_different_places_are_different_measures() -> None:
    kyiv = one("a", "At least 20 people were hurt.", "At least 20 people", 20, "at_least")
    ternopil = one("b", "Two people were hurt in Ternopil.", "Two people", 2, place="Ternopil")
    assert findings_for(kyiv, ternopil) == []


def test_nationwide_and_city_figures_are_different_measures() -> None:
    city = one("a", "Two people were hurt.", "Two people", 2)
    nation = one("b", "Forty people were hurt.", "Forty people", 40, place=None, scope="country")
    assert findings_for(city, nation) == []


def test_hospitalised_is_not_injured() -> None:
    a = one("a", "Two people were hurt.", "Two people", 2)
    b = one("b", "Forty people were in hospital.", "Forty people", 40, measure="hospitalised")
    assert findings_for(a, b) == []


def test_figures_within_one_article_are_not_compared() -> None:
    text = "At first 14 people were hurt; later 2 people were hurt."
    item = make_item("a", text, [injured("14 people", 14), injured("2 people", 2)])
    other = one("b", "Cars burned.", "Cars", 3, subject="cars", measure="damaged")
    assert findings_for(item, other) == []


def test_subject_key_folds_adjectives_and_plurals() -> None:
    assert subject_key("Russian drones") == subject_key("drone")
    assert subject_key("persons") == subject_key("people")
    assert subject_key("ballistic missiles") != subject_key("missiles")
    assert subject_key("emergency workers") != subject_key("people")
    # A casualty figure's own noun names the people it counts.
    assert {subject_key(s) for s in ("deaths", "dead", "victims", "fatalities")} == {"people"}
    assert subject_key("women") != subject_key("people")


def test_a_measure_with_one_figure_per_event_is_compared_wherever_it_is_placed() -> None:
    def quake(aid: str, span: str, value: float, place: str | None) -> ArticleClaims:
        figure = _figure(span, value, "magnitude", "magnitude") | {"place": place}
        return make_item(aid, f"A quake of {span} struck.", [figure])

    a = quake("a", "magnitude 6.9", 6.9, "Lombok")
    b = quake("b", "magnitude 6.4", 6.4, "Indonesia")
    (finding,) = findings_for(a, b)
    assert finding.kind is FindingKind.CONTRADICTION
    # A measure without the flag keeps its places apart.
    assert measure_key(claim_of(one("c", "Two hurt.", "Two", 2, place="Lombok")), "Lombok") != (
        measure_key(claim_of(one("d", "Two hurt.", "Two", 2, place="Indonesia")), "Lombok")
    )


def test_measure_key_defaults_to_the_event_place() -> None:
    no_place = one("a", "Two people were hurt.", "Two people", 2, place=None, scope="unknown")
    kyiv = one("b", "Two people were hurt.", "Two people", 2)
    assert measure_key(claim_of(no_place), "Kyiv") == measure_key(claim_of(kyiv), "Kyiv")
    region = one("c", "Two people were hurt.", "Two people", 2, place="Kyiv region")
    assert measure_key(claim_of(region), "Kyiv") != measure_key(claim_of(kyiv), "Kyiv")


def test_majority_is_suggested_for_a_contradiction() -> None:
    a = one("a", "At least four people died.", "At least four people", 4, "at_least")
    b = one("b", "At least four people died.", "At least four people", 4, "at_least")
    c = one("c", "Two people died.", "Two people", 2)
    (finding,) = findings_for(a, b, c)
    assert finding.suggestion is not None and finding.suggestion.startswith("Most sources (2 of 3)")
    assert {e.article_id for e in finding.evidence} == {"a", "b", "c"}


def _figure(span: str, value: float, measure: str, unit: str | None, q: str = "exact") -> Any:
    return {
        "type": "quantity",
        "span": span,
        "value": value,
        "qualifier": q,
        "subject": "thing",
        "measure": measure,
        "unit": unit,
        "place": "Kyiv",
        "scope": "city",
    }


def _pair(
    a: tuple[str, float, str | None, str], b: tuple[str, float, str | None, str], measure: str
) -> list[Any]:
    items = [
        make_item(aid, f"It was {span}.", [_figure(span, value, measure, unit, q)])
        for aid, (span, value, unit, q) in (("a", a), ("b", b))
    ]
    return findings_for(*items)


def test_stated_precision_lets_rounded_figures_agree() -> None:
    assert (
        _pair(
            ("$95 billion", 95e9, "USD", "exact"),
            ("$94.9 billion", 94.9e9, "USD", "exact"),
            "revenue",
        )
        == []
    )
    assert (
        _pair(("52%", 52, "percent", "exact"), ("52.3%", 52.3, "percent", "exact"), "vote_share")
        == []
    )


def test_an_approximate_distance_differs_from_a_far_exact_one() -> None:
    (finding,) = _pair(
        ("1,000 km", 1000, "km", "about"), ("1,330 km", 1330, "km", "exact"), "distance"
    )
    assert finding.kind is FindingKind.CONTRADICTION
    assert finding.severity is Severity.MEDIUM  # not a casualty measure


def test_units_of_one_kind_are_converted_and_other_kinds_never_meet() -> None:
    assert _pair(("625 feet", 625, "ft", "exact"), ("190 m", 190.5, "m", "exact"), "altitude") == []
    (finding,) = _pair(("625 feet", 625, "ft", "exact"), ("625 m", 625, "m", "exact"), "altitude")
    assert finding.kind is FindingKind.CONTRADICTION
    # different currencies, or a count against money, are never compared
    assert _pair(("$5bn", 5e9, "USD", "exact"), ("£5bn", 5e9, "GBP", "exact"), "revenue") == []


def test_an_other_measure_compares_only_in_the_same_unit() -> None:
    assert _pair(("40 km", 40, "km", "exact"), ("40 miles", 40, "mi", "exact"), "other") == []


def test_a_figure_placed_at_another_time_is_not_compared() -> None:
    a = make_item("a", "Russia launched 479 drones.", [_launched("479 drones", 479)])
    b = make_item(
        "b",
        "That was up from 537 drones last Saturday.",
        [_launched("537 drones", 537, time="up from")],
    )
    c = make_item(
        "c", "In June 5,000 drones were sent.", [_launched("5,000 drones", 5000, time="in June")]
    )
    assert findings_for(a, b, c) == []


def _launched(span: str, value: float, **extra: Any) -> dict[str, Any]:
    return {**_figure(span, value, "launched", None), "subject": "drones", **extra}


def test_a_toll_that_changes_between_days_is_an_update() -> None:
    import datetime as dt

    day1, day2 = dt.date(2025, 3, 29), dt.date(2025, 4, 3)
    a = make_item(
        "a",
        "The quake killed 1,644 people.",
        [_killed("1,644 people", 1644)],
        published=day1,
        event_date=day1,
    )
    b = make_item(
        "b",
        "The quake killed 3,145 people.",
        [_killed("3,145 people", 3145)],
        published=day2,
        event_date=day1,
    )
    (finding,) = findings_for(a, b)
    assert finding.kind is FindingKind.DISCREPANCY and finding.severity is Severity.LOW
    assert "rose from 1,644 on 29 March to 3,145 on 3 April" in finding.explanation


def test_different_tolls_on_the_same_day_stay_a_contradiction_of_medium_severity() -> None:
    """A toll is revised through the day: two outlets' figures of one day cannot both be
    current, which an editor must settle, but one may be the earlier count, so no alarm."""
    a = make_item("a", "Crowds: 29 people died on the ground.", [_killed("29 people", 29)])
    b = make_item("b", "Crowds: 33 people died on the ground.", [_killed("33 people", 33)])
    (finding,) = findings_for(a, b)
    assert finding.kind is FindingKind.CONTRADICTION and finding.severity is Severity.MEDIUM
    assert "running count" in finding.explanation
    assert [e.claim_id for e in finding.evidence] == ["a:1", "b:1"]


def _killed(span: str, value: float) -> dict[str, Any]:
    return {**_figure(span, value, "killed", None), "subject": "people"}


def test_a_same_day_conflict_and_a_later_update_are_told_apart() -> None:
    import datetime as dt

    day1, day2 = dt.date(2025, 6, 12), dt.date(2025, 6, 13)

    def item(aid: str, value: int, day: dt.date) -> ArticleClaims:
        span = f"{value} people"
        return make_item(
            aid,
            f"On the ground {span} died.",
            [_killed(span, value)],
            published=day,
            event_date=day1,
        )

    found = findings_for(item("a", 29, day1), item("b", 33, day1), item("c", 40, day2))
    kinds = sorted((f.kind.value, f.severity.value) for f in found)
    assert kinds == [("contradiction", "medium"), ("discrepancy", "low")]
    [contradiction] = [f for f in found if f.kind is FindingKind.CONTRADICTION]
    assert {e.article_id for e in contradiction.evidence} == {"a", "b"}
    [update] = [f for f in found if f.kind is FindingKind.DISCREPANCY]
    assert "from 29 and 33 on 12 June to 40 on 13 June" in update.explanation


def test_a_figure_with_a_unit_is_described_as_written() -> None:
    (finding,) = _pair(
        ("about 1,000 km", 1000, "km", "about"), ("1,330 km", 1330, "km", "exact"), "distance"
    )
    assert "about 1,000 km" in finding.explanation and "1,330 km" in finding.explanation


def _timed(aid: str, span: str, value: float, time: str | None, subject: str = "shares") -> Any:
    figure = {**_figure(span, value, "change", "percent"), "subject": subject, "time": time}
    return make_item(aid, f"It was {span}.", [figure])


def test_figures_stated_for_different_times_of_their_own_are_not_compared() -> None:
    early = _timed("a", "3.1%", 3.1, "in early trading")
    close = _timed("b", "2.4%", 2.4, "at the close")
    assert findings_for(early, close) == []
    # the same time, worded a little differently, is compared
    trade = _timed("a", "3.1%", 3.1, "after-hours trade")
    trading = _timed("b", "4%", 4.0, "after-hours trading")
    (finding,) = findings_for(trade, trading)
    assert finding.kind is FindingKind.CONTRADICTION


def test_two_forecasts_that_differ_are_two_opinions() -> None:
    a = _timed("a", "5%", 5.0, None, subject="growth expected by analysts")
    b = _timed("b", "7%", 7.0, None, subject="growth forecast by the bank")
    assert findings_for(a, b) == []


def test_nearly_and_more_than_one_bound_cannot_both_hold() -> None:
    # the aircraft's age: a figure of no listed measure, compared by its noun and unit
    nearly = _figure("nearly 50 years", 50, "other", "years", "nearly") | {"subject": "aircraft"}
    more = _figure("more than 50 years", 50, "other", "years", "more_than") | {
        "subject": "aircraft"
    }
    items = [
        make_item(aid, f"The aircraft was {f['span']} old.", [f])
        for aid, f in (("a", nearly), ("b", more))
    ]
    (finding,) = findings_for(*items)
    assert finding.kind is FindingKind.CONTRADICTION


def test_a_fixed_figure_that_differs_between_days_is_no_update() -> None:
    import datetime as dt

    day1, day2 = dt.date(2025, 7, 2), dt.date(2025, 7, 3)
    weeks = {**_figure("eight-week", 8, "other", "weeks"), "subject": "trial"}
    a = make_item("a", "After an eight-week trial.", [weeks], published=day1, event_date=day1)
    b = make_item(
        "b",
        "After a seven-week trial.",
        [{**weeks, "span": "seven-week", "value": 7}],
        published=day2,
        event_date=day1,
    )
    (finding,) = findings_for(a, b)
    # The length of a trial that has ended is not revised from one day to the next.
    assert finding.kind is FindingKind.CONTRADICTION
    assert finding.severity is Severity.MEDIUM


def test_no_compatible_discrepancy_beside_a_contradiction_of_the_same_figures() -> None:
    a = make_item(
        "a", "At least 34 people died.", [_killed("34 people", 34) | {"qualifier": "at_least"}]
    )
    b = make_item("b", "Some 92 people died.", [_killed("92 people", 92)])
    c = make_item("c", "Some 99 people died.", [_killed("99 people", 99)])
    (finding,) = findings_for(a, b, c)
    assert finding.kind is FindingKind.CONTRADICTION
    assert {e.article_id for e in finding.evidence} == {"b", "c"}


def _crash_item(aid: str, span: str, value: float, place: str, scope: str) -> ArticleClaims:
    figure = {**_killed(span, value), "place": place, "scope": scope}
    return make_item(aid, f"It said {span} died.", [figure], place="Tynda", kind="plane crash")


def test_a_one_site_event_compares_figures_placed_at_its_town_or_country() -> None:
    """The Tynda crash: 48 dead "in Tynda" and 49 dead "in Russia's Far East" are one toll."""
    a = _crash_item("a", "48 people", 48, "Tynda", "city")
    b = _crash_item("b", "49 people", 49, "Russia's Far East", "country")
    (finding,) = findings_for(a, b)
    assert finding.kind is FindingKind.CONTRADICTION
    assert {e.article_id for e in finding.evidence} == {"a", "b"}


def test_a_spread_event_keeps_its_places_apart() -> None:
    """An earthquake's toll in one district and its national toll are different figures."""

    def item(aid: str, span: str, value: float, place: str, scope: str) -> ArticleClaims:
        figure = {**_killed(span, value), "place": place, "scope": scope}
        return make_item(
            aid, f"It said {span} died.", [figure], place="Jajarkot", kind="earthquake"
        )

    a = item("a", "99 people", 99, "Jajarkot", "city")
    b = item("b", "140 people", 140, "Nepal", "country")
    assert findings_for(a, b) == []


def test_figures_every_source_gives_together_are_not_a_conflict() -> None:
    """Both outlets give 140 passengers and six crew the model also called passengers."""

    def item(aid: str) -> ArticleClaims:
        crew = {**_figure("six", 6, "aboard", None), "subject": "passengers"}
        total = {**_figure("140 passengers", 140, "aboard", None), "subject": "passengers"}
        return make_item(aid, "It had 140 passengers and six crew.", [total, crew])

    assert findings_for(item("a"), item("b")) == []


def test_a_lone_figure_ten_times_off_a_corroborated_one_is_set_aside() -> None:
    def item(aid: str, span: str, value: float) -> ArticleClaims:
        figure = {**_figure(span, value, "aboard", None), "subject": "people"}
        return make_item(aid, f"It said {span} were aboard.", [figure])

    corroborated = [item("a", "146 people", 146), item("b", "146 people", 146)]
    assert findings_for(*corroborated, item("c", "Two people", 2)) == []
    # a close figure from one source is still a contradiction
    (finding,) = findings_for(*corroborated, item("c", "140 people", 140))
    assert finding.kind is FindingKind.CONTRADICTION


def _seats(article_id: str, text: str, span: str, value: float, subject: str = "seats") -> Any:
    spec = {**injured(span, value), "measure": "seats", "subject": subject, "place": None}
    return make_item(article_id, text, [spec], kind="election", place="Ruritania")


def test_seats_of_no_named_party_are_never_pooled() -> None:
    # Two parties' seats read with the bare subject "seats": no contradiction.
    a = _seats("a", "The tally gave 228 seats to the opposition.", "228 seats", 228)
    b = _seats("b", "Officials counted 329 seats for the governing bloc.", "329 seats", 329)
    assert findings_for(a, b) == []


def test_seats_are_compared_by_the_party_read_from_the_parse() -> None:
    a = _seats("a", "The Greens won 14 seats in the vote.", "14 seats", 14)
    b = _seats("b", "The Greens won 17 seats in the vote.", "17 seats", 17)
    (finding,) = findings_for(a, b)
    assert finding.kind is FindingKind.CONTRADICTION and "Greens" in finding.explanation
    c = _seats("c", "The Liberals won 17 seats in the vote.", "17 seats", 17)
    assert findings_for(a, c) == []  # two parties' figures


def test_two_players_goals_are_never_pooled() -> None:
    # A striker's tally and another striker's: goals are a player's or a side's (per_holder).
    def goals(aid: str, text: str, span: str, value: float) -> Any:
        spec = {**injured(span, value), "measure": "goals", "subject": "goals", "place": None}
        return make_item(aid, text, [spec], kind="match", place="Doha")

    a = goals("a", "Kane finished the tournament with six goals.", "six goals", 6)
    b = goals("b", "Vinicius took the award after he scored five goals.", "five goals", 5)
    assert findings_for(a, b) == []
    c = goals("c", "Kane scored five goals in the tournament.", "five goals", 5)
    (finding,) = findings_for(a, c)
    assert finding.kind is FindingKind.CONTRADICTION


def test_a_partys_result_with_no_place_meets_its_result_in_the_country() -> None:
    def seats(aid: str, text: str, span: str, value: float, place: str | None) -> Any:
        spec = {**injured(span, value), "measure": "seats", "subject": "seats", "place": place}
        spec["scope"] = "country" if place else "unknown"
        # the event's place was read as a region of the country, as real copy often gives
        return make_item(aid, text, [spec], kind="election", place="Bergen")

    a = seats("a", "The Greens won 14 seats in the vote.", "14 seats", 14, None)
    b = seats("b", "The Greens won 17 seats in Norway.", "17 seats", 17, "Norway")
    (finding,) = findings_for(a, b)
    assert finding.kind is FindingKind.CONTRADICTION


def test_a_partys_result_in_a_region_and_in_its_parliament_is_one_result() -> None:
    def seats(aid: str, text: str, span: str, value: float, place: str, scope: str) -> Any:
        spec = {**injured(span, value), "measure": "seats", "subject": "seats", "place": place}
        spec["scope"] = scope
        return make_item(aid, text, [spec], kind="election", place="Patagonia")

    a = seats("a", "The Greens won 14 seats in Patagonia.", "14 seats", 14, "Patagonia", "unknown")
    b = seats(
        "b",
        "The Greens won 17 seats in the Patagonian state parliament.",
        "17 seats",
        17,
        "Patagonian state parliament",
        "region",
    )
    (finding,) = findings_for(a, b)
    assert finding.kind is FindingKind.CONTRADICTION


def test_a_partys_nickname_is_the_party() -> None:
    assert subject_key("Tories seats") == subject_key("Conservative seats")
    assert subject_key("Lib Dems seats") == subject_key("Liberal Democrats seats")
    assert subject_key("Nvidia stock") == subject_key("Nvidia shares")


def test_a_toll_grown_tenfold_over_days_is_an_update_not_a_misreading() -> None:
    def toll(aid: str, day: str, span: str, value: float, q: str = "exact") -> ArticleClaims:
        spec = {**injured(span, value, q), "measure": "killed", "place": None}
        return make_item(
            aid,
            f"{span} people died in the floods.",
            [spec],
            published=dt.date.fromisoformat(day),
            event_date=dt.date(2025, 6, 1),
            place="Sylhet",
            kind="flood",
        )

    a = toll("a", "2025-06-01", "At least 12", 12, "at_least")
    b = toll("b", "2025-06-01", "At least 12", 12, "at_least")
    c = toll("c", "2025-06-04", "214", 214)
    (finding,) = findings_for(a, b, c)
    assert finding.kind is FindingKind.DISCREPANCY and "c" in {
        e.article_id for e in finding.evidence
    }


def test_a_magnitude_is_compared_whatever_noun_it_was_read_with() -> None:
    def quake(aid: str, span: str, value: float, subject: str) -> ArticleClaims:
        figure = _figure(span, value, "magnitude", "magnitude") | {"subject": subject}
        return make_item(aid, f"A quake of {span} struck.", [figure])

    (finding,) = findings_for(
        quake("a", "magnitude 6.1", 6.1, "people"), quake("b", "magnitude 6.8", 6.8, "magnitude")
    )
    assert finding.kind is FindingKind.CONTRADICTION


def test_what_a_figure_says_names_its_measure_once() -> None:
    from claimcheck.crosscheck.findings import says

    seats = claim_of(_seats("a", "Labour won 232 seats.", "232 seats", 232, "Labour seats"))
    assert says(seats) == "232 Labour seats"
    killed = claim_of(one("b", "Two people died.", "Two people", 2, measure="killed"))
    assert says(killed).startswith("2 people killed")


def test_one_number_told_plainly_and_with_a_hedge_is_a_low_discrepancy() -> None:
    """The plain "150 injured" and "more than 150 injured" exclude each other only by the hedge:
    one report told loosely, to note, never a contradiction."""
    a = one("a", "The blast injured 150 people.", "150 people", 150)
    b = one("b", "More than 150 people were injured.", "More than 150 people", 150, "more_than")
    (finding,) = findings_for(a, b)
    assert (finding.kind, finding.severity) == (FindingKind.DISCREPANCY, Severity.LOW)


def test_a_figure_of_no_measure_and_no_noun_is_compared_with_nothing() -> None:
    # A forfeiture and a restitution order both read as "other" with nothing counted: no
    # words say they are one figure, so $38 million against $60 million is no contradiction.
    a = one(
        "a",
        "He must also forfeit $38 million, the judge ruled.",
        "$38 million",
        38e6,
        measure="other",
        subject="other",
        unit="USD",
    )
    b = one(
        "b",
        "He was ordered to pay $60 million to the victims.",
        "$60 million",
        60e6,
        measure="other",
        subject="other",
        unit="USD",
    )
    assert findings_for(a, b) == []
    # the same figures with a noun of their own are compared
    c = one(
        "c",
        "Its profit was $38 million.",
        "$38 million",
        38e6,
        measure="other",
        subject="profit figure",
        unit="USD",
    )
    d = one(
        "d",
        "Its profit was $60 million.",
        "$60 million",
        60e6,
        measure="other",
        subject="profit figure",
        unit="USD",
    )
    assert findings_for(c, d) != []


def test_a_settled_figure_just_above_a_bound_is_the_bound_told_sharply() -> None:
    # a fraud sentencing: "more than 11 years" and "11.25 years" are one sentence
    def term(aid: str, span: str, value: float, q: str) -> ArticleClaims:
        figure = {**_figure(span, value, "sentence", "years", q), "subject": "prison"}
        return make_item(aid, f"She was sentenced to {span} in prison.", [figure])

    assert (
        findings_for(
            term("a", "more than 11 years", 11, "more_than"),
            term("b", "11.25 years", 11.25, "exact"),
        )
        == []
    )
    # far above the bound, the two still differ
    (finding,) = findings_for(
        term("a", "more than 11 years", 11, "more_than"), term("b", "15 years", 15, "exact")
    )
    assert finding.kind is FindingKind.DISCREPANCY


def test_sums_a_thousand_times_apart_are_a_scale_word_slipped() -> None:
    # A bank's annual results: one outlet writes "million" where the others write "billion".
    def profit(aid: str, span: str, value: float) -> ArticleClaims:
        figure = {**_figure(span, value, "profit", "USD"), "subject": "profit"}
        return make_item(aid, f"The bank reported a profit of {span} for the year.", [figure])

    (finding,) = findings_for(
        profit("a", "$4.1 billion", 4.1e9),
        profit("b", "$4.1 billion", 4.1e9),
        profit("c", "$4.1 million", 4.1e6),
    )
    assert finding.kind is FindingKind.CONTRADICTION and finding.severity is Severity.MEDIUM
    assert "thousand times apart" in finding.explanation
    assert finding.suggestion is not None and "$4.1 million" in finding.suggestion


def test_figures_of_no_measure_compare_only_under_the_same_verb() -> None:
    # A flood's shelters: the people who stayed and the people rescuers reached are two
    # counts of "people", though no measure names either.
    def people(aid: str, text: str, span: str, value: float) -> ArticleClaims:
        figure = {**_figure(span, value, "other", None), "subject": "people"}
        return make_item(aid, text, [figure])

    stayed = people("a", "Some 33,000 people have stayed in shelters.", "33,000 people", 33000)
    reached = people(
        "b", "Rescuers have reached 2,220 people in cut-off villages.", "2,220 people", 2220
    )
    assert findings_for(stayed, reached) == []
    also_stayed = people("c", "Some 30,000 people have stayed in shelters.", "30,000 people", 30000)
    assert findings_for(stayed, also_stayed) != []


def _term(aid: str, text: str, *spans: tuple[str, float, str]) -> ArticleClaims:
    """A fraud sentencing in Leeds: each figure is a prison term of one of two defendants."""
    figures = [
        {**_figure(span, value, "sentence", "years", q), "subject": "prison", "place": None}
        for span, value, q in spans
    ]
    return make_item(aid, text, figures, place="Leeds", kind="sentencing")


PRUITT_AND_LEHANE = _term(
    "a",
    "Former chief executive Dana Pruitt was sentenced to 14 years in prison on Tuesday, "
    "while her deputy, Marcus Lehane, received eight years.",
    ("14 years", 14, "exact"),
    ("eight years", 8, "exact"),
)


def test_two_defendants_terms_are_not_one_sentence() -> None:
    # one outlet gives the chief's term, another the deputy's: no conflict
    lehane = _term(
        "b",
        "Marcus Lehane, the deputy, was jailed for eight years in Leeds.",
        ("eight years", 8, "exact"),
    )
    pruitt = _term(
        "c",
        "Judge Ann Cole sentenced Dana Pruitt to 14 years on Tuesday.",
        ("14 years", 14, "exact"),
    )
    assert findings_for(pruitt, lehane) == []
    # one who must serve at least 30 years before parole, another's life term plus 20 years
    assert (
        findings_for(
            _term(
                "d",
                "Dana Pruitt will have to serve at least 30 years before she can seek parole.",
                ("at least 30 years", 30, "at_least"),
            ),
            _term(
                "e",
                "Marcus Lehane was sentenced to life in prison plus 20 years.",
                ("20 years", 20, "exact"),
            ),
        )
        == []
    )


def test_one_defendants_terms_still_meet_across_outlets() -> None:
    # the deputy's term told as 12 years by one outlet and eight by another is a conflict,
    # though the first outlet gives the chief's term in the same sentence
    lehane = _term(
        "b",
        "Lehane was sentenced to 12 years in prison in Leeds on Tuesday.",
        ("12 years", 12, "exact"),
    )
    (finding,) = findings_for(PRUITT_AND_LEHANE, lehane)
    assert finding.kind is FindingKind.CONTRADICTION
    assert {e.article_id for e in finding.evidence} == {"a", "b"}
    assert "eight years" in finding.explanation and "12 years" in finding.explanation


def _share(aid: str, text: str, span: str, value: float) -> ArticleClaims:
    """A share of the vote read with no measure, counting "votes" (an election in Lisbon)."""
    figure = {**_figure(span, value, "other", "percent"), "subject": "votes", "place": None}
    return make_item(aid, text, [figure], place="Lisbon", kind="election")


def test_shares_read_with_no_measure_are_still_each_holders() -> None:
    # one party's share and another candidate's are no conflict, whatever measure was read
    party = _share(
        "a",
        "With 95% of ballots counted, the Socialist Party was winning 41.2% of votes.",
        "41.2%",
        41.2,
    )
    rival = _share(
        "b",
        "The Socialist Party led, followed by Luis Montenegro at 28.8 percent.",
        "28.8 percent",
        28.8,
    )
    assert findings_for(party, rival) == []
    # one party's share told two ways still meets
    other = _share(
        "c",
        "With 95% of ballots counted, the Socialist Party had 36.5% of votes, officials said.",
        "36.5%",
        36.5,
    )
    (finding,) = findings_for(party, other)
    assert "41.2%" in finding.explanation and "36.5%" in finding.explanation


def test_spans_of_time_with_no_measure_meet_only_under_one_verb() -> None:
    # a bribery sentencing: the years over which bribes were taken are not the years the
    # guidelines suggested
    def span(aid: str, text: str, words: str, value: float, high: float | None = None) -> Any:
        figure = {**_figure(words, value, "other", "years"), "subject": "years", "place": None}
        if high is not None:
            figure |= {"value_high": high, "qualifier": "range"}
        return make_item(aid, text, [figure], place="Austin", kind="sentencing")

    took = span("a", "He took bribes over a three-year period, the court heard.", "three-year", 3)
    suggested = span(
        "b", "The guidelines suggested 5 to 7 years in the case.", "5 to 7 years", 5, 7
    )
    assert findings_for(took, suggested) == []
    # the same span under the same verb still meets
    also = span("c", "She took bribes over a six-year period, prosecutors said.", "six-year", 6)
    (finding,) = findings_for(took, also)
    assert "three" in finding.explanation.lower() or "3" in finding.explanation
