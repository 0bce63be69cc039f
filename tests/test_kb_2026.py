"""The built-in knowledge through 2026 (issue 24): the offices of 2023–2026 news give the
right holder, or "unknown" with the reason, never a 2022 holder as if still in office."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from test_crosscheck import make_item

from claimcheck.crosscheck.entities import People
from claimcheck.crosscheck.events import group_events
from claimcheck.crosscheck.titles import compare_titles
from claimcheck.knowledge import KnowledgeBase, Verdict, default_knowledge, normalise_office
from claimcheck.models import ArticleClaims, Basis, FindingKind, Severity


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return default_knowledge()


def _holders(kb: KnowledgeBase, title: str, on: dt.date) -> list[str]:
    parsed = normalise_office(title)
    assert parsed is not None and parsed[1] is not None, title
    return [t.person for t in kb.holders(parsed[0], parsed[1], on)]


# The table of the issue: each query, the day, the holder then, and who "kb show" gave as
# "present" before.
ISSUE_TABLE = [
    ("US homeland security secretary", dt.date(2025, 7, 6), "Kristi Noem", "Alejandro Mayorkas"),
    ("US transportation secretary", dt.date(2025, 6, 1), "Sean Duffy", "Pete Buttigieg"),
    ("Israel's defence minister", dt.date(2025, 6, 1), "Israel Katz", "Benny Gantz"),
    ("Kenya's president", dt.date(2023, 6, 1), "William Ruto", "Uhuru Kenyatta"),
    ("Japan's finance minister", dt.date(2025, 6, 1), "Katsunobu Kato", "Shun'ichi Suzuki"),
    ("Nigeria's foreign minister", dt.date(2024, 6, 1), "Yusuf Tuggar", "Geoffrey Onyeama"),
    ("NATO secretary general", dt.date(2025, 6, 1), "Mark Rutte", None),
]


@pytest.mark.parametrize(("title", "on", "holder", "before"), ISSUE_TABLE)
def test_the_issue_table_gives_the_right_holder(
    kb: KnowledgeBase, title: str, on: dt.date, holder: str, before: str | None
) -> None:
    assert _holders(kb, title, on) == [holder]
    assert kb.check_title(holder, title, on).verdict is Verdict.CONSISTENT
    if before is not None:
        # The 2022 holder is no longer given as in office on that day.
        assert before not in _holders(kb, title, on)
        assert kb.check_title(before, title, on).verdict in (
            Verdict.SITTING_BUT_FORMER,
            Verdict.UNKNOWN,
        )


# Twelve more offices of 2023–2026, from the sources built in (the Factbook's history, the
# IfG database, world-leaders-current, congress-legislators).
FROM_THE_SOURCES = [
    ("France's prime minister", dt.date(2025, 3, 1), "François Bayrou"),
    ("France's prime minister", dt.date(2025, 11, 1), "Sébastien Lecornu"),
    ("Japan's prime minister", dt.date(2025, 3, 1), "Shigeru Ishiba"),
    ("Japan's prime minister", dt.date(2026, 1, 10), "Sanae Takaichi"),
    ("UK prime minister", dt.date(2026, 8, 1), "Andy Burnham"),
    ("Home Secretary", dt.date(2026, 3, 1), "Shabana Mahmood"),
    ("Chancellor of the Exchequer", dt.date(2025, 6, 1), "Rachel Reeves"),
    ("South Korea's president", dt.date(2025, 7, 1), "Lee Jae Myung"),
    ("Peru's president", dt.date(2025, 12, 1), "José Enrique Jerí Oré"),
    ("Thailand's prime minister", dt.date(2025, 10, 1), "Anutin Charnvirakul"),
    ("European Council president", dt.date(2025, 3, 1), "António Costa"),
    ("Sri Lanka's president", dt.date(2025, 1, 10), "Anura Kumara Dissanayake"),
]


@pytest.mark.parametrize(("title", "on", "holder"), FROM_THE_SOURCES)
def test_offices_of_2023_to_2026_from_the_sources(
    kb: KnowledgeBase, title: str, on: dt.date, holder: str
) -> None:
    assert _holders(kb, title, on) == [holder]
    verdict = kb.check_title(holder, title, on)
    assert verdict.verdict is Verdict.CONSISTENT and not verdict.stale


def test_the_uk_prime_minister_s_end_comes_from_the_change_log(kb: KnowledgeBase) -> None:
    verdict = kb.check_title("Keir Starmer", "UK prime minister", dt.date(2026, 8, 1))
    assert verdict.verdict is Verdict.SITTING_BUT_FORMER
    assert verdict.confidence >= 0.9  # a dated source records the end


def test_a_2022_only_office_checked_in_2025_is_unknown(kb: KnowledgeBase) -> None:
    through = kb.verified_through_for("finance minister", "Nigeria")
    assert through is not None and through < dt.date(2023, 1, 1)
    (seen,) = kb.holders("finance minister", "Nigeria", through)
    later = kb.check_title(seen.person, "Nigerian Finance Minister", dt.date(2025, 7, 4))
    assert later.verdict is Verdict.UNKNOWN
    assert "last seen" in later.explanation


def _role(span: str, person: str, title: str, **kw: Any) -> dict[str, Any]:
    return {"type": "role", "span": span, "person": person, "title": title, **kw}


def _run(item: ArticleClaims, kb: KnowledgeBase) -> list[Any]:
    (group,) = group_events([item])
    names = [getattr(c, "person", None) for c in group.claims]
    return compare_titles(group, People([n for n in names if n]), knowledge=kb, as_of=None)


JULY_2025 = dt.date(2025, 7, 6)


def test_mayorkas_as_homeland_security_secretary_in_july_2025_is_caught(
    kb: KnowledgeBase,
) -> None:
    text = "Homeland Security Secretary Alejandro Mayorkas visited the border."
    claim = _role(
        "Homeland Security Secretary Alejandro Mayorkas",
        "Alejandro Mayorkas",
        "Homeland Security Secretary",
        office="interior minister",
        jurisdiction="United States",
    )
    (finding,) = _run(make_item("a", text, [claim], published=JULY_2025), kb)
    assert finding.kind is FindingKind.MISATTRIBUTION and finding.basis is Basis.KNOWLEDGE
    # His end is only inferred (Noem took office on 2025-01-25; no source gives his last
    # day), so the finding is worth a look, not a correction.
    assert finding.severity is Severity.MEDIUM
    assert "Kristi Noem" in (finding.suggestion or "")


def test_the_2025_holder_under_the_right_title_gets_nothing(kb: KnowledgeBase) -> None:
    text = "Homeland Security Secretary Kristi Noem visited the border."
    claim = _role(
        "Homeland Security Secretary Kristi Noem",
        "Kristi Noem",
        "Homeland Security Secretary",
        office="interior minister",
        jurisdiction="United States",
    )
    assert _run(make_item("a", text, [claim], published=JULY_2025), kb) == []


def test_a_2022_only_office_in_2025_gives_no_finding(kb: KnowledgeBase) -> None:
    through = kb.verified_through_for("finance minister", "Nigeria")
    assert through is not None
    (seen,) = kb.holders("finance minister", "Nigeria", through)
    text = f"Finance Minister {seen.person} spoke in Abuja."
    claim = _role(
        f"Finance Minister {seen.person}",
        seen.person,
        "Finance Minister",
        office="finance minister",
        jurisdiction="Nigeria",
    )
    assert _run(make_item("a", text, [claim], published=JULY_2025, place="Abuja"), kb) == []
