"""Tests for scripts/build_officeholders.py: which position labels become which offices, and
how loosely recorded handovers, real clashes and the hand-written file are reconciled."""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

from claimcheck.knowledge import Tenure, find_overlaps

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "build_officeholders.py"


@pytest.fixture(scope="module")
def build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_officeholders", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("label", "country", "office"),
    [
        ("President of Nigeria", "Nigeria", "president"),
        ("Minister of Foreign Affairs", "Nigeria", "foreign minister"),
        ("Defence Minister of Spain", "Spain", "defence minister"),
        ("Minister of Foreign Affairs and Cooperation of Spain", "Spain", "foreign minister"),
        ("Finance Minister of Nigeria", "Nigeria", "finance minister"),
        ("Minister of the Interior of Spain", "Spain", "interior minister"),
        ("President of the Federal Republic of Nigeria", "Nigeria", "president"),
        ("monarch of Spain", "Spain", "monarch"),
        # Words the parser cannot account for: another office, not a guess.
        ("President of the Congress of Deputies", "Spain", None),
        ("President of the Government of Spain", "Spain", None),
        ("Deputy Prime Minister of Spain", "Spain", None),
        ("Minister of Health", "Spain", None),
        # Another country's office, and one whose name misleads.
        ("President of France", "Spain", None),
        ("Federal Chancellor", "Switzerland", None),
        ("Secretary-General of the Executive Yuan", "Taiwan", None),
    ],
)
def test_position_labels_map_to_offices_or_nothing(
    build: ModuleType, label: str, country: str, office: str | None
) -> None:
    assert build.classify(label, country) == office


def _t(person: str, start: date, end: date | None, *, approximate: bool = False) -> Tenure:
    return Tenure(
        person=person,
        office="president",
        jurisdiction="Kenya",
        start=start,
        end=end,
        approximate=approximate,
    )


def test_loose_handovers_are_cut_and_clashes_dropped(build: ModuleType) -> None:
    loose = _t("A One", date(2000, 1, 1), date(2005, 12, 31), approximate=True)
    nxt = _t("B Two", date(2005, 5, 1), date(2010, 1, 1))
    clash = _t("C Three", date(2006, 1, 1), date(2009, 1, 1))
    kept, dropped = build.tidy([loose, nxt])
    assert [(t.person, t.end) for t in kept] == [
        ("A One", date(2005, 5, 1)),
        ("B Two", date(2010, 1, 1)),
    ]
    assert dropped == [] and find_overlaps(kept) == []
    kept, dropped = build.tidy([nxt, clash])
    assert kept == [] and {t.person for t in dropped} == {"B Two", "C Three"}


def test_the_hand_file_replaces_sourced_tenures_from_its_first_entry(build: ModuleType) -> None:
    old = _t("A One", date(2000, 1, 1), None)
    later = _t("B Two", date(2016, 1, 1), None)
    hand = [_t("H Hand", date(2015, 1, 1), None)]
    merged = build.lay_hand_over([old, later], hand)
    assert [(t.person, t.start, t.end) for t in merged] == [
        ("A One", date(2000, 1, 1), date(2015, 1, 1)),
        ("H Hand", date(2015, 1, 1), None),
    ]
