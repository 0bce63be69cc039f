"""Tests for claimcheck.knowledge: the shipped office-holders file, the loader, title checks,
the Wikidata importer and the writers."""

from __future__ import annotations

import doctest
import gzip
import importlib
import json
import random
import subprocess
import sys
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest

import claimcheck.knowledge as knowledge
from claimcheck.errors import KnowledgeError
from claimcheck.knowledge import (
    KnowledgeBase,
    Role,
    Tenure,
    Verdict,
    canonical_jurisdiction,
    check_title,
    default_knowledge,
    dump_tenures,
    find_overlaps,
    import_wikidata,
    knowledge_sources,
    normalise_office,
    organisation_title,
    parse_title,
    read_knowledge_file,
    surname_keys,
    title_modifier,
    update_knowledge,
)
from claimcheck.language.vocabulary.offices import office_vocabulary
from claimcheck.models import RoleModifier

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "knowledge"
PACKAGE = Path(knowledge.__file__).resolve().parent.parent
DATA_FILE = PACKAGE / "data" / "officeholders.yaml"
COMPACT_FILE = PACKAGE / "data" / "officeholders.json.gz"
HAND_SOURCE = "claimcheck/data/officeholders.yaml"

G20_AND_UKRAINE = (
    "Argentina",
    "Australia",
    "Brazil",
    "Canada",
    "China",
    "France",
    "Germany",
    "India",
    "Indonesia",
    "Italy",
    "Japan",
    "Mexico",
    "Russia",
    "Saudi Arabia",
    "South Africa",
    "South Korea",
    "Turkey",
    "United Kingdom",
    "United States",
    "Ukraine",
)
FOUR_ROLES = (
    Role.HEAD_OF_STATE,
    Role.HEAD_OF_GOVERNMENT,
    Role.FOREIGN_MINISTER,
    Role.DEFENCE_MINISTER,
)
COVERAGE_START = date(2015, 1, 1)
# A caretaker gap (a minister removed before the successor is appointed) may last weeks;
# anything longer means a holder is missing from the file.
MAX_GAP = timedelta(days=92)

JULY_4_2025 = date(2025, 7, 4)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return default_knowledge()


# --------------------------------------------------------------------------- the shipped file


def test_shipped_file_declares_format_and_verified_through(kb: KnowledgeBase) -> None:
    text = DATA_FILE.read_text(encoding="utf-8")
    assert text.startswith("#"), "the file must open with its documentation comment"
    assert "format: claimcheck-officeholders/1" in text
    assert kb.verified_through is not None
    assert date(2025, 1, 1) <= kb.verified_through <= date.today()
    assert len(kb) > 300


def test_shipped_entries_are_well_formed(kb: KnowledgeBase) -> None:
    for t in kb:
        assert t.end is None or t.start <= t.end, t.describe()
        assert t.roles, t.describe()
        # Every office is declared as data, and exclusive: one holder at a time is what
        # the consistency test and every wrong-holder verdict rely on.
        declared = office_vocabulary().office(t.office)
        assert declared is not None and declared.exclusive, t.describe()
        assert t.person.strip() == t.person, t.describe()
        assert t.verified_through is not None, t.describe()
        # An end past the source's own day is one a fresher source's holder implied.
        assert t.end is None or t.end <= t.verified_through or t.inferred_end, t.describe()


def test_shipped_file_has_no_overlapping_holders(kb: KnowledgeBase) -> None:
    overlaps = [(a.describe(), b.describe()) for a, b in find_overlaps(kb.tenures)]
    assert overlaps == []


def test_overlap_check_can_fail() -> None:
    a = Tenure(person="A One", office="president", jurisdiction="Ukraine", start=date(2020, 1, 1))
    b = Tenure(
        person="B Two",
        office="president",
        jurisdiction="Ukraine",
        start=date(2021, 1, 1),
        end=date(2022, 1, 1),
    )
    handover = a.model_copy(update={"end": date(2021, 1, 1)})
    acting = b.model_copy(update={"acting": True})
    assert find_overlaps([a, b]) == [(a, b)]
    assert find_overlaps([handover, b]) == []
    assert find_overlaps([a, acting]) == []


def _max_gap(tenures: list[Tenure], start: date, end: date) -> tuple[timedelta, date]:
    """The longest stretch of [start, end] that no tenure covers, and where it begins."""
    spans = sorted((t.start, t.end or date.max) for t in tenures)
    covered_to = start
    worst, where = timedelta(0), start
    for s, e in spans:
        if s > covered_to and s - covered_to > worst:
            worst, where = s - covered_to, covered_to
        covered_to = max(covered_to, e)
    if covered_to < end and end - covered_to > worst:
        worst, where = end - covered_to, covered_to
    return worst, where


@pytest.mark.parametrize("country", G20_AND_UKRAINE)
def test_every_role_is_covered_without_long_gaps(kb: KnowledgeBase, country: str) -> None:
    assert kb.verified_through is not None
    by_role: dict[Role, list[Tenure]] = defaultdict(list)
    for t in kb:
        if t.jurisdiction == country:
            for role in t.roles:
                by_role[role].append(t)
    for role in FOUR_ROLES:
        assert by_role[role], f"{country} has no {role.value}"
        gap, where = _max_gap(by_role[role], COVERAGE_START, kb.verified_through)
        assert gap <= MAX_GAP, f"{country} {role.value}: {gap.days} days uncovered from {where}"


def test_gap_measure_sees_a_gap() -> None:
    tenures = [
        Tenure(
            person="A One",
            office="president",
            jurisdiction="Ukraine",
            start=date(2014, 1, 1),
            end=date(2016, 1, 1),
        ),
        Tenure(person="B Two", office="president", jurisdiction="Ukraine", start=date(2017, 1, 1)),
    ]
    gap, where = _max_gap(tenures, COVERAGE_START, date(2020, 1, 1))
    assert (gap.days, where) == (366, date(2016, 1, 1))


# --------------------------------------------------------------------------- known facts


def test_kuleba_was_not_foreign_minister_in_july_2025_and_sybiha_was(kb: KnowledgeBase) -> None:
    holders = kb.holders("foreign minister", "Ukraine", JULY_4_2025)
    assert [t.person for t in holders] == ["Andrii Sybiha"]
    verdict = kb.check_title("Dmytro Kuleba", "Ukraine's Foreign Minister", JULY_4_2025)
    assert verdict.verdict is Verdict.SITTING_BUT_FORMER
    assert verdict.holder_names == ("Andrii Sybiha",)
    assert "2024-09-05" in verdict.explanation
    assert verdict.confidence >= 0.9
    assert not verdict.stale
    sybiha = kb.check_title("Andrii Sybiha", "Ukraine's Foreign Minister", JULY_4_2025)
    assert sybiha.verdict is Verdict.CONSISTENT


def test_kuleba_was_foreign_minister_in_2023(kb: KnowledgeBase) -> None:
    verdict = kb.check_title("Dmytro Kuleba", "Ukrainian Foreign Minister", date(2023, 6, 1))
    assert verdict.verdict is Verdict.CONSISTENT


def test_trump_sitting_in_july_2025_so_former_is_wrong(kb: KnowledgeBase) -> None:
    assert [t.person for t in kb.holders("president", "United States", JULY_4_2025)] == [
        "Donald Trump"
    ]
    verdict = check_title("Donald Trump", "former U.S. President", JULY_4_2025)
    assert verdict.verdict is Verdict.FORMER_BUT_SITTING
    assert verdict.modifier is RoleModifier.FORMER
    assert "2025-01-20" in verdict.explanation


def test_trump_between_terms(kb: KnowledgeBase) -> None:
    on = date(2022, 6, 1)
    assert kb.check_title("Trump", "former U.S. President", on).verdict is Verdict.CONSISTENT
    current = kb.check_title("Donald Trump", "U.S. President", on)
    assert current.verdict is Verdict.SITTING_BUT_FORMER
    assert current.holder_names == ("Joe Biden",)


def test_biden_was_sitting_on_1_january_2022(kb: KnowledgeBase) -> None:
    assert kb.check_title("Joe Biden", "President", date(2022, 1, 1)).verdict is Verdict.CONSISTENT
    assert (
        kb.check_title("Joe Biden", "U.S. President", JULY_4_2025).verdict
        is Verdict.SITTING_BUT_FORMER
    )


def test_wrong_holder_names_who_held_the_office(kb: KnowledgeBase) -> None:
    verdict = kb.check_title("Mark Esper", "U.S. Defense Secretary", date(2018, 1, 1))
    assert verdict.verdict is Verdict.WRONG_HOLDER
    assert verdict.holder_names == ("Jim Mattis",)
    other = kb.check_title("Sergey Lavrov", "Ukraine's Foreign Minister", JULY_4_2025)
    assert other.verdict is Verdict.WRONG_HOLDER
    assert other.holder_names == ("Andrii Sybiha",)


@pytest.mark.parametrize(
    ("person", "title"),
    [
        ("Radosław Sikorski", "Poland's foreign minister"),
        ("Radoslaw Sikorski", "Polish Foreign Minister"),
        ("Vitaly Klitschko", "Kyiv Mayor"),
        ("Volodymyr Zelensky", "Ukrainian President"),
        ("Vladimir Putin", "Russian President"),
    ],
)
def test_mentions_from_our_newsroom(kb: KnowledgeBase, person: str, title: str) -> None:
    assert kb.check_title(person, title, JULY_4_2025).verdict is Verdict.CONSISTENT


def test_title_without_country_is_checked_against_the_persons_offices(kb: KnowledgeBase) -> None:
    verdict = kb.check_title("Andriy Sibiha", "foreign minister", JULY_4_2025)
    assert verdict.verdict is Verdict.CONSISTENT
    assert verdict.jurisdiction == "Ukraine"
    # "Defence Secretary" reads as British by default, but Hegseth's own office decides.
    assert kb.check_title("Pete Hegseth", "Defence Secretary", JULY_4_2025).verdict is (
        Verdict.CONSISTENT
    )


def test_unknown_when_not_covered(kb: KnowledgeBase) -> None:
    assert kb.check_title("Jane Doe", "Health Minister", JULY_4_2025).verdict is Verdict.UNKNOWN
    assert kb.check_title("Jane Doe", "Mayor of Lviv", JULY_4_2025).verdict is Verdict.UNKNOWN
    deputy = kb.check_title("Jane Doe", "Ukraine's Deputy Foreign Minister", JULY_4_2025)
    assert deputy.verdict is Verdict.UNKNOWN
    assert deputy.confidence == 0.0
    # A former holder from before the file's coverage must not be called wrong.
    assert kb.check_title("Leonid Kravchuk", "former Ukrainian President", JULY_4_2025).verdict is (
        Verdict.UNKNOWN
    )


def test_then_title_is_true_of_its_time(kb: KnowledgeBase) -> None:
    verdict = kb.check_title("Kuleba", "then-Foreign Minister", JULY_4_2025)
    assert verdict.verdict is Verdict.CONSISTENT


def test_modifier_argument_overrides_title(kb: KnowledgeBase) -> None:
    verdict = kb.check_title(
        "Donald Trump", "U.S. President", JULY_4_2025, modifier=RoleModifier.FORMER
    )
    assert verdict.verdict is Verdict.FORMER_BUT_SITTING


def test_check_role_takes_office_and_jurisdiction(kb: KnowledgeBase) -> None:
    verdict = kb.check_role(
        "Dmytro Kuleba", office="foreign minister", jurisdiction="Ukraine", on=JULY_4_2025
    )
    assert verdict.verdict is Verdict.SITTING_BUT_FORMER
    assert kb.check_role("X", office="astronaut", jurisdiction=None, on=JULY_4_2025).verdict is (
        Verdict.UNKNOWN
    )


def test_handover_day_has_both_holders(kb: KnowledgeBase) -> None:
    holders = kb.holders("foreign minister", "Ukraine", date(2024, 9, 5))
    assert {t.person for t in holders} == {"Dmytro Kuleba", "Andrii Sybiha"}


def test_suspended_president_and_acting_president_are_both_holders(kb: KnowledgeBase) -> None:
    holders = {t.person for t in kb.holders("president", "South Korea", date(2025, 1, 15))}
    assert holders == {"Yoon Suk Yeol", "Choi Sang-mok"}


def test_head_of_government_titles_reach_premier_and_chancellor(kb: KnowledgeBase) -> None:
    assert [t.person for t in kb.holders("prime minister", "China", JULY_4_2025)] == ["Li Qiang"]
    assert [t.person for t in kb.holders("premier", "China", JULY_4_2025)] == ["Li Qiang"]
    assert [t.person for t in kb.holders("German Chancellor", "Germany", JULY_4_2025)] == [
        "Friedrich Merz"
    ]


def test_tenures_of_tolerates_spelling_variants(kb: KnowledgeBase) -> None:
    for name in ("Andrii Sybiha", "Andriy Sibiha", "Sybiha"):
        assert [t.person for t in kb.tenures_of(name)] == ["Andrii Sybiha"], name
    assert {t.person for t in kb.tenures_of("Zelensky")} == {"Volodymyr Zelenskyy"}
    assert [t.office for t in kb.tenures_of("Vitaliy Klitschko")] == ["mayor"]
    assert kb.tenures_of("Wladimir Klitschko") == []
    trump = kb.tenures_of("Donald Trump")
    assert [t.start for t in trump] == [date(2017, 1, 20), date(2025, 1, 20)]
    assert kb.tenures_of("") == []


# --------------------------------------------------------------------------- confidence


def test_confidence_falls_past_verified_through(kb: KnowledgeBase) -> None:
    through = kb.verified_through_for("mayor", "Kyiv")
    assert through is not None
    inside = kb.check_title("Vitali Klitschko", "Kyiv Mayor", through)
    soon = kb.check_title("Vitali Klitschko", "Kyiv Mayor", through + timedelta(30))
    late = kb.check_title("Vitali Klitschko", "Kyiv Mayor", through + timedelta(400))
    assert not inside.stale and soon.stale and late.stale
    assert inside.confidence > soon.confidence > 0
    # A year past the data, a term it saw open is "in office then, later unknown".
    assert late.verdict is Verdict.UNKNOWN and late.confidence == 0
    assert "last seen" in late.explanation
    assert "verified through" in soon.explanation
    assert soon.verified_through == through


def test_confidence_lower_near_approximate_dates(kb: KnowledgeBase) -> None:
    # Hakan Fidan's start date is marked approximate in the shipped file.
    near = kb.check_title("Hakan Fidan", "Turkish Foreign Minister", date(2023, 6, 10))
    far = kb.check_title("Hakan Fidan", "Turkish Foreign Minister", date(2024, 6, 10))
    assert near.verdict is far.verdict is Verdict.CONSISTENT
    assert near.confidence < far.confidence


# --------------------------------------------------------------------------- titles


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Ukraine's Foreign Minister", ("foreign minister", "Ukraine")),
        ("Ukraine’s foreign minister", ("foreign minister", "Ukraine")),
        ("U.S. President", ("president", "United States")),
        ("former U.S. President", ("president", "United States")),
        ("Russian President", ("president", "Russia")),
        ("Poland's foreign minister", ("foreign minister", "Poland")),
        ("Kyiv Mayor", ("mayor", "Kyiv")),
        ("Mayor of Kyiv", ("mayor", "Kyiv")),
        ("Defense Secretary", ("defence minister", "United States")),
        ("Secretary of State", ("foreign minister", "United States")),
        ("Foreign Secretary", ("foreign minister", "United Kingdom")),
        ("British Defence Secretary", ("defence minister", "United Kingdom")),
        ("Minister of Foreign Affairs of Ukraine", ("foreign minister", "Ukraine")),
        ("German Chancellor", ("chancellor", "Germany")),
        ("Chinese Premier", ("premier", "China")),
        ("Emperor of Japan", ("emperor", "Japan")),
        ("King", ("monarch", None)),
        ("President", ("president", None)),
        ("Ukraine's Deputy Foreign Minister", None),
        ("Kremlin spokesman", None),
        ("Secretary of State for Health", None),
        ("Vice President", ("vice president", None)),
        ("U.S. Vice President", ("vice president", "United States")),
        ("vice-president of Ukraine", ("vice president", "Ukraine")),
        ("Ukraine's Vice Prime Minister", None),
        ("vice presidential nominee", None),
        ("Presidents", ("president", None)),
        ("Presidents Vladimir Putin and Donald Trump", ("president", None)),
        ("U.S. and Russian presidents", ("president", None)),
        ("Foreign Ministers", ("foreign minister", None)),
        ("Mayors of Kyiv and Lviv", ("mayor", None)),
        ("Deputy Foreign Ministers", None),
        ("", None),
    ],
)
def test_normalise_office(title: str, expected: tuple[str, str | None] | None) -> None:
    assert normalise_office(title) == expected


@pytest.mark.parametrize(
    ("title", "modifier"),
    [
        ("former U.S. President", RoleModifier.FORMER),
        ("ex-president of Ukraine", RoleModifier.FORMER),
        ("acting Defence Minister", RoleModifier.ACTING),
        ("President-elect", RoleModifier.ELECT),
        ("Russian President", RoleModifier.NONE),
    ],
)
def test_parse_title_reads_modifiers(title: str, modifier: RoleModifier) -> None:
    parsed = parse_title(title)
    assert parsed is not None
    assert parsed.modifier is modifier


def test_plural_titles_name_several_holders_and_no_usual_country() -> None:
    plural = parse_title("former Secretaries of State")
    assert plural is not None
    assert (plural.office, plural.jurisdiction, plural.plural) == ("foreign minister", None, True)
    assert not plural.jurisdiction_inferred
    assert plural.modifier is RoleModifier.FORMER
    single = parse_title("U.S. Vice President")
    assert single is not None and not single.plural
    # A plural word outside the office's own name does not make the title plural.
    meeting = parse_title("Ukrainian President meeting ministers")
    assert meeting is not None
    assert (meeting.office, meeting.jurisdiction, meeting.plural) == ("president", "Ukraine", False)
    # The president of a body (here a council of ministers) is not the country's president.
    assert parse_title("Ukrainian President of the Council of Ministers") is None


def test_plural_title_is_checked_against_each_persons_own_office(kb: KnowledgeBase) -> None:
    title = "Presidents Vladimir Putin and Donald Trump"
    assert kb.check_title("Vladimir Putin", title, JULY_4_2025).verdict is Verdict.CONSISTENT
    assert kb.check_title("Donald Trump", title, JULY_4_2025).verdict is Verdict.CONSISTENT
    joe = kb.check_title("Joe Biden", "Presidents Joe Biden and Vladimir Putin", JULY_4_2025)
    assert joe.verdict is Verdict.SITTING_BUT_FORMER


def test_vice_president_is_an_office_the_shipped_file_does_not_cover(kb: KnowledgeBase) -> None:
    verdict = kb.check_title("JD Vance", "U.S. Vice President", JULY_4_2025)
    assert verdict.verdict is Verdict.UNKNOWN
    assert verdict.office == "vice president"
    assert verdict.jurisdiction == "United States"
    # Never read as "president": the vice president is not the head of state.
    assert kb.check_title("Donald Trump", "Vice President", JULY_4_2025).verdict is (
        Verdict.UNKNOWN
    )


def test_parse_title_marks_usual_country_as_inferred() -> None:
    inferred = parse_title("Secretary of State")
    explicit = parse_title("US Secretary of State")
    assert inferred is not None and explicit is not None
    assert inferred.jurisdiction_inferred and not explicit.jurisdiction_inferred


def test_a_phrase_declared_for_some_countries_names_no_office_in_another() -> None:
    # "Attorney General" is the United States' justice minister, but Brazil's (the
    # Advocate-General of the Union) or a state's is another post: not a title to check.
    us = parse_title("U.S. Attorney General")
    assert us is not None and us.office == "justice minister"
    assert us.jurisdiction == "United States"
    assert parse_title("Brazil's Attorney General") is None
    # A phrase two countries declare is read in either.
    health = parse_title("U.S. Health Secretary")
    assert health is not None and health.office == "health minister"
    assert parse_title("Indian Home Secretary") is None


def test_an_office_phrase_inside_a_lesser_title_is_that_title() -> None:
    # "state minister" starts first and overlaps "minister for transport": Uganda's junior
    # State Minister for Transport is not its transport minister.
    parsed = parse_title("Uganda's State Minister for Transport")
    assert parsed is None or parsed.office != "transport minister"
    transport = parse_title("Uganda's Minister for Transport")
    assert transport is not None and transport.office == "transport minister"


@pytest.mark.parametrize(
    "module",
    ["knowledge", "titles", "tenures", "store", "verdicts", "formats", "wikidata", "freshness"],
)
def test_module_docstring_examples_run(module: str) -> None:
    target = importlib.import_module(
        "claimcheck.knowledge" + ("" if module == "knowledge" else f".{module}")
    )
    extraglobs = {"date": date, **{name: getattr(knowledge, name) for name in knowledge.__all__}}
    result = doctest.testmod(target, extraglobs=extraglobs)
    assert result.failed == 0


def test_the_docstring_examples_cover_the_api() -> None:
    attempted = 0
    for module in ("titles", "tenures", "store"):
        target = importlib.import_module(f"claimcheck.knowledge.{module}")
        attempted += doctest.testmod(target, extraglobs={"date": date}).attempted
    assert attempted >= 5


# --------------------------------------------------------------------------- user files


def test_user_file_extends_and_overrides_default() -> None:
    default = default_knowledge()
    kb = KnowledgeBase.load([FIXTURES / "user_override.yaml"])
    on = date(2026, 1, 15)
    assert [t.person for t in default.holders("defence minister", "Argentina", on)] == [
        "Luis Petri"
    ]
    assert [t.person for t in kb.holders("defence minister", "Argentina", on)] == ["Carlos Presti"]
    # Petri's built-in open tenure is replaced, not kept alongside the user's.
    assert [(t.start, t.end) for t in kb.tenures_of("Luis Petri")] == [
        (date(2023, 12, 10), date(2025, 12, 10))
    ]
    assert kb.tenures_of("Carlos Presti")[0].roles == (Role.DEFENCE_MINISTER,)
    assert [t.person for t in kb.holders("mayor", "Kharkiv", on)] == ["Ihor Terekhov"]
    assert kb.verified_through == date(2026, 1, 31)
    assert len(kb) == len(default) + 2
    assert find_overlaps(kb.tenures) == []
    assert kb.tenures_of("Carlos Presti")[0].source == str(FIXTURES / "user_override.yaml")


def test_user_entry_trims_another_persons_default_tenure(tmp_path: Path) -> None:
    path = tmp_path / "new.yaml"
    path.write_text(
        "entries:\n"
        "  - {person: Test Successor, office: foreign minister, jurisdiction: Ukraine,"
        " start: 2025-09-01, end: null}\n",
        encoding="utf-8",
    )
    kb = KnowledgeBase.load([path])
    assert [t.end for t in kb.tenures_of("Andrii Sybiha")] == [date(2025, 9, 1)]
    assert [t.person for t in kb.holders("foreign minister", "Ukraine", date(2025, 10, 1))] == [
        "Test Successor"
    ]
    assert kb.verified_through == default_knowledge().verified_through


def test_load_without_default() -> None:
    kb = KnowledgeBase.load([FIXTURES / "user_override.yaml"], include_default=False)
    assert len(kb) == 3
    assert kb.holders("president", "United States", JULY_4_2025) == []


def test_csv_form_loads() -> None:
    kb = KnowledgeBase.load([FIXTURES / "officeholders_sample.csv"], include_default=False)
    assert len(kb) == 3
    assert kb.verified_through == date(2025, 6, 30)
    sybiha = kb.tenures_of("Andriy Sibiha")
    assert [(t.start, t.end, t.aliases) for t in sybiha] == [
        (date(2024, 9, 5), None, ("Andriy Sybiha", "Andrii Sibiha"))
    ]
    klitschko = kb.tenures_of("Vitaly Klitschko")[0]
    assert klitschko.note == "sworn in 2014-06-05, re-elected twice"
    assert klitschko.roles == (Role.OTHER,)
    verdict = kb.check_title("Kuleba", "Ukraine's Foreign Minister", JULY_4_2025)
    assert verdict.verdict is Verdict.SITTING_BUT_FORMER
    assert verdict.stale


def test_bare_yaml_list_loads(tmp_path: Path) -> None:
    path = tmp_path / "list.yml"
    path.write_text(
        "- person: Test Person\n  office: mayor\n  jurisdiction: Lviv\n  start: 2020-01-01\n",
        encoding="utf-8",
    )
    kb = KnowledgeBase.load([path], include_default=False)
    assert kb.verified_through is None
    assert [t.person for t in kb.holders("mayor", "Lviv", JULY_4_2025)] == ["Test Person"]


# --------------------------------------------------------------------------- bad files


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD_ENTRY = "  - {person: A Person, office: mayor, jurisdiction: Lviv, start: 2020-01-01}\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "entries:\n" + GOOD_ENTRY + "  - {person: B Person, office: mayor, jurisdiction: "
            "Odesa, start: 2021-01-01, end: 2020-01-01}\n",
            r"bad\.yaml:3: entry 2 \(person 'B Person'\): .*start 2021-01-01 is after end",
        ),
        (
            "entries:\n" + GOOD_ENTRY + "  - {person: B Person, office: mayor, jurisdiction: "
            "Odesa, start: 2021-01-01, mayor_since: 2020}\n",
            r"bad\.yaml:3: entry 2 .*mayor_since: Extra inputs are not permitted",
        ),
        (
            "entries:\n" + GOOD_ENTRY + "  - {person: B Person, office: mayor, start: 2021-1-1}\n",
            r"bad\.yaml:3: entry 2 .*jurisdiction: Field required",
        ),
        (
            "entries:\n" + GOOD_ENTRY + "  - just a string\n",
            r"bad\.yaml:3: entry 2: expected a mapping",
        ),
        ("entries:\n  - {person: [unclosed\n", r"bad\.yaml:\d+: not valid YAML"),
        ("", r"empty"),
        ("entries: {person: A}\n", r"expected a list of entries"),
        ("format: claimcheck-officeholders/9\nentries: []\n", r"format .* is not supported"),
        ("verified_through: soon\nentries: []\n", r"verified_through 'soon' is not a date"),
        ("colour: blue\nentries: []\n", r"unknown top-level keys \['colour'\]"),
        (
            "entries:\n" + GOOD_ENTRY + "  - {person: B Person, office: mayor, jurisdiction: "
            "Lviv, start: 2021-01-01}\n",
            r"A Person, mayor of Lviv 2020-01-01 – \(open\) overlaps B Person",
        ),
    ],
)
def test_bad_yaml_file_names_the_line_and_entry(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, "bad.yaml", text)
    with pytest.raises(KnowledgeError, match=message):
        KnowledgeBase.load([path], include_default=False)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "person,office,jurisdiction,start,acting\nA Person,mayor,Lviv,2020-01-01,maybe\n",
            r"bad\.csv:2: row 1: acting must be true or false, not 'maybe'",
        ),
        (
            "person,office,jurisdiction,start\nA Person,mayor,Lviv,2020-01-01\n"
            "B Person,mayor,Odesa,someday\n",
            r"bad\.csv:3: row 2 \(person 'B Person'\): start",
        ),
        ("person,office\nA Person,mayor\n", r"CSV header lacks \['jurisdiction', 'start'\]"),
        (
            "person,office,jurisdiction,start,colour\nA,mayor,Lviv,2020-01-01,blue\n",
            r"unknown CSV columns \['colour'\]",
        ),
        (
            "person,office,jurisdiction,start\nA Person,mayor,Lviv,2020-01-01,extra\n",
            r"bad\.csv:2: row 1: more fields than columns",
        ),
    ],
)
def test_bad_csv_file_names_the_row(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, "bad.csv", text)
    with pytest.raises(KnowledgeError, match=message):
        KnowledgeBase.load([path], include_default=False)


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="does not exist"):
        KnowledgeBase.load([tmp_path / "missing.yaml"])
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00entries")
    with pytest.raises(KnowledgeError, match="not UTF-8"):
        KnowledgeBase.load([binary])
    with pytest.raises(KnowledgeError, match="unknown type"):
        KnowledgeBase.load([_write(tmp_path, "notes.txt", "x")])


# --------------------------------------------------------------------------- Wikidata import


def test_import_wikidata_sample() -> None:
    tenures = import_wikidata(FIXTURES / "wikidata_sample.json")
    by_person = {t.person: t for t in tenures}
    # Health minister is a declared office (data/vocabulary/offices.yaml), so it imports; the
    # undated row cannot be placed.
    assert sorted(by_person) == [
        "Andrii Sybiha",
        "Dmytro Kuleba",
        "Example Health Minister",
        "Joe Biden",
        "Stepan Poltorak",
    ]
    assert by_person["Example Health Minister"].office == "health minister"
    kuleba = by_person["Dmytro Kuleba"]
    assert (kuleba.office, kuleba.jurisdiction, kuleba.start, kuleba.end) == (
        "foreign minister",
        "Ukraine",
        date(2020, 3, 4),
        date(2024, 9, 5),
    )
    assert kuleba.roles == (Role.FOREIGN_MINISTER,)
    assert kuleba.source == "wikidata:Q9000001"
    assert not kuleba.approximate
    # Two rows of one statement merge, keeping every alias.
    assert by_person["Andrii Sybiha"].aliases == ("Andriy Sybiha", "Andrii Sibiha", "Andrij Sybiha")
    assert by_person["Andrii Sybiha"].end is None
    biden = by_person["Joe Biden"]
    assert (biden.office, biden.jurisdiction) == ("president", "United States")
    # Year precision: the start is only known to the year.
    assert by_person["Stepan Poltorak"].approximate


def test_import_round_trip_through_yaml_and_csv(tmp_path: Path) -> None:
    tenures = import_wikidata(FIXTURES / "wikidata_sample.json")
    for name in ("imported.yaml", "imported.csv"):
        path = tmp_path / name
        dump_tenures(tenures, path, verified_through=date(2025, 1, 31))
        kb = KnowledgeBase.load([path], include_default=False)
        assert sorted(kb.tenures, key=lambda t: t.person) == sorted(
            tenures, key=lambda t: t.person
        ), name
        assert kb.verified_through == date(2025, 1, 31)


def test_shipped_file_round_trips(tmp_path: Path) -> None:
    kb = default_knowledge()
    path = tmp_path / "copy.yaml"
    dump_tenures(kb.tenures, path, verified_through=kb.verified_through)
    again = KnowledgeBase.load([path], include_default=False)
    assert again.tenures == kb.tenures


def test_sparql_json_loads_as_knowledge_file() -> None:
    kb = KnowledgeBase.load([FIXTURES / "wikidata_sample.json"], include_default=False)
    assert len(kb) == 5


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "not a readable JSON file"),
        ('{"head": {}}', "lacks results.bindings"),
        ('{"head": {}, "results": {"bindings": [1]}}', "binding 1: expected an object"),
        (
            '{"head": {}, "results": {"bindings": [{"personLabel": {"value": "A"}}]}}',
            "binding 1: needs personLabel and positionLabel",
        ),
        (
            '{"head": {}, "results": {"bindings": [{"personLabel": {"value": "A"}, '
            '"positionLabel": {"value": "President of Ukraine"}, '
            '"start": {"value": "sometime"}}]}}',
            "binding 1: 'sometime' is not a date",
        ),
    ],
)
def test_import_wikidata_rejects_bad_exports(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, "export.json", text)
    with pytest.raises(KnowledgeError, match=message):
        import_wikidata(path)


def test_title_modifier_reads_every_modifier_spelling() -> None:
    assert title_modifier("former U.S. President") is RoleModifier.FORMER
    assert title_modifier("then-foreign minister") is RoleModifier.FORMER
    assert title_modifier("one-time defence minister") is RoleModifier.FORMER
    assert title_modifier("caretaker prime minister") is RoleModifier.ACTING
    assert title_modifier("President-elect") is RoleModifier.ELECT
    assert title_modifier("Ukraine's Foreign Minister") is RoleModifier.NONE


# --------------------------------------------------------------------------- offices as data


@pytest.mark.parametrize(
    "title",
    [
        "Indian Premier League chairman",
        "Indian Premier League chief",
        "American Airlines president",
        "Conservative Party chairman",
        "Conservative Party president",
        "Real Madrid president",
        "Federal Reserve chair",
        "Federal Reserve president",
        "Boeing president",
        "Bank of England governor",
    ],
)
def test_an_organisations_title_is_no_countrys_office(title: str) -> None:
    assert parse_title(title) is None
    assert organisation_title(title)


def test_organisation_titles_are_unknown_to_the_knowledge(kb: KnowledgeBase) -> None:
    # The premier of India was Narendra Modi; the league's chairman is no misattribution.
    verdict = kb.check_title("Arun Dhumal", "Indian Premier League chairman", JULY_4_2025)
    assert verdict.verdict is Verdict.UNKNOWN
    verdict = kb.check_title("Robert Isom", "American Airlines president", JULY_4_2025)
    assert verdict.verdict is Verdict.UNKNOWN


@pytest.mark.parametrize(
    ("title", "office", "jurisdiction"),
    [
        ("Indian Prime Minister", "prime minister", "India"),
        ("British Defence Secretary", "defence minister", "United Kingdom"),
        ("U.S. Secretary of State", "foreign minister", "United States"),
        ("Jammu and Kashmir Chief Minister", "chief minister", "Jammu and Kashmīr"),
        ("Deputy Chief Minister", "deputy chief minister", None),
        ("Texas Governor", "governor", "Texas"),
        ("Lagos State Governor", "governor", "Lagos"),
        ("Governor of Kano State", "governor", "Kano"),
        ("Lieutenant Governor", "lieutenant governor", None),
        ("Ontario Premier", "premier", "Ontario"),
        ("Minister-President of Bavaria", "minister president", "Bavaria"),
        ("UN Secretary-General", "secretary general", "United Nations"),
        ("NATO Secretary General", "secretary general", "NATO"),
        ("European Commission President", "commission president", "European Commission"),
        ("Nigerian Finance Minister", "finance minister", "Nigeria"),
        ("Home Secretary", "interior minister", "United Kingdom"),
        ("Kiev mayor", "mayor", "Kyiv"),
        ("Mayor of Bombay", "mayor", "Mumbai"),
    ],
)
def test_offices_come_from_the_vocabulary(
    title: str, office: str, jurisdiction: str | None
) -> None:
    assert normalise_office(title) == (office, jurisdiction)
    assert not organisation_title(title)


def test_an_office_the_data_does_not_cover_is_unknown(kb: KnowledgeBase) -> None:
    # No source lists Germany's minister-presidents nor Russia's republic heads.
    verdict = kb.check_title("Markus Söder", "Minister-President of Bavaria", JULY_4_2025)
    assert verdict.verdict is Verdict.UNKNOWN
    assert not kb.covers("minister president", "Bavaria")
    verdict = kb.check_title("Jane Doe", "Head of the Chechen Republic", JULY_4_2025)
    assert verdict.verdict is Verdict.UNKNOWN
    assert kb.check_title("Someone", "club chairman", JULY_4_2025).verdict is Verdict.UNKNOWN


def test_jurisdictions_come_from_the_gazetteer() -> None:
    assert canonical_jurisdiction("Kiev") == "Kyiv"
    assert canonical_jurisdiction("Burma") == "Myanmar"
    assert canonical_jurisdiction("Indian") == "India"
    assert canonical_jurisdiction("UN") == "United Nations"
    assert canonical_jurisdiction("Narnia") is None


# --------------------------------------------------------------------------- the built file


def test_fifty_random_entries_have_a_source_and_valid_dates(kb: KnowledgeBase) -> None:
    sources = {s["id"]: s for s in knowledge_sources()}
    for t in random.Random(12).sample(list(kb), 50):
        assert t.source, t.describe()
        origin, _, ref = t.source.partition(" ")
        assert origin in sources, t.describe()
        # Each row names its row in its source: a Wikidata id, a row of a dated source,
        # or, for a hand row, the official page its dates come from.
        assert ref.startswith(("wikidata:Q", "row:", "https://", "http://")), t.describe()
        assert date(1900, 1, 1) <= t.start <= date.today(), t.describe()
        assert t.end is None or t.start <= t.end <= date.today(), t.describe()
        assert t.verified_through == date.fromisoformat(sources[origin]["verified_through"])


def test_every_source_records_where_and_when(kb: KnowledgeBase) -> None:
    sources = knowledge_sources()
    assert len(sources) > 100
    for s in sources:
        assert {"id", "url", "verified_through", "retrieved", "licence"} <= set(s), s
        assert date.fromisoformat(s["verified_through"]) <= date.fromisoformat(s["retrieved"])
        if not s["id"].startswith(HAND_SOURCE):
            assert s["commit"] and s["commit"] in s["url"] and s["repo"] in s["url"], s
            assert s["licence"].startswith(("CC0", "CC BY", "public domain")), s
    used = {t.source.partition(" ")[0] for t in kb if t.source}
    assert used <= {s["id"] for s in sources}


def test_coverage_reaches_beyond_the_g20(kb: KnowledgeBase) -> None:
    places = {t.jurisdiction for t in kb}
    offices = {t.office for t in kb}
    assert len(places) > 150
    assert {"finance minister", "interior minister", "secretary general"} <= offices
    assert len(kb) > 5000


DIVISION_OFFICES = ("governor", "chief minister", "mayor", "minister president", "first minister")


@pytest.mark.parametrize(
    ("person", "title"),
    [
        ("Mike DeWine", "Ohio's governor"),
        ("Pinarayi Vijayan", "Chief Minister of Kerala"),
        ("Doug Ford", "Ontario Premier"),
        ("Babajide Sanwo-Olu", "Lagos State Governor"),
        ("Gladys Berejiklian", "Premier of New South Wales"),
        ("Sergey Sobyanin", "Mayor of Moscow"),
    ],
)
def test_a_division_or_city_title_resolves_to_the_sourced_holder(
    kb: KnowledgeBase, person: str, title: str
) -> None:
    verdict = kb.check_title(person, title, date(2021, 6, 1))
    assert verdict.verdict is Verdict.CONSISTENT
    assert not verdict.stale and verdict.confidence > 0.9
    (holder,) = verdict.holders
    assert holder.person == person
    origin, _, ref = (holder.source or "").partition(" wikidata:")
    assert origin.startswith("every-politician-scrapers/") and ref.startswith("Q")


def test_a_division_title_given_to_a_predecessor_names_the_holder(kb: KnowledgeBase) -> None:
    verdict = kb.check_title("John Kasich", "Ohio Governor", date(2021, 6, 1))
    assert verdict.verdict is Verdict.SITTING_BUT_FORMER
    assert [t.person for t in verdict.holders] == ["Mike DeWine"]
    verdict = kb.check_title("Amarinder Singh", "Punjab Chief Minister", date(2022, 1, 1))
    assert verdict.verdict is Verdict.SITTING_BUT_FORMER
    assert [t.person for t in verdict.holders] == ["Charanjit Singh Channi"]
    verdict = kb.check_title("Mike DeWine", "former Ohio governor", date(2021, 6, 1))
    assert verdict.verdict is Verdict.FORMER_BUT_SITTING


def test_a_division_name_two_countries_share_is_one_countrys(kb: KnowledgeBase) -> None:
    # India and Pakistan both have a Punjab; the parser reads "Punjab" as India's.
    punjab = [t for t in kb if t.office == "chief minister" and t.jurisdiction == "Punjab"]
    assert punjab
    assert {(t.source or "").split("@")[0] for t in punjab} == {
        "every-politician-scrapers/india-ministers"
    }


def test_division_and_city_offices_are_covered_in_the_large_federations(
    kb: KnowledgeBase,
) -> None:
    covered = {(t.office, t.jurisdiction) for t in kb}
    for office, place in [
        ("governor", "California"),
        ("governor", "Kano"),
        ("governor", "Minas Gerais"),
        ("governor", "Saint Petersburg"),
        ("chief minister", "Uttar Pradesh"),
        ("premier", "Quebec"),
        ("premier", "Victoria"),
        ("mayor", "Seoul"),
        ("governor", "Tokyo"),
    ]:
        assert (office, place) in covered, (office, place)
    assert len({t.jurisdiction for t in kb if t.office == "governor"}) > 200
    assert len({t.jurisdiction for t in kb if t.office == "mayor"}) > 100


def test_a_sample_of_division_and_city_entries_have_a_source_and_valid_dates(
    kb: KnowledgeBase,
) -> None:
    sources = {s["id"]: s for s in knowledge_sources()}
    local = [t for t in kb if t.office in DIVISION_OFFICES and t.source != HAND_SOURCE]
    assert len(local) > 1500
    for t in random.Random(12).sample(local, 80):
        origin, _, ref = (t.source or "").partition(" wikidata:")
        source = sources[origin]
        assert source["repo"].startswith("every-politician-scrapers/"), t.describe()
        assert source["commit"] in source["url"] and ref.startswith("Q"), t.describe()
        assert t.jurisdiction == canonical_jurisdiction(t.jurisdiction), t.describe()
        assert t.verified_through == date.fromisoformat(source["verified_through"])
        assert date(1900, 1, 1) <= t.start <= t.verified_through, t.describe()
        assert t.end is None or t.start <= t.end <= t.verified_through, t.describe()


def test_built_in_entries_equal_validated_tenures(kb: KnowledgeBase) -> None:
    # The built-in file is read without validation; every entry must survive it unchanged
    # (a jurisdiction not in its canonical spelling, a bad role or date would not).
    for t in kb:
        assert Tenure.model_validate(t.model_dump()) == t, t.describe()


def test_precomputed_surname_keys_match_the_name_folding() -> None:
    document = json.loads(gzip.decompress(COMPACT_FILE.read_bytes()))
    columns = document["columns"]
    person, aliases, keys = (columns.index(c) for c in ("person", "aliases", "surnames"))
    stale = [
        row[person]
        for row in document["entries"]
        if tuple(row[keys]) != surname_keys([row[person], *row[aliases]])
    ]
    assert stale == [], "rebuild with scripts/build_officeholders.py"


def test_each_office_is_as_fresh_as_its_sources(kb: KnowledgeBase) -> None:
    assert kb.verified_through_for("foreign minister", "Ukraine") == date(2025, 10, 31)
    nigeria = kb.verified_through_for("finance minister", "Nigeria")
    assert nigeria is not None and nigeria < date(2023, 1, 1)
    # A hand row known only to an earlier day than the file keeps its own day.
    assert kb.verified_through_for("finance minister", "Japan") == date(2025, 9, 30)
    assert kb.verified_through_for("foreign minister", "Atlantis") == kb.verified_through


def test_well_past_an_office_s_data_a_change_is_unknown(kb: KnowledgeBase) -> None:
    # Nigeria's finance ministry is known from a 2022 snapshot only.
    day = date(2025, 5, 1)
    through = kb.verified_through_for("finance minister", "Nigeria")
    assert through is not None and through < date(2023, 1, 1)
    seen = kb.holders("finance minister", "Nigeria", through)
    assert len(seen) == 1
    holder = seen[0].person
    nobody = kb.check_title("Wale Edun", "Nigerian Finance Minister", day)
    still = kb.check_title(holder, "Nigerian Finance Minister", day)
    former = kb.check_title(holder, "former Nigerian Finance Minister", day)
    assert [v.verdict for v in (nobody, still, former)] == [Verdict.UNKNOWN] * 3
    # Inside the data's period the same questions are settled.
    inside = kb.check_title("Wale Edun", "Nigerian Finance Minister", through)
    assert inside.verdict is Verdict.WRONG_HOLDER


def test_a_fresher_source_settles_what_a_2022_snapshot_could_not(kb: KnowledgeBase) -> None:
    # Kenya's presidency: the 2022 snapshot ends before Ruto; the Factbook's history has him.
    day = date(2025, 5, 1)
    assert kb.check_title("William Ruto", "Kenyan President", day).verdict is Verdict.CONSISTENT
    left = kb.check_title("Uhuru Kenyatta", "Kenyan President", day)
    assert left.verdict is Verdict.SITTING_BUT_FORMER
    former = kb.check_title("Uhuru Kenyatta", "former Kenyan President", day)
    assert former.verdict is Verdict.CONSISTENT
    inside = kb.check_title("Mwai Kibaki", "Kenyan President", date(2020, 5, 1))
    assert inside.verdict is Verdict.SITTING_BUT_FORMER and inside.confidence >= 0.9
    assert not inside.stale


def test_a_year_only_date_lowers_confidence_for_the_year() -> None:
    start = Tenure(
        person="A One",
        office="president",
        jurisdiction="Kenya",
        start=date(2015, 1, 1),
        approximate=True,
    )
    kb = KnowledgeBase([start], verified_through=date(2025, 1, 1))
    near = kb.check_title("A One", "Kenyan President", date(2015, 9, 1))
    far = kb.check_title("A One", "Kenyan President", date(2017, 9, 1))
    assert near.confidence < far.confidence


def test_declared_co_holders_are_no_overlap() -> None:
    a = Tenure(person="A One", office="monarch", jurisdiction="Andorra", start=date(2020, 1, 1))
    b = Tenure(person="B Two", office="monarch", jurisdiction="Andorra", start=date(2021, 1, 1))
    assert find_overlaps([a, b]) == [(a, b)]
    co = [t.model_copy(update={"co_holder": True}) for t in (a, b)]
    assert find_overlaps(co) == []


_WD = "http://www.wikidata.org/entity/"
SPARQL_CSV = "\n".join(
    [
        "person,personLabel,positionLabel,countryLabel,start,end",
        f"{_WD}Q1,Testa Personova,Minister of Finance,Kenya,2019-01-14T00:00:00Z,",
        f"{_WD}Q2,Otto Exampleson,Minister of Finance,Kenya,2015-01-01T00:00:00Z,"
        "2019-01-14T00:00:00Z",
        f"{_WD}Q3,Ina Unknown,Chief Whip of the Hypothetical Party,Kenya,2019-01-01T00:00:00Z,",
        "",
    ]
)


def test_a_wikidata_csv_export_imports_any_declared_office(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text(SPARQL_CSV, encoding="utf-8")
    tenures = import_wikidata(export)
    assert [(t.person, t.office, t.jurisdiction, t.approximate) for t in tenures] == [
        ("Otto Exampleson", "finance minister", "Kenya", True),
        ("Testa Personova", "finance minister", "Kenya", False),
    ]
    assert tenures[0].source == "wikidata:Q2"
    kb = KnowledgeBase.load([export], include_default=False)
    assert len(kb) == 2


def test_update_extends_a_knowledge_file(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text(SPARQL_CSV, encoding="utf-8")
    target = tmp_path / "holders.yaml"
    assert update_knowledge(export, target, as_of=date(2026, 1, 31)) == (2, 2)
    sample = FIXTURES / "wikidata_sample.json"
    read, total = update_knowledge(sample, target, as_of=date(2026, 2, 1))
    assert total == 2 + read
    tenures, verified = read_knowledge_file(target)
    assert verified == date(2026, 2, 1) and len(tenures) == total
    kb = KnowledgeBase.load([target])
    verdict = kb.check_title("Otto Exampleson", "Kenyan Finance Minister", date(2020, 1, 1))
    assert verdict.verdict is Verdict.SITTING_BUT_FORMER
    assert [t.person for t in verdict.holders] == ["Testa Personova"]


def test_a_compact_file_given_by_a_user_is_validated(tmp_path: Path, kb: KnowledgeBase) -> None:
    copy = tmp_path / "holders.json.gz"
    copy.write_bytes(COMPACT_FILE.read_bytes())
    loaded = KnowledgeBase.load([copy], include_default=False)
    assert loaded.tenures == kb.tenures
    broken = tmp_path / "broken.json.gz"
    broken.write_bytes(gzip.compress(b'{"format": "something else"}'))
    with pytest.raises(KnowledgeError, match="not a claimcheck-officeholders/1 compact file"):
        KnowledgeBase.load([broken], include_default=False)


def test_a_wrong_title_resting_on_a_long_open_tenure_is_not_certain() -> None:
    # An education minister recorded in 2017 with no end: four years on, someone else
    # called education minister is as likely an unrecorded reshuffle as a wrong title.
    open_since = Tenure(
        person="A One", office="education minister", jurisdiction="Ghana", start=date(2017, 1, 28)
    )
    kb = KnowledgeBase([open_since], verified_through=date(2022, 7, 1))
    later = kb.check_title("B Two", "Ghana's education minister", date(2021, 6, 1))
    assert later.verdict is Verdict.WRONG_HOLDER and later.confidence < 0.8
    former = kb.check_title("A One", "former Ghanaian education minister", date(2021, 6, 1))
    assert former.verdict is Verdict.FORMER_BUT_SITTING and former.confidence < 0.8
    # Within four years of its start, or with the successor recorded, the data settles it.
    early = kb.check_title("B Two", "Ghana's education minister", date(2019, 6, 1))
    assert early.verdict is Verdict.WRONG_HOLDER and early.confidence >= 0.9
    closed = open_since.model_copy(update={"end": date(2022, 1, 1)})
    kb = KnowledgeBase([closed], verified_through=date(2022, 7, 1))
    settled = kb.check_title("B Two", "Ghana's education minister", date(2021, 6, 1))
    assert settled.verdict is Verdict.WRONG_HOLDER and settled.confidence >= 0.9


def test_a_country_read_from_the_title_words_alone_is_not_certain() -> None:
    # "Defence Secretary" is read as Britain's; India's Defence Secretary is a civil
    # servant the data never lists, so "someone else held it" proves nothing for sure.
    holder = Tenure(
        person="C Three",
        office="defence minister",
        jurisdiction="United Kingdom",
        start=date(2024, 7, 5),
    )
    kb = KnowledgeBase([holder], verified_through=date(2025, 10, 31))
    guessed = kb.check_title("D Four", "Defence Secretary", date(2025, 3, 1))
    assert guessed.verdict is Verdict.WRONG_HOLDER and guessed.confidence < 0.8
    # Named country, or a person the data has in the office there: the data settles it.
    named = kb.check_title("D Four", "British Defence Secretary", date(2025, 3, 1))
    assert named.verdict is Verdict.WRONG_HOLDER and named.confidence >= 0.9
    earlier = kb.check_title("C Three", "former Defence Secretary", date(2025, 3, 1))
    assert earlier.verdict is Verdict.FORMER_BUT_SITTING and earlier.confidence >= 0.9


def test_loading_leaves_the_garbage_collector_as_it_found_it() -> None:
    import gc

    for enabled in (True, False):
        (gc.enable if enabled else gc.disable)()
        try:
            default_knowledge.cache_clear()
            assert len(default_knowledge()) > 10_000
            assert gc.isenabled() is enabled
        finally:
            gc.enable()


def test_an_open_end_from_wikidata_is_not_proof_that_nobody_followed() -> None:
    # Wikidata's "position held" leaves a tenure open until someone records its end: a
    # successor the data lacks makes "someone else held it" worth a look, not certain.
    scraped = Tenure(
        person="E Five",
        office="chief justice",
        jurisdiction="Pakistan",
        start=date(2019, 12, 21),
        source="every-politician-scrapers/pakistan-ministers@0000000000 wikidata:Q1",
    )
    kb = KnowledgeBase([scraped], verified_through=date(2022, 7, 1))
    other = kb.check_title("F Six", "Pakistan's chief justice", date(2022, 5, 1))
    assert other.verdict is Verdict.WRONG_HOLDER and other.confidence < 0.8
    # A recorded end is evidence; so is an open end a person vouched for.
    closed = scraped.model_copy(update={"end": date(2022, 2, 1)})
    kb = KnowledgeBase([closed], verified_through=date(2022, 7, 1))
    left = kb.check_title("E Five", "Pakistan's chief justice", date(2022, 5, 1))
    assert left.verdict is Verdict.SITTING_BUT_FORMER and left.confidence >= 0.9
    vouched = scraped.model_copy(update={"source": "claimcheck team, general knowledge"})
    kb = KnowledgeBase([vouched], verified_through=date(2022, 7, 1))
    held = kb.check_title("F Six", "Pakistan's chief justice", date(2022, 5, 1))
    assert held.verdict is Verdict.WRONG_HOLDER and held.confidence >= 0.9


@pytest.mark.parametrize(
    "title",
    [
        "Australian Labor minister",  # a party's minister
        "Pakistan's telecommunications minister",
        "Minister of Information and Communication Technology",
        "Associate Minister of Housing",
        "Second Minister for Trade and Industry",
        "Parliamentary Secretary to the Minister of Labour",
        "central bank chief economist",
        "Trade Minister-Counsellor",
        "Housing Secretary",  # British and American usage alike: no country is guessed
    ],
)
def test_titles_naming_another_post_are_no_declared_office(title: str) -> None:
    assert parse_title(title) is None


@pytest.mark.parametrize(
    ("title", "office", "place"),
    [
        ("South Australian Environment Minister", "environment minister", "South Australia"),
        ("Welsh Health Minister", "health minister", "Wales"),
        ("Scottish First Minister", "first minister", "Scotland"),
        ("Kenya's central bank governor", "central bank governor", "Kenya"),
        ("head of the Republic of Tatarstan", "head of republic", "Tatarstan"),
    ],
)
def test_state_adjectives_and_new_offices_are_read(title: str, office: str, place: str) -> None:
    parsed = parse_title(title)
    assert parsed is not None and (parsed.office, parsed.jurisdiction) == (office, place)


# --------------------------------------------------------------------------- layout


def test_the_public_api_is_pinned() -> None:
    assert knowledge.__all__ == sorted(knowledge.__all__)
    assert set(knowledge.__all__) == set(knowledge._EXPORTS)
    for name in knowledge.__all__:
        assert getattr(knowledge, name) is not None


def test_title_parsing_loads_no_store() -> None:
    # Extraction reads modifiers through claimcheck.language.titles: it loads nothing of
    # this package, and the names re-exported here load no store or built-in file either
    # (seconds of a run that checks no title).
    program = (
        "import sys\n"
        "from claimcheck.extract import roles\n"
        "print(sorted(m for m in sys.modules if m.startswith('claimcheck.knowledge')))\n"
        "from claimcheck.knowledge import title_modifier\n"
        "print(sorted(m for m in sys.modules if m.startswith('claimcheck.knowledge.')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    by_extraction, by_the_name = result.stdout.splitlines()
    assert by_extraction == "[]"
    assert by_the_name == "[]"


def test_a_failed_knowledge_write_leaves_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk (here: the rename failing) during `kb update` or `kb import -o` must not
    leave the existing file cut into invalid YAML; a symlinked file is replaced at its
    target and stays a link."""
    import os

    tenures = import_wikidata(FIXTURES / "wikidata_sample.json")
    real = tmp_path / "real.yaml"
    dump_tenures(tenures[:1], real, verified_through=date(2025, 1, 31))
    before = real.read_text(encoding="utf-8")
    link = tmp_path / "knowledge.yaml"
    link.symlink_to(real)

    def full_disk(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(KnowledgeError, match="No space left"):
        dump_tenures(tenures, link, verified_through=date(2025, 2, 1))
    assert real.read_text(encoding="utf-8") == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    monkeypatch.undo()
    dump_tenures(tenures, link, verified_through=date(2025, 2, 1))
    assert link.is_symlink()
    assert len(KnowledgeBase.load([link], include_default=False).tenures) == len(tenures)
