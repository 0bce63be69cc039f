"""People with titles: code finds the name and nearby title phrases; the model confirms one."""

from __future__ import annotations

from claimcheck.extract.candidates import PersonMention
from claimcheck.extract.context import (
    ArticleContext,
    answer_model,
    choice_enum,
    one_line,
    sampling,
    value_of,
)
from claimcheck.knowledge import title_modifier
from claimcheck.llm import LLM
from claimcheck.models import RoleClaim
from claimcheck.prompts import render

MAX_TOKENS = 30
NONE = "none"


def classify_person(ctx: ArticleContext, person: PersonMention, llm: LLM) -> RoleClaim | None:
    """Ask which title phrase (found by code) belongs to ``person``; None when none does."""
    if not person.titles:
        return None
    phrases = [ctx.article.text[s:e] for s, e in person.titles]
    schema = answer_model("TitleAnswer", title=(choice_enum("TitleChoice", [*phrases, NONE]), ...))
    prompt = render(
        "extract_role",
        article=ctx.window_text(person.sentence),
        number=person.sentence.number,
        sentence=one_line(person.sentence.text),
        person=person.name,
        options=", ".join(f'"{p}"' for p in [*phrases, NONE]),
    )
    answer = llm.parse(schema, prompt, sampling=sampling(MAX_TOKENS))
    chosen = value_of(answer, "title")
    if chosen == NONE:
        return None
    start, end = person.titles[phrases.index(chosen)]
    span_start, span_end = min(start, person.start), max(end, person.end)
    return RoleClaim(
        id="pending",
        article_id=ctx.article.id,
        span=ctx.article.span(span_start, span_end),
        person=person.name,
        title=chosen,
        modifier=title_modifier(chosen),
    )
