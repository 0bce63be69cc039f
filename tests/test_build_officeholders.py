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
        ("Deputy Chief of the General Staff", "Israel", None),
        ("Minister of Foreign Trade", "Brazil", None),
        ("Minister of Economic Development", "Italy", None),
        # The other cabinet posts the vocabulary declares.
        ("Minister of Culture", "Spain", "culture minister"),
        ("Minister of Agriculture and Rural Development", "Nigeria", "agriculture minister"),
        ("Minister of Trade and Industry", "Ghana", "trade minister"),
        ("Minister of Petroleum Resources", "Nigeria", "petroleum minister"),
        ("Vice-President", "Kenya", "vice president"),
        ("Secretary of Agriculture", "United States", "agriculture minister"),
        ("Minister of Youth and Sports", "Senegal", "sports minister"),
        ("Governor-General", "Australia", "governor general"),
        ("Governor of the Central Bank", "Kenya", "central bank governor"),
        ("Chief Justice", "India", "chief justice"),
        ("Chief of the General Staff", "Israel", "chief of general staff"),
        ("Minister of Health", "Spain", "health minister"),
        ("Minister of Justice of Nigeria", "Nigeria", "justice minister"),
        # A phrase the vocabulary declares for one country only ("attorney general" is
        # the United States' justice minister) names another post elsewhere.
        ("Attorney General of Brazil", "Brazil", None),
        ("State Minister for Transport", "Uganda", None),
        ("Attorney General of the United States", "United States", "justice minister"),
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


@pytest.mark.parametrize(
    ("label", "country", "expected"),
    [
        ("Governor of Ohio", "United States", ("governor", "Ohio")),
        ("Governor of New York", "United States", ("governor", "New York")),
        # Liberia has a Maryland too; the United States has a state of that name.
        ("Governor of Maryland", "United States", ("governor", "Maryland")),
        ("Chief Minister of Tamil Nadu", "India", ("chief minister", "Tamil Nādu")),
        ("Premier of Prince Edward Island", "Canada", ("premier", "Prince Edward Island")),
        ("Governor of Lagos State", "Nigeria", ("governor", "Lagos")),
        ("Governor of Kursk Oblast", "Russia", ("governor", "Kursk")),
        ("Mayor of Grudziadz", "Poland", ("mayor", "Grudziądz")),
        # Lesser offices, words no place accounts for, another country's place.
        ("Lieutenant Governor of Ohio", "United States", None),
        ("vice governor of Bahia", "Brazil", None),
        ("Deputy Chief Minister of Punjab", "India", None),
        ("Governor of the United States Virgin Islands", "United States", None),
        ("Governor of the Reserve Bank", "Australia", None),
        ("Governor-General", "Canada", None),
        ("Governor of Sevastopol", "Russia", None),
        ("Head of the Republic of Adygea", "Russia", ("head of republic", "Adygea")),
        ("Head of the Republic of Crimea", "Russia", None),
        ("Prime Minister of Russia", "Russia", None),
    ],
)
def test_division_labels_map_to_office_and_place_or_nothing(
    build: ModuleType, label: str, country: str, expected: tuple[str, str] | None
) -> None:
    assert build.classify_division(label, country) == expected


def test_a_devolved_government_has_its_head(build: ModuleType) -> None:
    # Scotland's repository names its head "First Minister"; a sovereign country's
    # "First Minister" is no office the data can place.
    assert build._national("First Minister", "Scotland") == ("first minister", "Scotland")
    assert build._national("Deputy First Minister", "Scotland") is None
    assert build._national("First Minister", "Australia") is None


def test_a_national_label_is_no_division_office(build: ModuleType) -> None:
    # The national reading never yields a division's office, and the reverse.
    assert build.classify("Governor of Ohio", "United States") is None
    assert build.classify_division("President of Nigeria", "Nigeria") is None


def _local(person: str, place: str, source: str, start: date) -> Tenure:
    return Tenure(
        person=person,
        office="chief minister",
        jurisdiction=place,
        start=start,
        end=None,
        source=f"{source} wikidata:Q1",
    )


def test_a_place_name_two_countries_share_goes_to_the_one_the_parser_reads(
    build: ModuleType,
) -> None:
    india = _local("A One", "Punjab", "epi/india@1", date(2017, 3, 16))
    pakistan = _local("B Two", "Punjab", "epi/pakistan@1", date(2018, 8, 20))
    kerala = _local("C Three", "Kerala", "epi/india@1", date(2016, 5, 25))
    kept, shared = build.one_country_per_place(
        [india, pakistan, kerala], {"epi/india@1": "India", "epi/pakistan@1": "Pakistan"}
    )
    assert kept == [india, kerala]
    assert shared == [("chief minister", "Punjab", ["India", "Pakistan"])]
    # When the gazetteer puts the place in neither country, neither keeps it.
    kept, _ = build.one_country_per_place(
        [india, pakistan], {"epi/india@1": "Kenya", "epi/pakistan@1": "Pakistan"}
    )
    assert kept == []


def test_every_kept_office_is_declared_in_the_vocabulary(build: ModuleType) -> None:
    from claimcheck.vocabulary.offices import office_vocabulary

    vocabulary = office_vocabulary()
    levels = set()
    for office in build.KEPT_OFFICES | build.DIVISION_OFFICES:
        declared = vocabulary.office(office)
        assert declared is not None, office
        if office in build.DIVISION_OFFICES - {"premier"}:
            levels.add(declared.level)
    assert levels == {"subnational", "city"}
