"""Reviewed findings: a baseline file of findings an editor has accepted or dismissed.

Like a linter's baseline, the file is meant to be committed next to the copy. Each entry
names a finding by its :func:`fingerprint` — its kind, the person or measure concerned,
the articles and the words of its evidence, never offsets or run order — so an edit
elsewhere in a draft keeps the review, while a change of the disputed words asks again.
A reviewed finding is still reported, marked reviewed, but no longer fails a run.

File format (JSON, ``version`` 1)::

    {
      "version": 1,
      "entries": [
        {
          "fingerprint": "f1-3c0d…",
          "decision": "dismissed",            # or "accepted" (the copy is right as written)
          "by": "a.editor",
          "at": "2026-11-29T19:30:00+00:00",
          "reason": "the city updated its count; both figures are attributed",
          "summary": "high discrepancy · injured · draft, wire-a: 12 vs 15 injured"
        }
      ]
    }

``summary`` is for the person reading the file; matching uses the fingerprint only.

Example::

    from claimcheck.baseline import apply_baseline, read_baseline

    report = apply_baseline(report, read_baseline(Path("reviewed.json")))
    print(len(report.reviewed), "findings already reviewed")
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from claimcheck.errors import InputError
from claimcheck.fileio import locked, write_atomic
from claimcheck.models import Finding, Model, Report, ReviewedFinding, Severity

BASELINE_VERSION = 1
# Prefix of every fingerprint: a new recipe gets a new prefix, so old entries stop matching
# loudly (prune reports them) instead of matching the wrong findings.
_RECIPE = "f1"

Decision = Literal["accepted", "dismissed"]


class BaselineEntry(Model):
    """One reviewed finding: its fingerprint, the decision, who took it, when and why."""

    fingerprint: str = Field(min_length=1)
    decision: Decision
    by: str | None = None
    at: dt.datetime | None = None
    reason: str = ""
    summary: str = ""


class Baseline(Model):
    """The content of a baseline file."""

    version: Literal[1] = 1
    entries: tuple[BaselineEntry, ...] = ()

    def lookup(self) -> dict[str, BaselineEntry]:
        """Entries by fingerprint (a later entry for the same fingerprint wins)."""
        return {e.fingerprint: e for e in self.entries}

    def with_entry(self, entry: BaselineEntry) -> Baseline:
        """The baseline with ``entry`` added, replacing any entry with its fingerprint."""
        kept = tuple(e for e in self.entries if e.fingerprint != entry.fingerprint)
        return self.model_copy(update={"entries": (*kept, entry)})


# --------------------------------------------------------------------------- fingerprints


def _words(text: str) -> str:
    """Text with Unicode and whitespace normalised, so re-wrapping a line keeps a fingerprint."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def fingerprint(finding: Finding) -> str:
    """A stable id of what a finding disputes, independent of offsets and run order.

    Built from the kind, the subject (person or measure, case-insensitive), and the sorted
    set of (article id, evidence words). Severity, confidence and wording of the
    explanation are left out: a better cross-checker may re-grade a finding an editor has
    already reviewed without reopening it.
    """
    evidence = sorted({(e.article_id, _words(e.span.text)) for e in finding.evidence})
    payload = {
        "kind": finding.kind.value,
        "subject": _words(finding.subject).casefold() if finding.subject else None,
        "evidence": evidence,
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return f"{_RECIPE}-{hashlib.sha256(blob.encode('utf-8')).hexdigest()[:20]}"


def summary_of(finding: Finding) -> str:
    """One line a person recognises the finding by: severity, kind, subject, articles."""
    articles = ", ".join(dict.fromkeys(e.article_id for e in finding.evidence))
    subject = f" · {finding.subject}" if finding.subject else ""
    text = f"{finding.severity.value} {finding.kind.value}{subject} · {articles}: "
    return text + _words(finding.explanation)


# --------------------------------------------------------------------------- reports


def apply_baseline(report: Report, baseline: Baseline) -> Report:
    """``report`` with ``reviewed`` naming every finding the baseline matches."""
    entries = baseline.lookup()
    reviewed = []
    for finding in report.findings:
        key = fingerprint(finding)
        entry = entries.get(key)
        if entry is not None:
            reviewed.append(
                ReviewedFinding(
                    finding_id=finding.id,
                    fingerprint=key,
                    decision=entry.decision,
                    by=entry.by,
                    at=entry.at,
                    reason=entry.reason,
                )
            )
    return report.model_copy(update={"reviewed": tuple(reviewed)})


def reviews_by_finding(report: Report) -> dict[str, ReviewedFinding]:
    """The report's reviews keyed by finding id."""
    return {r.finding_id: r for r in report.reviewed}


def open_findings(report: Report) -> tuple[Finding, ...]:
    """The findings no baseline entry has reviewed: the ones that count for ``--fail-on``."""
    done = {r.finding_id for r in report.reviewed}
    return tuple(f for f in report.findings if f.id not in done)


def worst_open(report: Report) -> Severity | None:
    """The highest severity among the findings still open, or None."""
    found = open_findings(report)
    return max((f.severity for f in found), key=lambda s: s.rank) if found else None


def review(
    baseline: Baseline,
    finding: Finding,
    *,
    decision: Decision,
    reason: str,
    by: str | None = None,
    at: dt.datetime | None = None,
) -> Baseline:
    """The baseline with ``finding`` recorded as reviewed (replacing an earlier review)."""
    if not reason.strip():
        raise InputError("a review needs a reason (why the finding is accepted or dismissed)")
    entry = BaselineEntry(
        fingerprint=fingerprint(finding),
        decision=decision,
        by=by,
        at=at or dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
        reason=reason.strip(),
        summary=summary_of(finding),
    )
    return baseline.with_entry(entry)


def prune(
    baseline: Baseline, findings: Iterable[Finding]
) -> tuple[Baseline, tuple[BaselineEntry, ...]]:
    """The baseline without entries no finding matches any more, and the entries dropped."""
    live = {fingerprint(f) for f in findings}
    kept = tuple(e for e in baseline.entries if e.fingerprint in live)
    dropped = tuple(e for e in baseline.entries if e.fingerprint not in live)
    return baseline.model_copy(update={"entries": kept}), dropped


# --------------------------------------------------------------------------- files


def read_baseline(path: Path, *, missing_ok: bool = False) -> Baseline:
    """The baseline in ``path``; an empty one when it does not exist and ``missing_ok``."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if missing_ok:
            return Baseline()
        raise InputError(
            f"baseline file {path} does not exist; create it with `claimcheck baseline add`"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read baseline file {path}: {exc}") from exc
    try:
        return Baseline.model_validate_json(text)
    except ValidationError as exc:
        raise InputError(
            f"{path} is not a claimcheck baseline file (version {BASELINE_VERSION}): "
            f"{_problems(exc)}; fix it, or move it away and review the findings again"
        ) from None


def _problems(exc: ValidationError) -> str:
    """What is wrong, where: 'entries.0.decision: Input should be ...' (at most three)."""
    parts = []
    for err in exc.errors()[:3]:
        where = ".".join(str(p) for p in err["loc"]) or "the file"
        parts.append(f"{where}: {err['msg']}")
    more = len(exc.errors()) - len(parts)
    return "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")


def write_baseline(baseline: Baseline, path: Path) -> None:
    """Write ``baseline`` to ``path`` atomically, so a crash never leaves half a file (a
    symbolic link is followed: the file it points to is replaced)."""
    text = baseline.model_dump_json(indent=2, exclude_none=True) + "\n"
    try:
        write_atomic(path, text)
    except OSError as exc:
        raise InputError(f"cannot write baseline file {path}: {exc}") from exc


def update_baseline(
    path: Path, change: Callable[[Baseline], Baseline], *, missing_ok: bool = True
) -> Baseline:
    """Read, change and write the baseline in ``path`` under a lock across processes, so two
    reviewers (five shells, the review page and the CLI) never lose each other's entries.
    Returns the baseline written.

    Example::

        update_baseline(path, lambda b: review(b, finding, decision="dismissed", reason="ok"))
    """
    with locked(path):
        updated = change(read_baseline(path, missing_ok=missing_ok))
        write_baseline(updated, path)
    return updated


def read_report(path: Path) -> Report:
    """A JSON report written by ``claimcheck check|verify --format json``."""
    try:
        return Report.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read report {path}: {exc}") from exc
    except ValidationError as exc:
        raise InputError(
            f"{path} is not a claimcheck JSON report ({_problems(exc)}); write one with "
            "--format json"
        ) from None


__all__ = [
    "BASELINE_VERSION",
    "Baseline",
    "BaselineEntry",
    "apply_baseline",
    "fingerprint",
    "open_findings",
    "prune",
    "read_baseline",
    "read_report",
    "review",
    "reviews_by_finding",
    "summary_of",
    "update_baseline",
    "worst_open",
    "write_baseline",
]
