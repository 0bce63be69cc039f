"""Reviewed findings: fingerprints that survive edits elsewhere, the baseline file, the exit
code, the reviewed marking in every report format, and the ``baseline`` commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_cli import DISAGREE, run, runtime, write_articles
from test_pipeline import figure_checker

from claimcheck.baseline import (
    Baseline,
    apply_baseline,
    fingerprint,
    open_findings,
    prune,
    read_baseline,
    review,
    worst_open,
    write_baseline,
)
from claimcheck.errors import InputError
from claimcheck.models import (
    Article,
    ArticleClaims,
    Finding,
    FindingKind,
    Measure,
    QuantityClaim,
    Report,
    Severity,
)
from claimcheck.report import render


def claims_of(article_id: str, text: str, words: str, value: float) -> ArticleClaims:
    article = Article(id=article_id, text=text)
    start = text.index(words)
    claim = QuantityClaim(
        id=f"{article_id}:1",
        article_id=article_id,
        span=article.span(start, start + len(words)),
        value=value,
        subject="people",
        measure=Measure.INJURED,
    )
    return ArticleClaims(article=article, claims=(claim,))


def one_finding(draft_text: str, words: str = "12 people", value: float = 12) -> Finding:
    items = [
        claims_of("draft", draft_text, words, value),
        claims_of("wire", "By morning, 15 people hurt were reported by the city.", "15 people", 15),
    ]
    (finding,) = figure_checker(items).findings
    return finding


DRAFT = "Officials counted 12 people hurt in the overnight strike."


# --------------------------------------------------------------------------- fingerprint


def test_an_edit_elsewhere_in_the_draft_keeps_the_fingerprint() -> None:
    before = one_finding(DRAFT)
    after = one_finding(
        "A new opening paragraph was added.\n\n" + DRAFT.replace("overnight", "night")
    )
    assert before.evidence[0].span.start != after.evidence[0].span.start  # offsets moved
    assert fingerprint(before) == fingerprint(after)


def test_a_change_of_the_disputed_words_changes_the_fingerprint() -> None:
    before = one_finding(DRAFT)
    changed = one_finding(DRAFT.replace("12 people", "13 people"), "13 people", 13)
    assert fingerprint(before) != fingerprint(changed)


def test_the_fingerprint_ignores_id_severity_and_order_but_not_kind_or_subject() -> None:
    finding = one_finding(DRAFT)
    regraded = finding.model_copy(
        update={
            "id": "another-run-7",
            "severity": Severity.LOW,
            "confidence": 0.4,
            "explanation": "reworded",
            "evidence": tuple(reversed(finding.evidence)),
        }
    )
    assert fingerprint(regraded) == fingerprint(finding)
    other_subject = finding.model_copy(update={"subject": "killed"})
    assert fingerprint(other_subject) != fingerprint(finding)
    other_kind = finding.model_copy(update={"kind": FindingKind.CONTRADICTION})
    assert fingerprint(other_kind) != fingerprint(finding)


# --------------------------------------------------------------------------- library


def test_apply_baseline_marks_reviewed_findings_and_they_stop_counting() -> None:
    finding = one_finding(DRAFT)
    report = Report(findings=(finding,))
    assert worst_open(report) is Severity.HIGH
    reviewed = review(Baseline(), finding, decision="dismissed", reason="count updated", by="ed")
    marked = apply_baseline(report, reviewed)
    assert [r.finding_id for r in marked.reviewed] == [finding.id]
    assert marked.reviewed[0].decision == "dismissed"
    assert marked.findings == report.findings  # still listed
    assert open_findings(marked) == ()
    assert worst_open(marked) is None


def test_review_needs_a_reason_and_replaces_an_earlier_review() -> None:
    finding = one_finding(DRAFT)
    with pytest.raises(InputError, match="reason"):
        review(Baseline(), finding, decision="accepted", reason="  ")
    first = review(Baseline(), finding, decision="accepted", reason="right as written")
    second = review(first, finding, decision="dismissed", reason="false alarm")
    assert [e.decision for e in second.entries] == ["dismissed"]


def test_prune_drops_entries_no_finding_matches(tmp_path: Path) -> None:
    kept_finding = one_finding(DRAFT)
    gone_finding = one_finding(DRAFT.replace("12 people", "13 people"), "13 people", 13)
    both = review(
        review(Baseline(), kept_finding, decision="accepted", reason="a"),
        gone_finding,
        decision="dismissed",
        reason="b",
    )
    kept, dropped = prune(both, [kept_finding])
    assert [e.fingerprint for e in kept.entries] == [fingerprint(kept_finding)]
    assert [e.fingerprint for e in dropped] == [fingerprint(gone_finding)]


def test_the_file_round_trips_and_a_bad_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "reviewed.json"
    written = review(Baseline(), one_finding(DRAFT), decision="accepted", reason="ok", by="ed")
    write_baseline(written, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["version"] == 1
    assert set(data["entries"][0]) == {"fingerprint", "decision", "by", "at", "reason", "summary"}
    assert "discrepancy" in data["entries"][0]["summary"]
    assert read_baseline(path) == written
    path.write_text('{"version": 9, "entries": []}', encoding="utf-8")
    with pytest.raises(InputError, match="not a claimcheck baseline"):
        read_baseline(path)
    with pytest.raises(InputError, match="does not exist"):
        read_baseline(tmp_path / "missing.json")
    assert read_baseline(tmp_path / "missing.json", missing_ok=True) == Baseline()


@pytest.mark.parametrize(
    ("fmt", "marker"),
    [
        ("terminal", "reviewed: dismissed by ed"),
        ("markdown", "reviewed: dismissed by ed"),
        ("html", 'class="finding sev-high reviewed"'),
        ("json", '"decision": "dismissed"'),
    ],
)
def test_every_format_marks_a_reviewed_finding(fmt: str, marker: str) -> None:
    finding = one_finding(DRAFT)
    plain = Report(findings=(finding,))
    marked = apply_baseline(
        plain, review(Baseline(), finding, decision="dismissed", reason="count updated", by="ed")
    )
    assert marker not in render(plain, fmt)
    assert marker in render(marked, fmt)
    if fmt != "json":
        assert "1 reviewed" in render(marked, fmt)


def test_html_fades_a_highlight_only_when_all_its_findings_are_reviewed() -> None:
    items = [claims_of("draft", DRAFT, "12 people", 12)]
    items.append(claims_of("wire", "By morning, 15 people hurt were reported.", "15 people", 15))
    outcome = figure_checker(items)
    report = Report(articles=tuple(i.article for i in items), findings=outcome.findings)
    assert 'mark class="sev-high reviewed"' not in render(report, "html")
    done = apply_baseline(
        report, review(Baseline(), outcome.findings[0], decision="accepted", reason="ok")
    )
    assert 'mark class="sev-high reviewed"' in render(done, "html")


# --------------------------------------------------------------------------- CLI


def test_dismissing_a_finding_changes_the_exit_code(tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "in", DISAGREE)
    report_file = tmp_path / "report.json"
    first = run(["check", str(folder), "-o", str(report_file)], runtime(DISAGREE))
    assert first.exit_code == 1, first.stderr
    finding_id = Report.model_validate_json(report_file.read_text()).findings[0].id

    reviewed = tmp_path / "reviewed.json"
    added = run(
        [
            *("baseline", "add", str(report_file), "--finding", finding_id, "--dismiss"),
            *("--reason", "the city updated its count", "--by", "desk", "--file", str(reviewed)),
        ]
    )
    assert added.exit_code == 0, added.stderr
    assert "dismissed 1 finding" in added.stderr

    again = run(
        ["check", str(folder), "--baseline", str(reviewed), "--format", "json"], runtime(DISAGREE)
    )
    assert again.exit_code == 0, again.stderr
    report = Report.model_validate_json(again.stdout)
    assert len(report.findings) == 1  # still listed
    assert report.reviewed[0].by == "desk"
    assert "1 reviewed" in again.stderr

    # A lower threshold does not reopen it either.
    low = run(
        ["check", str(folder), "--baseline", str(reviewed), "--fail-on", "info"], runtime(DISAGREE)
    )
    assert low.exit_code == 0


def test_verify_takes_the_baseline_too(tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "in", {"a2": DISAGREE["a2"]})
    draft = write_articles(tmp_path / "draft", {"a1": DISAGREE["a1"]}) / "a1.md"
    report_file = tmp_path / "r.json"
    args = ["verify", str(draft), "--against", str(folder)]
    assert run([*args, "-o", str(report_file)], runtime(DISAGREE)).exit_code == 1
    finding_id = Report.model_validate_json(report_file.read_text()).findings[0].id
    reviewed = tmp_path / "reviewed.json"
    run(
        [
            *("baseline", "add", str(report_file), "--finding", finding_id, "--accept"),
            *("--reason", "sourced to the mayor", "--file", str(reviewed)),
        ]
    )
    result = run([*args, "--baseline", str(reviewed), "--fail-on", "medium"], runtime(DISAGREE))
    assert result.exit_code == 0, result.stderr


def test_baseline_add_errors(tmp_path: Path) -> None:
    report_file = tmp_path / "report.json"
    report_file.write_text(Report(findings=(one_finding(DRAFT),)).model_dump_json())
    unknown = run(
        [
            "baseline",
            "add",
            str(report_file),
            "--finding",
            "nope",
            "--dismiss",
            "--reason",
            "x",
            "--file",
            str(tmp_path / "b.json"),
        ]
    )
    assert unknown.exit_code == 2
    assert "has no finding nope" in unknown.stderr
    undecided = run(["baseline", "add", str(report_file), "--finding", "x", "--reason", "x"])
    assert undecided.exit_code == 2
    assert "--accept or --dismiss" in undecided.stderr
    not_a_report = tmp_path / "other.json"
    not_a_report.write_text('{"findings": 3}')
    bad = run(["baseline", "add", str(not_a_report), "--finding", "x", "--accept", "--reason", "x"])
    assert bad.exit_code == 2
    assert "not a claimcheck JSON report" in bad.stderr


def test_baseline_list_and_prune(tmp_path: Path) -> None:
    finding = one_finding(DRAFT)
    gone = one_finding(DRAFT.replace("12 people", "13 people"), "13 people", 13)
    reviewed = tmp_path / "reviewed.json"
    write_baseline(
        review(
            review(Baseline(), finding, decision="accepted", reason="fine", by="ed"),
            gone,
            decision="dismissed",
            reason="old",
            by="ed",
        ),
        reviewed,
    )
    listed = run(["baseline", "list", "--file", str(reviewed)])
    assert listed.exit_code == 0
    lines = listed.stdout.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(fingerprint(finding) + "\taccepted\ted\t")

    report_file = tmp_path / "report.json"
    report_file.write_text(Report(findings=(finding,)).model_dump_json())
    pruned = run(["baseline", "prune", "--report", str(report_file), "--file", str(reviewed)])
    assert pruned.exit_code == 0, pruned.stderr
    assert f"dropped {fingerprint(gone)}" in pruned.stderr
    assert [e.fingerprint for e in read_baseline(reviewed).entries] == [fingerprint(finding)]


def test_a_broken_baseline_file_stops_check_before_any_model_call(tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "in", DISAGREE)
    broken = tmp_path / "reviewed.json"
    broken.write_text("not json")
    result = run(["check", str(folder), "--baseline", str(broken)], runtime(DISAGREE))
    assert result.exit_code == 2
    assert "not a claimcheck baseline file" in result.stderr
