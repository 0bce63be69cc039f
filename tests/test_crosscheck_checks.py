"""The registry of cross-checks: every check of an event runs from it, in its order, and a
check added to it runs like the built-in ones."""

from __future__ import annotations

from test_crosscheck import injured, make_item

from claimcheck.crosscheck import CHECKS, Check, EventChecks, check_event
from claimcheck.crosscheck.events import group_events
from claimcheck.models import Finding, FindingKind


def two_sources() -> list:  # type: ignore[type-arg]
    return [
        make_item("a", "At least 23 people were injured.", [injured("At least 23 people", 23)]),
        make_item("b", "Officials said 31 people were injured.", [injured("31 people", 31)]),
    ]


def test_the_registry_names_every_check_in_the_order_they_run() -> None:
    assert [c.name for c in CHECKS] == [
        "titles",
        "figures and quotes",
        "spellings",
        "facts",
        "single source",
    ]
    # Only titles run on an event one source tells.
    assert [c.name for c in CHECKS if c.single_source] == ["titles"]


def test_a_check_added_to_the_registry_runs_on_every_event() -> None:
    seen: list[int] = []

    def count(ctx: EventChecks) -> list[Finding]:
        seen.append(len(ctx.group.items))
        return []

    [group] = group_events(two_sources())
    built_in = check_event(group, llm=None, knowledge=None, as_of=None)
    extended = check_event(
        group, llm=None, knowledge=None, as_of=None, checks=(*CHECKS, Check("count", count))
    )
    assert seen == [2]
    assert extended == built_in
    assert any(f.kind is FindingKind.CONTRADICTION for f in built_in)


def test_a_check_can_leave_word_for_a_later_one() -> None:
    """The facts check marks what another source backs; here a stand-in marks everything,
    and the single-source check after it then has nothing left to report."""
    from test_crosscheck_facts import three_sources

    def settle_all(ctx: EventChecks) -> list[Finding]:
        ctx.settled |= {c.id for c in ctx.group.claims}
        return []

    group = three_sources()
    single = tuple(c for c in CHECKS if c.name == "single source")
    alone = check_event(group, llm=None, knowledge=None, as_of=None, checks=single)
    assert alone and all(f.kind is FindingKind.UNCORROBORATED for f in alone)
    settled = (Check("settle", settle_all), *single)
    assert check_event(group, llm=None, knowledge=None, as_of=None, checks=settled) == []
