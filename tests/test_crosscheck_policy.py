"""The severity and confidence policy: one table, every row used, no rule written inline."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_crosscheck import injured, make_item

from claimcheck.crosscheck.findings import policy_finding
from claimcheck.crosscheck.policy import POLICY, Situation, rule
from claimcheck.models import Basis, Finding, FindingKind, Severity

ROOT = Path(__file__).resolve().parents[1]
CROSSCHECK = ROOT / "claimcheck" / "crosscheck"


def _checks() -> dict[str, str]:
    """The cross-check modules' source, the policy table itself left out."""
    return {
        p.name: p.read_text(encoding="utf-8")
        for p in sorted(CROSSCHECK.rglob("*.py"))
        if p.name != "policy.py"
    }


def test_every_situation_has_a_rule() -> None:
    assert set(POLICY) == set(Situation)


def test_every_situation_is_used_by_a_check() -> None:
    sources = "\n".join(_checks().values())
    unused = [s.name for s in Situation if not re.search(rf"\bSituation\.{s.name}\b", sources)]
    assert unused == []


def test_no_check_writes_a_severity_or_confidence_of_its_own() -> None:
    inline = re.compile(r"severity=Severity\.|confidence=\d|Severity\.(HIGH|MEDIUM|LOW|INFO)")
    found = [
        f"{name}: {line.strip()}"
        for name, text in _checks().items()
        for line in text.splitlines()
        if inline.search(line)
    ]
    assert found == []


def test_every_situation_is_documented() -> None:
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert [s.name for s in Situation if f"`{s.name}`" not in page] == []


def test_rows_that_name_a_template_have_a_reading_for_every_flag() -> None:
    for situation, row in POLICY.items():
        if row.fallback is not None:
            assert row.suggestion is not None, situation
        if row.confidence is None:
            assert row.basis is Basis.KNOWLEDGE, situation


def _finding(
    situation: Situation,
    *,
    sure: bool = True,
    named: bool = True,
    wording: dict[str, object] | None = None,
    confidence: float | None = None,
    suggestion: str | None = None,
) -> Finding:
    item = make_item("a", "Two people were hurt.", [injured("Two people", 2)])
    return policy_finding(
        situation,
        explanation="x",
        claims=[item.claims[0]],
        event_id="e",
        subject="s",
        sure=sure,
        named=named,
        wording=wording,
        confidence=confidence,
        suggestion=suggestion,
    )


def test_a_finding_takes_kind_severity_confidence_basis_and_suggestion_from_its_row() -> None:
    sure = _finding(Situation.QUOTE_DIFFERENT_SPEAKERS, wording={"speaker": "Ms Smith"})
    assert (sure.kind, sure.severity, sure.confidence, sure.basis) == (
        FindingKind.MISATTRIBUTION,
        Severity.HIGH,
        0.8,
        Basis.CROSS_SOURCE,
    )
    assert sure.suggestion == "Most sources credit the quote to Ms Smith; check who said it."
    split = _finding(Situation.QUOTE_DIFFERENT_SPEAKERS, sure=False, named=False)
    assert split.confidence == rule(Situation.QUOTE_DIFFERENT_SPEAKERS).unsure == 0.6
    assert split.suggestion == "Check who said it against the original statement."
    model = _finding(Situation.TITLE_FROM_MODEL_KNOWLEDGE, wording={"person": "A", "day": "D"})
    assert (model.basis, model.severity, model.confidence) == (Basis.MODEL, Severity.LOW, 0.35)


def test_a_knowledge_row_takes_the_verdicts_confidence_and_wording() -> None:
    found = _finding(
        Situation.TITLE_AGAINST_UNSETTLED_KNOWLEDGE, confidence=0.6, suggestion="Say so."
    )
    assert (found.severity, found.confidence, found.basis, found.suggestion) == (
        Severity.MEDIUM,
        0.6,
        Basis.KNOWLEDGE,
        "Say so.",
    )
    with pytest.raises(ValueError, match="takes its confidence from the caller"):
        _finding(Situation.TITLE_AGAINST_SETTLED_KNOWLEDGE)


def test_a_row_that_sets_a_value_refuses_another() -> None:
    with pytest.raises(ValueError, match="own confidence"):
        _finding(Situation.SINGLE_SOURCE, confidence=0.9)
    with pytest.raises(ValueError, match="own suggestion"):
        _finding(Situation.SINGLE_SOURCE, suggestion="Publish it.")
    with pytest.raises(ValueError, match="no less-sure confidence"):
        _finding(Situation.SINGLE_SOURCE, sure=False)
