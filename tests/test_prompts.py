"""Prompt templates: every shipped one renders; mistakes in templates or calls fail loudly."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimcheck.errors import PromptError
from claimcheck.llm.prompts import (
    all_templates,
    get_template,
    parse_template,
    prompts_dir,
    render,
)

SHIPPED = sorted(all_templates())


def test_templates_are_shipped() -> None:
    assert {"reask", "schema_hint"} <= set(SHIPPED)
    assert prompts_dir().is_dir()


@pytest.mark.parametrize("prompt_id", SHIPPED)
def test_every_template_renders_with_dummy_values(prompt_id: str) -> None:
    template = get_template(prompt_id)
    values = {name: f"<<{name}-value>>" for name in template.variables}
    rendered = template.render(**values)
    assert rendered.id == prompt_id
    assert rendered.version == template.version
    assert rendered.messages
    text = "\n".join(m.content for m in rendered.messages)
    for name in template.variables:
        assert f"<<{name}-value>>" in text
    assert "{{" not in text  # no placeholder left unfilled
    assert all(m.content.strip() for m in rendered.messages)


def test_render_fills_values() -> None:
    rendered = render("reask", error="injured: field required")
    assert rendered.messages[0].role == "user"
    assert "injured: field required" in rendered.messages[0].content


def test_missing_variable() -> None:
    with pytest.raises(PromptError, match="missing error"):
        render("reask")


def test_unexpected_variable() -> None:
    with pytest.raises(PromptError, match="unexpected colour"):
        render("reask", error="x", colour="red")


def test_unknown_template_names_the_known_ones() -> None:
    with pytest.raises(PromptError, match="reask"):
        render("no.such.prompt")


GOOD = "---\nid: t\nversion: 1\nvariables: [a]\n---\n## system\nS\n## user\n{{ a }}\n"


def test_good_template_parses() -> None:
    template = parse_template(GOOD, path=Path("t.prompt"))
    assert [role for role, _ in template.sections] == ["system", "user"]
    assert template.render(a="x").messages[1].content == "x"


def test_content_change_changes_the_digest() -> None:
    one = parse_template(GOOD, path=Path("t.prompt"))
    two = parse_template(GOOD.replace("S\n", "T\n"), path=Path("t.prompt"))
    assert one.sha256 != two.sha256


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id: t\nversion: 1\n## user\nhi\n", "starts with a '---' header"),
        ("---\nid: t\nversion: 1\n## user\nhi\n", "unreadable header"),
        ("---\n[1, 2]\n---\n## user\nhi\n", "must be a mapping"),
        ("---\nid: t\nversion: [\n---\n## user\nhi\n", "unreadable header"),
        ("---\nversion: 1\n---\n## user\nhi\n", "needs a string 'id'"),
        ("---\nid: t\nversion: one\n---\n## user\nhi\n", "integer 'version'"),
        ("---\nid: t\nversion: 1\n---\n## user\n{{ a }}\n", "do not match declared"),
        ("---\nid: t\nversion: 1\nvariables: [a]\n---\n## user\nhi\n", "do not match declared"),
        ("---\nid: t\nversion: 1\n---\npreamble\n## user\nhi\n", "text before the first"),
        ("---\nid: t\nversion: 1\n---\n\n", "no messages"),
    ],
    ids=[
        "no-header",
        "unterminated-header",
        "header-not-mapping",
        "bad-yaml",
        "no-id",
        "version-not-int",
        "undeclared-placeholder",
        "unused-variable",
        "text-before-heading",
        "no-messages",
    ],
)
def test_malformed_templates(text: str, message: str) -> None:
    with pytest.raises(PromptError, match=message):
        parse_template(text, path=Path("bad.prompt"))


def test_duplicate_ids_in_a_directory(tmp_path: Path) -> None:
    (tmp_path / "one.prompt").write_text(GOOD)
    (tmp_path / "two.prompt").write_text(GOOD)
    with pytest.raises(PromptError, match="defined twice"):
        all_templates(tmp_path)


BATCHED = [p for p in SHIPPED if p.endswith("_batch")]


def test_there_is_a_batched_prompt_per_claim_type() -> None:
    assert BATCHED == [
        "extract_fact_batch",
        "extract_quantity_batch",
        "extract_quote_batch",
        "extract_role_batch",
    ]


@pytest.mark.parametrize("prompt_id", BATCHED)
def test_batched_prompts_share_the_single_prompts_article_prefix(prompt_id: str) -> None:
    """The system message and the article block are those of the single question, word for
    word, so a server's prompt cache serves a batched call and its single fallbacks."""
    values = {"article": "[1] Text.", "items": "X1: line", "labels": "X1"}
    batched = get_template(prompt_id).render(**values).messages
    single_template = get_template(prompt_id.removesuffix("_batch"))
    single = single_template.render(
        **{name: values.get(name, "v") for name in single_template.variables}
    ).messages
    assert batched[0] == single[0]
    assert batched[1].content.split(">>>")[0] == single[1].content.split(">>>")[0]
    assert "X1: line" in batched[1].content and batched[1].content.rstrip().endswith("X1.")
