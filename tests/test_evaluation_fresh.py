"""The fresh-set scorer (evaluation/fresh.py) on a hand-made report: matching, traps,
grouping and the table."""

from __future__ import annotations

from typing import Any

from test_crosscheck_verify import killed, wildfire

from claimcheck.crosscheck import cross_check
from claimcheck.models import Report, Severity
from evaluation.fresh import _labels, format_table, score, violates

LABELS: dict[str, Any] = {
    "events": [
        {"id": "fire", "articles": ["a", "b", "c"]},
        {"id": "other", "articles": ["z"]},
    ],
    "must_find": [
        {
            "id": "toll",
            "event": "fire",
            "kind": "contradiction",
            "articles": ["a", "b"],
            "values": ["30", "12"],
        },
        {
            "id": "missing",
            "event": "fire",
            "kind": "discrepancy",
            "articles": ["a", "c"],
            "values": ["7", "9"],
        },
    ],
    "must_not": [
        {
            "id": "trap",
            "event": "fire",
            "reason": "different_scope",
            "articles": ["a", "c"],
            "values": ["30", "14"],
            "quotes": ["At least 30 people", "14 people"],
        }
    ],
}


def report() -> Report:
    items = [
        wildfire(
            "a", "At least 30 people died on Evia.", [killed("At least 30 people", 30, "at_least")]
        ),
        wildfire("b", "Officials said 12 people died on Evia.", [killed("12 people", 12)]),
        wildfire("c", "Only 14 people died on Evia.", [killed("14 people", 14)]),
    ]
    result = cross_check(items)
    return Report(
        articles=tuple(i.article for i in items), events=result.events, findings=result.findings
    )


def test_a_finding_that_shows_the_labelled_figures_is_found_and_correct() -> None:
    scores, _ = score(report(), LABELS)
    fire = next(s for s in scores if s.event == "fire")
    assert (fire.must_find, fire.found, fire.missed) == (2, 1, ["missing"])
    assert fire.groups == 1 and not fire.merged


def test_a_finding_across_a_trap_is_false_and_a_judgment_overrides() -> None:
    r = report()
    [finding] = [f for f in r.findings if f.severity.value != "info"]
    # Scored as if the cross-checker had called it high (it calls one day's tolls medium):
    # the scorer's count of false highs is what is tested here.
    high = finding.model_copy(update={"severity": Severity.HIGH})
    r = r.model_copy(update={"findings": tuple(high if f is finding else f for f in r.findings)})
    finding = high
    # The one contradiction cites a, b and c: it shows the labelled toll (correct) but also
    # takes both sides of the trap, which wins: a finding that pools scopes is false.
    scores, _ = score(r, LABELS)
    fire = next(s for s in scores if s.event == "fire")
    assert (fire.correct, fire.false, fire.false_high) == (0, 1, 1)
    scores, _ = score(r, LABELS, {finding.id: True})
    fire = next(s for s in scores if s.event == "fire")
    assert (fire.correct, fire.false) == (1, 0)
    table = format_table(scores)
    assert "| fire | 3 | 1 of 2 | 1 / 0 / 0 | 1.00 | 0 | 1 | no |" in table


def test_claims_that_all_show_one_side_of_a_trap_do_not_violate_it() -> None:
    """A toll of 40 told by two outlets against one outlet's 31 shows only one figure of a
    trap "40 killed against 45 aboard": the finding does not pool the two scopes."""
    items = [
        wildfire("a", "The crash killed 40 people.", [killed("40 people", 40)]),
        wildfire("b", "Officials said 31 people died.", [killed("31 people", 31)]),
        wildfire("c", "In all 40 people died, of 45 aboard.", [killed("40 people", 40)]),
    ]
    r = cross_check(items)
    [finding] = [f for f in r.findings if f.severity.value != "info"]
    trap = {
        "id": "killed-vs-aboard",
        "event": "fire",
        "reason": "different_scope",
        "articles": ["a", "b", "c"],
        "values": ["40", "45"],
        "quotes": ["The crash killed 40 people", "In all 40 people died, of 45 aboard"],
    }
    [label] = _labels([trap])
    assert not violates(label, finding)
    pooled = {**trap, "values": ["40", "31"]}
    assert violates(_labels([pooled])[0], finding)
