"""The renderers: JSON against its committed schema, Markdown, HTML highlights, terminal, cost."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import click
import pytest

from claimcheck.errors import ConfigError
from claimcheck.models import (
    SCHEMA_VERSION,
    Article,
    ArticleError,
    Basis,
    Event,
    Evidence,
    Finding,
    FindingKind,
    Measure,
    QuantityClaim,
    Report,
    Severity,
    Usage,
)
from claimcheck.report import FORMATS, render
from claimcheck.report.html import render_html
from claimcheck.report.json_report import render_json, report_schema, schema_text
from claimcheck.report.markdown import escape, render_markdown
from claimcheck.report.pricing import Price, estimate_cost, format_cost, is_local, load_prices
from claimcheck.report.terminal import render_terminal

REPO = Path(__file__).resolve().parent.parent

A1 = Article(
    id="a1",
    title="Strike on the capital",
    outlet="Daily <Wire>",
    text="Overnight, at least 12 people were hurt, said the mayor Ivan Petrenko <b>.",
)
A2 = Article(id="a2", outlet="Radio", text="Officials said 20 people were hurt overnight.")
A3 = Article(id="a3", text="A different story, no findings here & none expected.")


def span_of(article: Article, words: str) -> Evidence:
    start = article.text.index(words)
    return Evidence(article_id=article.id, span=article.span(start, start + len(words)))


def sample_report() -> Report:
    claim = QuantityClaim(
        id="a1:1",
        article_id="a1",
        span=span_of(A1, "at least 12 people").span,
        value=12,
        qualifier="at_least",
        subject="people",
        measure=Measure.INJURED,
    )
    high = Finding(
        id="f-high",
        kind=FindingKind.DISCREPANCY,
        severity=Severity.HIGH,
        confidence=0.8,
        explanation="The sources disagree on how many were hurt: 12+ vs 20.",
        evidence=(
            span_of(A1, "at least 12 people were hurt").model_copy(update={"claim_id": "a1:1"}),
            span_of(A2, "20 people were hurt").model_copy(update={"says": "20 people hurt"}),
        ),
        event_id="e1",
        subject="injured",
        suggestion="Check the latest figure from the city administration.",
    )
    # overlaps the first finding's span in a1, to exercise the cutting of highlights
    low = Finding(
        id="f-low",
        kind=FindingKind.MISATTRIBUTION,
        severity=Severity.LOW,
        confidence=0.55,
        explanation="The mayor's name <is> not the office holder's *name*.",
        evidence=(span_of(A1, "hurt, said the mayor Ivan Petrenko"),),
        event_id="e1",
        basis=Basis.KNOWLEDGE,
        subject="Ivan Petrenko",
    )
    return Report(
        articles=(A1, A2, A3),
        events=(
            Event(id="e1", article_ids=("a1", "a2"), label="Strike on the capital, night 1"),
            Event(id="e2", article_ids=("a3",)),
        ),
        claims=(claim,),
        findings=(low, high),
        usage=Usage(calls=3, cache_hits=1, prompt_tokens=900, completion_tokens=100),
        model="gpt-4o-mini",
        errors=(
            ArticleError(
                article_id="a9", stage="extract", error="TransientError", message="rate limited"
            ),
        ),
    )


# --------------------------------------------------------------------------- JSON


def test_json_round_trips_and_has_the_documented_top_level() -> None:
    report = sample_report()
    text = render_json(report)
    assert Report.model_validate_json(text) == report
    data = json.loads(text)
    for key in ("schema_version", "articles", "events", "claims", "findings", "usage", "errors"):
        assert key in data
    assert data["schema_version"] == SCHEMA_VERSION
    finding = data["findings"][1]
    assert {"kind", "severity", "confidence", "explanation", "evidence"} <= set(finding)
    assert finding["evidence"][0]["article_id"] == "a1"


def test_committed_schema_is_the_generated_one() -> None:
    committed = (REPO / "docs" / "report-schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), (
        "docs/report-schema.json is stale: regenerate it with "
        "`claimcheck schema > docs/report-schema.json` (and bump SCHEMA_VERSION if readers break)"
    )


def test_report_json_validates_against_the_schema() -> None:
    schema = report_schema()
    instance = json.loads(render_json(sample_report()))
    assert validate(instance, schema, schema) == []


def test_schema_validator_catches_a_broken_report() -> None:
    """The small validator below must be able to fail, or the test above proves nothing."""
    schema = report_schema()
    instance = json.loads(render_json(sample_report()))
    instance["findings"][0]["severity"] = "catastrophic"
    instance["findings"][1]["evidence"][0].pop("article_id")
    instance["surprise"] = 1
    problems = validate(instance, schema, schema)
    assert any("catastrophic" in p for p in problems)
    assert any("article_id" in p for p in problems)
    assert any("surprise" in p for p in problems)


def validate(
    value: Any, schema: dict[str, Any], root: dict[str, Any], path: str = "$"
) -> list[str]:
    """A JSON-schema check for the keywords pydantic emits (jsonschema is not a dependency)."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return validate(value, root["$defs"][name], root, path)
    for union in ("anyOf", "oneOf"):
        if union in schema:
            branches = [validate(value, s, root, path) for s in schema[union]]
            ok = [b for b in branches if not b]
            if (union == "anyOf" and ok) or (union == "oneOf" and len(ok) == 1):
                return []
            return [f"{path}: {value!r} fits no branch of {union}"]
    problems: list[str] = []
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{path}: {value!r} not in {schema['enum']}")
    if "const" in schema and value != schema["const"]:
        problems.append(f"{path}: {value!r} is not {schema['const']!r}")
    kind = schema.get("type")
    types: dict[str, type | tuple[type, ...]] = {
        "object": dict,
        "array": list,
        "string": str,
        "integer": int,
        "number": (int, float),
        "boolean": bool,
        "null": type(None),
    }
    if kind is not None and not isinstance(value, types[kind]):
        return [*problems, f"{path}: {value!r} is not {kind}"]
    if kind == "object":
        props = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                problems.append(f"{path}: missing required {name}")
        for name, item in value.items():
            if name in props:
                problems += validate(item, props[name], root, f"{path}.{name}")
            elif schema.get("additionalProperties") is False:
                problems.append(f"{path}: unexpected property {name}")
    if kind == "array" and "items" in schema:
        for n, item in enumerate(value):
            problems += validate(item, schema["items"], root, f"{path}[{n}]")
    if kind == "string" and len(value) < schema.get("minLength", 0):
        problems.append(f"{path}: shorter than {schema['minLength']}")
    if kind in ("number", "integer"):
        if "minimum" in schema and value < schema["minimum"]:
            problems.append(f"{path}: below {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            problems.append(f"{path}: above {schema['maximum']}")
    return problems


# --------------------------------------------------------------------------- Markdown


def test_markdown_renders_findings_grouped_by_event() -> None:
    md = render_markdown(sample_report())
    assert md.startswith("# claimcheck report")
    assert "## Strike on the capital, night 1" in md
    high = md.index("### 🔴 HIGH — discrepancy: injured")
    low = md.index("### 🔵 LOW — misattribution: Ivan Petrenko")
    assert high < low  # most severe first
    assert "“20 people were hurt” — 20 people hurt" in md
    assert "> **Suggestion:** Check the latest figure" in md
    # what a finding rests on, in plain words rather than the enum value
    assert "checked against the office-holder list" in md
    assert "knowledge" not in md.replace("office-holder", "")
    assert "## Articles not checked" in md and "TransientError" in md
    # copy cannot inject markup into the ticket
    assert r"\<is\> not the office holder's \*name\*" in md
    assert "Daily \\<Wire\\>" in md


def test_markdown_escape_folds_lines_and_escapes_syntax() -> None:
    assert escape("a *b*\n[c](d)") == r"a \*b\* \[c\](d)"
    assert escape("# not a heading") == r"\# not a heading"
    assert escape("- not a list") == r"\- not a list"
    assert escape("12. not a list") == r"12\. not a list"


def test_markdown_without_findings_says_so() -> None:
    md = render_markdown(Report(articles=(A3,)))
    assert "No findings" in md


# --------------------------------------------------------------------------- HTML


class _Page(HTMLParser):
    """Collects ids, links, marks and anything that would load from outside."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.marks: list[dict[str, str | None]] = []
        self.external: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append(tag)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if tag == "a" and found.get("href"):
            self.links.append(str(found["href"]))
        if tag == "mark":
            self.marks.append(found)
        for name in ("src", "href"):
            value = found.get(name) or ""
            if value and not value.startswith("#"):
                self.external.append(value)
        if tag in ("script", "link", "img", "iframe"):
            self.external.append(tag)


def test_html_highlights_disputed_spans_and_links_them_both_ways() -> None:
    page_text = render_html(sample_report())
    page = _Page()
    page.feed(page_text)
    assert page.external == []
    assert "<style>" in page_text
    # every internal link lands on an element of the page
    assert page.links
    assert all(link[1:] in page.ids for link in page.links)
    # highlights carry the worst severity of the findings that cover them
    classes = [m["class"] for m in page.marks]
    assert "sev-high" in classes and "sev-low" in classes
    both = [m for m in page.marks if m["data-findings"] == "finding-1 finding-2"]
    assert both and both[0]["class"] == "sev-high"
    # the overlapping evidence is cut into pieces that together cover each span exactly
    high_text = "".join(
        re.findall(
            r'<mark class="sev-\w+" data-findings="[^"]*finding-2[^"]*"[^>]*><a [^>]*>([^<]*)</a>',
            page_text,
        )
    )
    assert "at least 12 people were hurt" in high_text.replace("\n", " ")
    assert 'id="finding-1"' in page_text and 'id="finding-2"' in page_text


def test_html_escapes_article_and_model_text() -> None:
    page = render_html(sample_report())
    assert "Petrenko <b>" not in page
    assert " &lt;b&gt;." in page
    assert "Daily &lt;Wire&gt;" in page
    assert "&lt;is&gt;" in page
    assert "&amp; none expected" in page


def test_html_skips_evidence_whose_span_is_not_in_the_article() -> None:
    stray = Finding(
        id="f-stray",
        kind=FindingKind.UNCORROBORATED,
        severity=Severity.MEDIUM,
        confidence=0.5,
        explanation="Only one source has this.",
        evidence=(Evidence(article_id="a2", span=A1.span(0, 9)),),
    )
    page = render_html(Report(articles=(A1, A2), findings=(stray,)))
    assert "<mark" not in page
    assert "Only one source has this." in page


# --------------------------------------------------------------------------- terminal


def test_terminal_groups_by_event_with_colour_and_quotes() -> None:
    text = render_terminal(sample_report())
    plain = click.unstyle(text)
    assert text != plain  # coloured
    assert click.style("HIGH  ", fg="red", bold=True) in text
    assert "■ Strike on the capital, night 1  [a1, a2]" in plain
    assert plain.index("HIGH") < plain.index("LOW")
    assert "a2 (Radio): “20 people were hurt” — 20 people hurt" in plain
    assert "→ Check the latest figure" in plain
    assert "a9: TransientError: rate limited" in plain
    assert "3 articles · 2 events · 2 findings (1 high, 1 low) · 1 failed article" in plain


def test_render_dispatches_every_format_and_rejects_others() -> None:
    report = sample_report()
    assert set(FORMATS) == {"terminal", "json", "markdown", "html"}
    outputs = {fmt: render(report, fmt) for fmt in FORMATS}
    assert outputs["json"].lstrip().startswith("{")
    assert outputs["html"].startswith("<!DOCTYPE html>")
    with pytest.raises(ConfigError, match="unknown report format"):
        render(report, "pdf")


# --------------------------------------------------------------------------- pricing


def test_cost_estimate() -> None:
    usage = Usage(prompt_tokens=1_000_000, completion_tokens=500_000)
    prices = {"gpt-4o-mini": Price(0.15, 0.60)}
    assert estimate_cost(usage, model="gpt-4o-mini", prices=prices) == pytest.approx(0.45)
    assert estimate_cost(usage, model="gpt-4o-mini-2024-07-18", prices=prices) == pytest.approx(
        0.45
    )
    assert estimate_cost(usage, model="openai/gpt-4o-mini", prices=prices) == pytest.approx(0.45)
    assert estimate_cost(usage, model="mystery", prices=prices) is None
    assert estimate_cost(usage, model="mystery", local=True, prices=prices) == 0.0
    assert format_cost(None).startswith("cost unknown")
    assert format_cost(0.0) == "$0"
    assert format_cost(0.45) == "~$0.4500"


def test_local_backends_are_free() -> None:
    assert is_local("embedded|qwen2.5-coder-1.5b-instruct-q4_k_m|0123456789abcdef")
    assert is_local("openai-compatible|http://localhost:11434/v1")
    assert is_local("openai-compatible|http://127.0.0.1:8080/v1")
    assert not is_local("openai-compatible|https://api.openai.com/v1")


def test_a_hosted_endpoint_whose_name_starts_like_localhost_is_not_free() -> None:
    # A paid gateway must not be reported as "$0" because its host name begins "localhost".
    assert not is_local("openai-compatible|https://localhost.example.com/v1")
    assert not is_local("openai-compatible|https://127.0.0.1.nip.io/v1")
    assert is_local("openai-compatible|http://[::1]:8000/v1")
    assert is_local("openai-compatible|http://localhost/v1")


def test_price_table_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    table = tmp_path / "prices.yaml"
    table.write_text("my-model: {input: 1, output: 2}\ngpt-4o-mini: {input: 9, output: 9}\n")
    prices = load_prices(table)
    assert prices["my-model"] == Price(1.0, 2.0)
    assert prices["gpt-4o-mini"] == Price(9.0, 9.0)
    assert "gpt-4o" in prices  # built-ins stay
    monkeypatch.setenv("CLAIMCHECK_PRICES", str(table))
    assert load_prices()["my-model"] == Price(1.0, 2.0)
    bad = tmp_path / "bad.yaml"
    bad.write_text("my-model: cheap\n")
    with pytest.raises(ConfigError, match="dollars per million tokens"):
        load_prices(bad)


def test_html_lists_articles_in_the_order_of_their_events() -> None:
    report = sample_report()
    reordered = report.model_copy(update={"articles": (A3, A2, A1)})
    page = render_html(reordered)
    assert page.index('<div class="meta">a1') < page.index('<div class="meta">a2')
    assert page.index('<div class="meta">a2') < page.index('<div class="meta">a3')
