"""Quantities: measure keys keep different things apart; intervals decide the kind."""

from __future__ import annotations

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
    assert finding.severity is Severity.HIGH
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
