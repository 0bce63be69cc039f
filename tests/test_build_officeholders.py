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
    from claimcheck.language.vocabulary.offices import office_vocabulary

    vocabulary = office_vocabulary()
    levels = set()
    for office in build.KEPT_OFFICES | build.DIVISION_OFFICES:
        declared = vocabulary.office(office)
        assert declared is not None, office
        if office in build.DIVISION_OFFICES - {"premier"}:
            levels.add(declared.level)
    assert levels == {"subnational", "city"}


# --------------------------------------------------------------------------- dated sources


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        (
            "President William RUTO (since 13 September 2022); Deputy President Kithure KINDIKI",
            "Kenya",
            ("president", "William Ruto", date(2022, 9, 13), False),
        ),
        (
            "Prime Minister &Eacute;lisabeth BORNE (since 16 May 2022)",
            "France",
            ("prime minister", "Élisabeth Borne", date(2022, 5, 16), False),
        ),
        (
            "Caretaker Prime Minister Gabriel ATTAL (since 16 July 2024)",
            "France",
            ("prime minister", "Gabriel Attal", date(2024, 7, 16), False),
        ),
        # No title: the office comes from what that field named before.
        (
            "Fran&ccedil;ois BAYROU (since 13 December 2024)",
            "France",
            (None, "François Bayrou", date(2024, 12, 13), False),
        ),
        (
            "King CHARLES III (since 8 September 2022)",
            "United Kingdom",
            ("monarch", "Charles III", date(2022, 9, 8), False),
        ),
        (
            "President Maj. Gen. (ret.) Muhammadu BUHARI (since 29 May 2015)",
            "Nigeria",
            ("president", "Muhammadu Buhari", date(2015, 5, 29), False),
        ),
        ("President Emmanuel MACRON (since May 2017)", "France", None),
    ],
)
def test_factbook_holder_reads_title_name_and_since(
    build: ModuleType, text: str, country: str, expected: tuple[object, ...] | None
) -> None:
    found = build.factbook_holder(text, country)
    if expected is None:
        assert found is None or found[3] is True  # a month-only date is approximate
    else:
        assert found == expected


def _row(day: date, person: str, start: date) -> tuple[date, str, str, str, date, bool]:
    return (day, "c0ffee" + day.isoformat(), "africa/xx.json", person, start, False)


def test_a_factbook_chain_ends_each_holder_where_the_next_began(build: ModuleType) -> None:
    source = build.Source(
        "factbook@x", "factbook/factbook.json", "x", "p", date(2026, 1, 22), date(2026, 12, 7)
    )
    rows = [
        _row(date(2022, 1, 10), "Ann Old", date(2015, 5, 1)),
        _row(date(2022, 2, 10), "Ann Old", date(2015, 5, 1)),
        # Bea took office on 2022-02-20 (she says so); Cy gave no day that follows hers.
        _row(date(2022, 3, 10), "Bea New", date(2022, 2, 20)),
        _row(date(2023, 3, 10), "Cy Next", date(2020, 1, 1)),
        _row(date(2026, 1, 22), "Cy Next", date(2020, 1, 1)),
    ]
    old, new, last = build._factbook_chain(
        "Kenya", "president", rows, source, source.snapshot, set()
    )
    assert (old.end, old.approximate) == (date(2022, 2, 20), False)
    # Gone by the next snapshot: the snapshot bounds the end, marked approximate.
    assert (new.end, new.approximate) == (date(2023, 3, 10), True)
    assert last.end is None and last.verified_through == date(2026, 1, 22)
    assert last.source == "factbook@x row:africa/xx.json@c0ffee2026"


def test_a_fresher_source_wins_and_the_conflict_is_named(build: ModuleType) -> None:
    old = Tenure(
        person="Idriss Déby",
        office="president",
        jurisdiction="Chad",
        start=date(1990, 12, 2),
        end=date(2021, 4, 20),
        source="snapshot-2022",
        verified_through=date(2022, 7, 1),
    )
    other = Tenure(
        person="Mahamat Déby",
        office="president",
        jurisdiction="Chad",
        start=date(2021, 4, 20),
        source="snapshot-2022",
        verified_through=date(2022, 7, 1),
    )
    spelled = old.model_copy(
        update={"person": "Idriss Deby Itno", "start": date(1990, 12, 4), "source": "fresh@1"}
    )
    rival = Tenure(
        person="Someone Else",
        office="president",
        jurisdiction="Chad",
        start=date(2021, 4, 20),
        source="fresh@1",
        verified_through=date(2026, 1, 1),
    )
    merged, conflicts = build.lay_fresher([old, other], [spelled, rival], "fresh@1")
    # One term spelled two ways is one term, not two slivers: the old spelling stays an
    # alias, so the name articles use still finds it.
    (idriss,) = [t for t in merged if t.is_person("Idriss Déby")]
    assert idriss.person == "Idriss Deby Itno" and "Idriss Déby" in idriss.aliases
    # Where the sources disagree on who held it, the fresher wins and the log says so.
    assert [t.person for t in merged if t.covers(date(2023, 9, 1))] == ["Someone Else"]
    assert len(conflicts) == 1 and "Mahamat Déby" in conflicts[0]


def test_a_change_log_gives_the_end_it_records(build: ModuleType) -> None:
    source = build.Source("log@1", "o/r", "1", "p", date(2026, 8, 22), date(2026, 12, 7))
    cut = Tenure(
        person="Keir Starmer",
        office="prime minister",
        jurisdiction="United Kingdom",
        start=date(2024, 7, 5),
        end=date(2026, 7, 20),
        inferred_end=True,
        source="ifg row:1",
        verified_through=date(2026, 6, 19),
    )
    ended = [("prime minister", "United Kingdom", "Keir Starmer", date(2026, 7, 20), "c#1")]
    (t,) = build.apply_ends([cut], ended, source)
    assert not t.inferred_end and t.source == "log@1 row:c#1" and t.note == "start: ifg row:1"


def test_a_hand_row_without_an_official_page_stops_the_build(
    build: ModuleType, tmp_path: Path
) -> None:
    hand = tmp_path / "hand.yaml"
    hand.write_text(
        "verified_through: 2025-10-31\nentries:\n"
        "  - {person: A One, office: president, jurisdiction: Kenya, start: 2020-01-01}\n",
        encoding="utf-8",
    )
    with pytest.raises(SystemExit, match="cites no official page"):
        build.read_hand(hand)
    hand.write_text(
        "verified_through: 2025-10-31\nentries:\n"
        "  - {person: A One, office: president, jurisdiction: Kenya, start: 2020-01-01, "
        "source: 'https://www.president.go.ke/', verified_through: 2025-06-30}\n",
        encoding="utf-8",
    )
    (row,), sources = build.read_hand(hand)
    assert (
        row.source == "claimcheck/data/officeholders.yaml@2025-06-30 https://www.president.go.ke/"
    )
    assert [s.id for s in sources] == [
        "claimcheck/data/officeholders.yaml",
        "claimcheck/data/officeholders.yaml@2025-06-30",
    ]


def test_the_shipped_hand_file_cites_an_official_page_for_every_row() -> None:
    text = (SCRIPT.parent.parent / "claimcheck" / "data" / "officeholders.yaml").read_text(
        encoding="utf-8"
    )
    assert "general knowledge" not in text
    rows = [line for line in text.splitlines() if line.startswith("- {")]
    assert rows and all("source: http" in line for line in rows)
