"""The gold test: cross_check on the gold claims of every fixture article must report what an
editor expects (fixtures/gold/findings.yaml), nothing across events (fixtures/gold/events.yaml),
and nothing forbidden by the gold ``must_not`` list."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from claimcheck.crosscheck import CrossCheckResult, cross_check
from claimcheck.ingest import read_articles
from claimcheck.knowledge import KnowledgeBase
from claimcheck.llm import LLM, CompletionRequest
from claimcheck.models import ArticleClaims, Finding, FindingKind
from evaluation.claims import load_story_groups
from evaluation.findings import (
    load_gold_findings,
    score_findings_by_group,
    subject_matches,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
GOLD = FIXTURES / "gold"


def load_gold_items(folder: str = "articles") -> list[ArticleClaims]:
    """Every fixture article of a folder (articles/ or drafts/) with its gold claims."""
    items = []
    for path in sorted((FIXTURES / folder).glob("*.md")):
        [article] = read_articles([path])
        article = article.model_copy(update={"id": path.stem})
        gold = json.loads((GOLD / "claims" / f"{path.stem}.json").read_text(encoding="utf-8"))
        assert gold["gold"] is True and gold["article_id"] == path.stem
        item = ArticleClaims.model_validate(
            {"article": article, "event": gold["event"], "claims": gold["claims"]}
        )
        assert all(c.span.matches(article.text) for c in item.claims), path.stem
        items.append(item)
    return items


@pytest.fixture(scope="module")
def gold_items() -> list[ArticleClaims]:
    return load_gold_items()


@pytest.fixture(scope="module")
def result(gold_items: list[ArticleClaims]) -> CrossCheckResult:
    return cross_check(gold_items, llm=None, knowledge=KnowledgeBase.load())


@pytest.fixture(scope="module")
def gold_findings() -> dict[str, Any]:
    data = yaml.safe_load((GOLD / "findings.yaml").read_text(encoding="utf-8"))
    assert data["gold"] is True
    return data  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def gold_events() -> list[dict[str, Any]]:
    data = yaml.safe_load((GOLD / "events.yaml").read_text(encoding="utf-8"))
    assert data["gold"] is True
    return data["events"]  # type: ignore[no-any-return]


def articles_of(finding: Finding) -> frozenset[str]:
    return frozenset(e.article_id for e in finding.evidence)


def claims_of(finding: Finding) -> frozenset[str]:
    return frozenset(e.claim_id for e in finding.evidence if e.claim_id)


def matches(gold: dict[str, Any], got: Finding, event_of: dict[str, str]) -> bool:
    """Kind, subject, severity and articles agree (also_claims may add their articles)."""
    allowed = set(gold["articles"]) | {c.split(":")[0] for c in gold.get("also_claims", ())}
    arts = articles_of(got)
    return (
        got.kind.value == gold["kind"]
        and got.severity.value == gold["severity"]
        and got.basis.value == gold["basis"]
        and any(
            subject_matches(gold["kind"], s, got.subject)
            for s in (gold["subject"], *gold.get("also_subjects", ()))
        )
        and set(gold["articles"]) <= arts <= allowed
        and all(event_of[a] == gold["event"] for a in arts)
    )


def test_events_match_gold(result: CrossCheckResult, gold_events: list[dict[str, Any]]) -> None:
    got = sorted(sorted(e.article_ids) for e in result.events)
    want = sorted(sorted(e["articles"]) for e in gold_events)
    assert got == want


def strict_events(gold_events: list[dict[str, Any]]) -> set[str]:
    """Events held to the exact gold (kind, severity, subject, articles): the air-strike
    fixtures the checker was first built on. The other story types and the real-copy set
    are scored by what an editor would recognise (evaluation.findings), per story
    type, in test_each_story_type_keeps_its_floor below."""
    return {e["id"] for e in gold_events if e.get("story_type", "air_strike") == "air_strike"}


def test_every_required_finding_is_reported(
    result: CrossCheckResult, gold_findings: dict[str, Any], gold_events: list[dict[str, Any]]
) -> None:
    event_of = {a: e["id"] for e in gold_events for a in e["articles"]}
    strict = strict_events(gold_events)
    missing = [
        g["id"]
        for g in gold_findings["findings"]
        if g["required"]
        and not g["needs_model"]
        and g["event"] in strict
        and not any(matches(g, f, event_of) for f in result.findings)
    ]
    assert missing == []


def test_every_finding_is_expected_by_gold(
    result: CrossCheckResult, gold_findings: dict[str, Any], gold_events: list[dict[str, Any]]
) -> None:
    event_of = {a: e["id"] for e in gold_events for a in e["articles"]}
    strict = strict_events(gold_events)
    unexpected = [
        (f.kind.value, f.severity.value, f.subject, sorted(articles_of(f)))
        for f in result.findings
        if f.event_id in strict
        and not any(matches(g, f, event_of) for g in gold_findings["findings"])
    ]
    assert unexpected == []


# Per story type and set, on the gold claims with no model: the precision and recall the
# cross-checker reaches at this commit (a regression floor; issue 9 aims at 0.8 / 0.8 for
# every type). (precision, recall of required findings)
FLOORS: dict[str, tuple[float, float]] = {
    "written/air_strike": (1.0, 1.0),
    "written/attack": (1.0, 1.0),
    "written/business": (1.0, 1.0),
    "written/court": (1.0, 1.0),
    "written/disaster": (1.0, 1.0),
    "written/election": (1.0, 1.0),
    "written/transport_crash": (1.0, 1.0),
    "realcopy/business": (1.0, 1.0),
    "realcopy/court": (1.0, 1.0),
    "realcopy/disaster": (1.0, 1.0),
    "realcopy/election": (1.0, 1.0),
    "realcopy/health": (1.0, 1.0),
    "realcopy/transport_crash": (1.0, 1.0),
}


def test_each_story_type_keeps_its_floor(result: CrossCheckResult) -> None:
    gold = load_gold_findings(GOLD)
    groups = load_story_groups(GOLD / "events.yaml")
    scores = score_findings_by_group(result.findings, gold, groups, with_model=False)
    assert set(scores) == set(FLOORS), "a new story group needs its floor here"
    below = {
        label: (s.precision, s.recall)
        for label, s in scores.items()
        if (s.precision or 0.0) < FLOORS[label][0] or (s.recall or 0.0) < FLOORS[label][1]
    }
    assert below == {}
    # The worst an editor can see: a high finding that is not a real error, in any type.
    assert [f.explanation for s in scores.values() for f in s.false_high] == []


def test_each_gold_finding_is_reported_at_most_once(
    result: CrossCheckResult, gold_findings: dict[str, Any], gold_events: list[dict[str, Any]]
) -> None:
    event_of = {a: e["id"] for e in gold_events for a in e["articles"]}
    counts = Counter(
        g["id"]
        for g in gold_findings["findings"]
        for f in result.findings
        if matches(g, f, event_of)
    )
    assert [gid for gid, n in counts.items() if n > 1] == []


def test_no_finding_spans_two_events(
    result: CrossCheckResult, gold_events: list[dict[str, Any]]
) -> None:
    event_of = {a: e["id"] for e in gold_events for a in e["articles"]}
    for finding in result.findings:
        assert len({event_of[a] for a in articles_of(finding)}) == 1, finding.explanation


def violates(rule: dict[str, Any], finding: Finding) -> bool:
    """Whether a finding breaks one gold ``must_not`` rule (semantics in findings.yaml)."""
    claims = set(rule["claims"])
    cited = claims_of(finding)
    reason = rule["reason"]
    if reason == "correct_title":
        return finding.basis.value == rule["basis"] and claims <= cited
    if reason == "agree":
        # Two agreeing figures may sit together beside a third that disagrees, never alone.
        return claims <= cited and cited <= claims
    allowed = {(a["kind"], a["severity"]) for a in rule.get("allowed", ())}
    return claims <= cited and (finding.kind.value, finding.severity.value) not in allowed


def test_must_not_rules_hold(result: CrossCheckResult, gold_findings: dict[str, Any]) -> None:
    assert {r["reason"] for r in gold_findings["must_not"]} <= {
        "different_event",
        "different_place",
        "different_measure",
        "different_time",
        "same_person",
        "agree",
        "correct_title",
    }
    broken = [
        (rule["why"], finding.explanation)
        for rule in gold_findings["must_not"]
        for finding in result.findings
        if violates(rule, finding)
    ]
    assert broken == []


def test_spelling_variants_are_at_most_style_notes(result: CrossCheckResult) -> None:
    style = [f for f in result.findings if f.kind is FindingKind.STYLE]
    assert style, "the fixtures spell Klitschko and Zelensky several ways"
    assert all(f.severity.value == "info" for f in style)
    for finding in result.findings:
        if finding.kind is FindingKind.MISATTRIBUTION and finding.basis.value == "cross_source":
            # A cross-source misattribution must rest on different words, not spellings.
            says = {e.says for e in finding.evidence}
            assert len(says) > 1


def test_knowledge_findings_state_the_date_and_a_suggestion(result: CrossCheckResult) -> None:
    knowledge = [f for f in result.findings if f.basis.value == "knowledge"]
    # William Hague: the real-copy election fixture's planted outdated Foreign Secretary.
    assert {f.subject for f in knowledge} == {
        "Dmytro Kuleba",
        "Donald Trump",
        "William Hague",
        "Sher Bahadur Deuba",
    }
    for finding in knowledge:
        assert finding.checked_as_of is not None
        assert finding.suggestion
    kuleba = next(f for f in knowledge if f.subject == "Dmytro Kuleba")
    assert kuleba.suggestion is not None and "Andrii Sybiha" in kuleba.suggestion
    assert "4 July 2025" in kuleba.suggestion
    hague = next(f for f in knowledge if f.subject == "William Hague")
    assert hague.suggestion is not None and "Philip Hammond" in hague.suggestion


def test_evidence_spans_are_the_articles_words(
    result: CrossCheckResult, gold_items: list[ArticleClaims]
) -> None:
    texts = {i.article.id: i.article.text for i in gold_items}
    for finding in result.findings:
        for e in finding.evidence:
            assert e.span.matches(texts[e.article_id])


def test_a_rerun_gives_the_same_ids(
    result: CrossCheckResult, gold_items: list[ArticleClaims]
) -> None:
    again = cross_check(list(reversed(gold_items)), knowledge=KnowledgeBase.load())
    assert [f.id for f in again.findings] == [f.id for f in result.findings]


def test_llm_calls_stay_well_under_one_per_claim(
    gold_items: list[ArticleClaims], fake_llm: Any
) -> None:
    def answer(request: CompletionRequest) -> str:
        if request.schema_name == "FactRelation":
            return json.dumps({"relation": "unrelated", "reason": "different targets"})
        if request.schema_name == "FigureReading":
            return json.dumps({"answer": "yes"})
        if request.schema_name == "SpeakerReading":
            # the credited speaker is offered first: every gold reading holds
            options = request.json_schema["$defs"]["SpeakerOption"]["enum"]
            return json.dumps({"speaker": options[0]})
        return json.dumps({"verdict": "different", "reason": "different days"})

    llm: LLM = fake_llm(answer)
    with_llm = cross_check(gold_items, llm=llm, knowledge=KnowledgeBase.load())
    claims = sum(len(i.claims) for i in gold_items)
    # On gold, code decides every pair (the "what was hit" conflict included); the LLM path
    # itself is exercised in test_crosscheck_facts.py.
    assert llm.usage.calls - with_llm.verification_questions <= claims // 4
    # Verification asks about the claims findings rest on, each once: far fewer than all.
    assert 0 < with_llm.verification_questions <= claims // 4
    # Judging "unrelated" everywhere and confirming every reading must leave the
    # deterministic findings as they were.
    without = cross_check(gold_items, knowledge=KnowledgeBase.load())
    assert [(f.id, f.severity) for f in with_llm.findings] == [
        (f.id, f.severity) for f in without.findings
    ]


def test_draft_findings_match_verify_gold(
    gold_items: list[ArticleClaims], gold_events: list[dict[str, Any]]
) -> None:
    """Cross-checking the draft with its sources finds what verify_findings.yaml expects."""
    gold = yaml.safe_load((GOLD / "verify_findings.yaml").read_text(encoding="utf-8"))
    assert gold["gold"] is True
    [draft] = [i for i in load_gold_items("drafts") if i.article.id == gold["draft"]]
    sources = [i for i in gold_items if i.article.id in gold["sources"]]
    result = cross_check([draft, *sources], knowledge=KnowledgeBase.load())
    about_draft = [f for f in result.findings if draft.article.id in articles_of(f)]
    event_of = {a: e["id"] for e in gold_events for a in (*e["articles"], *e.get("drafts", ()))}
    missing = [
        g["id"]
        for g in gold["findings"]
        if g["required"] and not any(matches(g, f, event_of) for f in about_draft)
    ]
    assert missing == []
    # The verify gold lists no optional findings; what its must_not rules explicitly allow
    # (a spelling note at info level) is tolerated.
    tolerated = {(a["kind"], a["severity"]) for r in gold["must_not"] for a in r.get("allowed", ())}
    unexpected = [
        (f.kind.value, f.subject)
        for f in about_draft
        if not any(matches(g, f, event_of) for g in gold["findings"])
        and (f.kind.value, f.severity.value) not in tolerated
    ]
    assert unexpected == []
    broken = [r["why"] for r in gold["must_not"] for f in about_draft if violates(r, f)]
    assert broken == []
