"""`claimcheck kb sources`: the sources with their licences, and the freshness table."""

from __future__ import annotations

from datetime import date

from click.testing import CliRunner

from claimcheck.cli import main
from claimcheck.knowledge import Tenure, default_knowledge, knowledge_sources
from claimcheck.knowledge.freshness import KINDS, freshness, source_family


def test_freshness_counts_places_and_dates_per_source_and_kind() -> None:
    def t(person: str, office: str, place: str, source: str, seen: date) -> Tenure:
        return Tenure(
            person=person,
            office=office,
            jurisdiction=place,
            start=date(2020, 1, 1),
            source=source,
            verified_through=seen,
        )

    rows = freshness(
        [
            t(
                "A",
                "president",
                "Kenya",
                "every-politician-scrapers/kenya@1 wikidata:Q1",
                date(2022, 8, 1),
            ),
            t(
                "B",
                "president",
                "Ghana",
                "every-politician-scrapers/ghana@2 wikidata:Q2",
                date(2023, 1, 5),
            ),
            t(
                "C",
                "finance minister",
                "Ghana",
                "every-politician-scrapers/ghana@2",
                date(2023, 1, 5),
            ),
            t(
                "D",
                "president",
                "Kenya",
                "factbook/factbook.json@9 row:africa/ke.json",
                date(2026, 1, 22),
            ),
            t(
                "E",
                "mayor",
                "Kyiv",
                "claimcheck/data/officeholders.yaml https://kyivcity.gov.ua/",
                date(2025, 10, 31),
            ),
        ]
    )
    table = [(r.source, r.kind, r.jurisdictions, r.earliest, r.through) for r in rows]
    assert table == [
        ("factbook/factbook.json", KINDS[0], 1, date(2026, 1, 22), date(2026, 1, 22)),
        ("claimcheck/data/officeholders.yaml", KINDS[2], 1, date(2025, 10, 31), date(2025, 10, 31)),
        ("every-politician-scrapers", KINDS[0], 2, date(2022, 8, 1), date(2023, 1, 5)),
        ("every-politician-scrapers", KINDS[1], 1, date(2023, 1, 5), date(2023, 1, 5)),
    ]


def test_source_family_groups_one_project_s_repositories() -> None:
    assert (
        source_family("every-politician-scrapers/kenya@1 wikidata:Q1")
        == "every-politician-scrapers"
    )
    assert source_family("factbook/factbook.json@9 row:x") == "factbook/factbook.json"
    assert source_family(None) == "user files"


def test_kb_sources_lists_licences_and_ends_with_the_freshness_table() -> None:
    result = CliRunner().invoke(main, ["kb", "sources"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    header = lines.index(next(line for line in lines if line.startswith("source ")))
    table = lines[header + 1 :]
    assert table and all(len(line.split()) >= 4 for line in table)
    factbook = next(line for line in table if line.startswith("factbook/factbook.json"))
    assert "heads of state and government" in factbook and factbook.endswith("2026-01-22")
    # Every licence is named, each source once.
    for source in knowledge_sources():
        assert source["licence"], source
    assert "CC BY 4.0" in result.stdout and "public domain" in result.stdout
    # The built-in knowledge: heads of state and government of over 180 countries.
    heads = [r for r in freshness(default_knowledge()) if r.source == "factbook/factbook.json"]
    assert any(r.kind == KINDS[0] and r.jurisdictions >= 180 for r in heads)
