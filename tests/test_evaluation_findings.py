"""The end-to-end findings scorer: matching by kind, subject and articles, and the two
things that must never happen (findings across events, spelling variants as errors)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimcheck.cli import main
from claimcheck.models import Evidence, Finding, FindingKind, Report, Severity, Span
from evaluation.findings import (
    GoldFindings,
    format_findings_table,
    format_group_findings_table,
    load_gold_findings,
    score_findings,
    score_findings_by_group,
)

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "fixtures" / "gold"


def finding(kind: FindingKind, subject: str, *evidence: tuple[str, str]) -> Finding:
    return Finding(
        id=f"f-{subject}-{len(evidence)}",
        kind=kind,
        severity=Severity.HIGH,
        confidence=0.9,
        explanation="x",
        subject=subject,
        evidence=tuple(
            Evidence(article_id=a, span=Span(start=0, end=len(t), text=t)) for a, t in evidence
        ),
    )


@pytest.fixture(scope="module")
def gold_report() -> str:
    """A report of compare over the gold claims, as the CLI writes it."""
    return _compare_gold_report()


def test_gold_cross_check_scores_full_marks_without_a_model(gold_report: str) -> None:
    gold = load_gold_findings(GOLD)
    report = Report.model_validate_json(gold_report)
    # The air-strike fixtures score full marks; the other story types have their floors in
    # test_crosscheck_gold.py.
    kyiv = {a for a, e in gold.event_of.items() if e.startswith("kyiv-")}
    air = GoldFindings(
        findings=tuple(g for g in gold.findings if g.articles <= kyiv), event_of=gold.event_of
    )
    score = score_findings(
        [f for f in report.findings if {e.article_id for e in f.evidence} <= kyiv],
        air,
        with_model=False,
    )
    assert score.precision == 1.0 and score.recall == 1.0
    everything = score_findings(report.findings, gold, with_model=False)
    assert everything.cross_event == () and everything.spelling == ()
    # Code alone finds the "what was hit" conflict; the one model-only gold finding left is
    # optional, so counting it misses nothing required.
    assert "jul-targets-conflict" in score.required_found
    assert score_findings(report.findings, air).required_missed == ()


def test_a_finding_across_events_and_a_wrong_subject_are_counted() -> None:
    gold = load_gold_findings(GOLD)
    across = finding(
        FindingKind.CONTRADICTION, "people injured", ("nov14-a", "11"), ("jul04-b", "23")
    )
    wrong = finding(FindingKind.MISATTRIBUTION, "Andrii Sybiha", ("jul04-b", "Sybiha"))
    score = score_findings([across, wrong], gold)
    assert score.cross_event == (across,)
    assert score.matched_reported == 0 and score.precision == 0.0
    assert "not in gold: high misattribution 'Andrii Sybiha' in jul04-b" in (
        format_findings_table(score)
    )


@pytest.mark.parametrize(
    ("kind", "subject", "first", "second", "is_spelling"),
    [
        # one person's name written two ways, reported as an error: caught
        (
            FindingKind.MISATTRIBUTION,
            "Vitali Klitschko",
            ("jun06-a", "Vitali Klitschko"),
            ("jun06-b", "Vitaliy Klitschko"),
            True,
        ),
        # two figures written alike are no spelling variant
        (
            FindingKind.DISCREPANCY,
            "earthquake magnitude",
            ("quake-a", "magnitude 7.1"),
            ("quake-b", "magnitude 7.0"),
            False,
        ),
    ],
)
def test_a_spelling_variant_reported_as_an_error_is_caught(
    kind: FindingKind,
    subject: str,
    first: tuple[str, str],
    second: tuple[str, str],
    is_spelling: bool,
) -> None:
    gold = load_gold_findings(GOLD)
    reported = finding(kind, subject, first, second)
    assert score_findings([reported], gold).spelling == ((reported,) if is_spelling else ())


def _compare_gold_report() -> str:
    result = CliRunner().invoke(
        main,
        [
            "-q",
            "compare",
            str(GOLD / "article-claims.json"),
            "--format",
            "json",
            "--fail-on",
            "never",
        ],
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_findings_are_scored_per_story_group_with_false_highs_named() -> None:
    gold = load_gold_findings(GOLD)
    groups = {a: "written/air_strike" for a in gold.event_of}
    wrong = finding(FindingKind.MISATTRIBUTION, "Andrii Sybiha", ("jul04-b", "Sybiha"))
    scores = score_findings_by_group([wrong], gold, groups)
    assert list(scores) == ["written/air_strike"]
    s = scores["written/air_strike"]
    assert s.false_high == (wrong,) and s.non_info == 1 and s.non_info_precision == 0.0
    table = format_group_findings_table(scores)
    assert "false high (written/air_strike): misattribution 'Andrii Sybiha' in jul04-b" in table


def test_the_script_runs_from_any_directory(gold_report: str, tmp_path: Path) -> None:
    """`python evaluation/eval_findings.py report.json` finds the unshipped evaluation package
    from the script's own location, whatever the working directory and PYTHONPATH."""
    report = tmp_path / "report.json"
    report.write_text(gold_report, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, str(REPO / "evaluation" / "eval_findings.py"), str(report), "--no-model"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "per story type:" in result.stdout
    assert "written/air_strike" in result.stdout
