"""Finding construction: stable ids, ordering, wording helpers; text normalisation."""

from __future__ import annotations

import datetime as dt

from test_crosscheck import injured, make_item

from claimcheck.crosscheck.findings import finding_id, join_sources, make_finding, number, ordered
from claimcheck.crosscheck.text import mentions_other_time, place_key, places_compatible
from claimcheck.models import FindingKind, Severity


def test_finding_id_ignores_evidence_order_but_not_content() -> None:
    a = finding_id(FindingKind.CONTRADICTION, "people killed", ["x:1", "y:2"])
    assert a == finding_id(FindingKind.CONTRADICTION, "people killed", ["y:2", "x:1"])
    assert a != finding_id(FindingKind.DISCREPANCY, "people killed", ["x:1", "y:2"])
    assert a != finding_id(FindingKind.CONTRADICTION, "people injured", ["x:1", "y:2"])
    assert a != finding_id(FindingKind.CONTRADICTION, "people killed", ["x:1"])


def test_make_finding_quotes_every_source_and_orders_evidence() -> None:
    b = make_item("b", "Two people were hurt.", [injured("Two people", 2)])
    a = make_item("a", "Nine people were hurt.", [injured("Nine people", 9)])
    finding = make_finding(
        kind=FindingKind.CONTRADICTION,
        severity=Severity.HIGH,
        confidence=1.5,
        explanation="x",
        claims=[b.claims[0], a.claims[0], b.claims[0]],
        event_id="e",
        subject="people injured",
    )
    assert [e.article_id for e in finding.evidence] == ["a", "b"]
    assert finding.evidence[0].span.text == "Nine people"
    assert finding.evidence[0].says == "9 people injured in Kyiv"
    assert finding.confidence == 1.0


def test_ordering_is_severity_then_event_then_id() -> None:
    item = make_item("a", "Two people were hurt.", [injured("Two people", 2)])
    claim = item.claims[0]

    def f(sev: Severity, event: str, subject: str) -> object:
        return make_finding(
            kind=FindingKind.DISCREPANCY,
            severity=sev,
            confidence=0.5,
            explanation="x",
            claims=[claim],
            event_id=event,
            subject=subject,
        )

    low_b, high_b, high_a = (
        f(Severity.LOW, "b", "s1"),
        f(Severity.HIGH, "b", "s2"),
        f(Severity.HIGH, "a", "s3"),
    )
    got = ordered([low_b, high_b, high_a, high_a])  # type: ignore[list-item]
    assert [x.event_id for x in got] == ["a", "b", "b"]
    assert got[-1].severity is Severity.LOW


def test_wording_helpers() -> None:
    assert number(2000) == "2,000" and number(1.5) == "1.5"
    assert join_sources(["A"]) == "A"
    assert join_sources(["A", "B", "C"]) == "A, B and C"


def test_places() -> None:
    assert place_key("the southern Rostov region") == "rostov"
    assert place_key("Kiev") == place_key("Kyiv") == "kyiv"
    assert place_key("the capital") is None
    assert places_compatible("Kyiv", "Ukraine")
    assert not places_compatible("Kyiv", "Odesa")


def test_background_time_phrases() -> None:
    day = dt.date(2025, 7, 4)
    assert mentions_other_time("in February 2022", day)
    assert mentions_other_time("last June", day)
    assert not mentions_other_time("overnight on Friday", day)
    assert not mentions_other_time("July 4", day)
    assert not mentions_other_time("as officials may confirm", day)
