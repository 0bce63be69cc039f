"""A tenure knows what its source saw: open in a snapshot of D is "in office on D"."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from click.testing import CliRunner

from claimcheck.cli import main
from claimcheck.knowledge import KnowledgeBase, Tenure, Verdict, merge_tenures

SNAPSHOT = date(2022, 8, 1)


def _open_in_2022() -> Tenure:
    return Tenure(
        person="Alex Old",
        office="transport minister",
        jurisdiction="Kenya",
        start=date(2020, 3, 1),
        source="snapshot of 2022",
        verified_through=SNAPSHOT,
    )


def test_an_open_term_prints_the_day_it_was_last_seen() -> None:
    tenure = _open_in_2022()
    assert tenure.period() == "2020-03-01 – (in office on 2022-08-01)"
    assert "present" not in tenure.describe()
    closed = tenure.model_copy(update={"end": date(2022, 1, 1)})
    assert closed.period() == "2020-03-01 – 2022-01-01"
    assert closed.last_seen() is None
    undated = tenure.model_copy(update={"verified_through": None})
    assert undated.period() == "2020-03-01 – (open)"
    assert undated.period(last_seen=date(2023, 1, 1)) == "2020-03-01 – (in office on 2023-01-01)"


def test_a_title_past_the_snapshot_is_unknown_not_consistent() -> None:
    kb = KnowledgeBase([_open_in_2022()])
    then = kb.check_title("Alex Old", "Kenya's transport minister", date(2022, 7, 1))
    assert then.verdict is Verdict.CONSISTENT
    later = kb.check_title("Alex Old", "Kenya's transport minister", date(2025, 7, 1))
    assert later.verdict is Verdict.UNKNOWN
    assert "2022-08-01 (last seen in the data)" in later.explanation
    # Nobody else can be a "wrong holder" either: the office may have changed hands since.
    other = kb.check_title("Sam New", "Kenya's transport minister", date(2025, 7, 1))
    assert other.verdict is Verdict.UNKNOWN


def test_a_fresher_source_settles_the_later_date() -> None:
    fresh = Tenure(
        person="Sam New",
        office="transport minister",
        jurisdiction="Kenya",
        start=date(2024, 1, 10),
        source="https://example.gov/cabinet",
        verified_through=date(2026, 6, 30),
    )
    kb = KnowledgeBase(merge_tenures([_open_in_2022()], [fresh]))
    old = kb.check_title("Alex Old", "Kenya's transport minister", date(2025, 7, 1))
    assert old.verdict is Verdict.SITTING_BUT_FORMER
    new = kb.check_title("Sam New", "Kenya's transport minister", date(2025, 7, 1))
    assert new.verdict is Verdict.CONSISTENT


def test_kb_show_says_in_office_on_and_that_later_is_unknown(tmp_path: Path) -> None:
    path = tmp_path / "kb.yaml"
    path.write_text(
        "verified_through: 2022-08-01\nentries:\n"
        "  - {person: Alex Old, office: transport minister, jurisdiction: Kenya, "
        "start: 2020-03-01}\n",
        encoding="utf-8",
    )
    args = ["kb", "show", "--no-default", "--knowledge", str(path)]
    result = CliRunner().invoke(
        main, [*args, "--office", "Kenya's transport minister", "--on", "2025-06-01"]
    )
    assert result.exit_code == 0, result.output
    assert "2020-03-01 – (in office on 2022-08-01)" in result.stdout
    assert "present" not in result.stdout
    assert "who held it on 2025-06-01 is unknown" in result.stderr
    inside = CliRunner().invoke(
        main, [*args, "--office", "Kenya's transport minister", "--on", "2022-06-01"]
    )
    assert "unknown" not in inside.stderr


def test_an_end_only_inferred_from_a_fresher_holder_gives_a_medium_verdict() -> None:
    fresh = Tenure(
        person="Sam New",
        office="transport minister",
        jurisdiction="Kenya",
        start=date(2024, 1, 10),
        verified_through=date(2026, 6, 30),
    )
    merged = merge_tenures([_open_in_2022()], [fresh])
    old = next(t for t in merged if t.person == "Alex Old")
    assert old.end == date(2024, 1, 10) and old.inferred_end
    inferred = KnowledgeBase(merged).check_title(
        "Alex Old", "Kenya's transport minister", date(2025, 7, 1)
    )
    assert inferred.verdict is Verdict.SITTING_BUT_FORMER and inferred.confidence <= 0.7
    # The same end given by a source settles it.
    recorded = old.model_copy(update={"inferred_end": False, "verified_through": date(2026, 6, 30)})
    settled = KnowledgeBase([recorded, fresh]).check_title(
        "Alex Old", "Kenya's transport minister", date(2025, 7, 1)
    )
    assert settled.verdict is Verdict.SITTING_BUT_FORMER and settled.confidence >= 0.9


def test_between_last_seen_and_a_fresher_holder_nothing_is_known() -> None:
    # Gantz's term is open in a 2022 snapshot; the next holder on record begins in 2024.
    # Who held the office in 2023 (Gallant) is in no source: no verdict either way.
    fresh = Tenure(
        person="Sam New",
        office="transport minister",
        jurisdiction="Kenya",
        start=date(2024, 11, 7),
        verified_through=date(2026, 6, 30),
    )
    kb = KnowledgeBase(merge_tenures([_open_in_2022()], [fresh]))
    old = kb.check_title("Alex Old", "Kenya's transport minister", date(2023, 6, 1))
    assert old.verdict is Verdict.UNKNOWN
    unseen = kb.check_title("Pat Between", "Kenya's transport minister", date(2023, 6, 1))
    assert unseen.verdict is Verdict.UNKNOWN
    # Inside what the snapshot saw, and after the fresher holder began, the data decides.
    seen = kb.check_title("Pat Between", "Kenya's transport minister", date(2022, 7, 1))
    assert seen.verdict is Verdict.WRONG_HOLDER
    later = kb.check_title("Pat Between", "Kenya's transport minister", date(2025, 6, 1))
    assert later.verdict is Verdict.WRONG_HOLDER
