"""People with titles: code finds the name and nearby title phrases; the model confirms one."""

from __future__ import annotations

from functools import partial

from pydantic import BaseModel

from claimcheck.extract.candidates import PersonMention
from claimcheck.extract.context import (
    ArticleContext,
    answer_model,
    choice_enum,
    one_line,
    sampling,
    value_of,
)
from claimcheck.extract.kind import BatchPrompt, ClaimKind, Slot, check_offered, choices
from claimcheck.language.titles import title_modifier
from claimcheck.llm import LLM
from claimcheck.llm.prompts import render
from claimcheck.models import RoleClaim

MAX_TOKENS = 30
NONE = "none"


def classify_person(ctx: ArticleContext, person: PersonMention, llm: LLM) -> RoleClaim | None:
    """Ask which title phrase (found by code) belongs to ``person``; None when none does."""
    if not person.titles:
        return None
    options = title_options(ctx, person)
    schema = title_answer_model(options)
    prompt = render(
        "extract_role",
        article=ctx.window_text(person.sentence),
        number=person.sentence.number,
        sentence=one_line(person.sentence.text),
        person=person.name,
        options=", ".join(f'"{p}"' for p in options),
    )
    answer = llm.parse(schema, prompt, sampling=sampling(MAX_TOKENS))
    return role_claim(ctx, person, value_of(answer, "title"))


def title_candidates(ctx: ArticleContext) -> list[PersonMention]:
    """The person mentions worth a question: with title phrases, each name and set of
    phrases once."""
    asked: set[tuple[str, tuple[str, ...]]] = set()
    out = []
    for person in ctx.people:
        key = (person.name, tuple(ctx.article.text[s:e] for s, e in person.titles))
        if not person.titles or key in asked:
            continue
        asked.add(key)
        out.append(person)
    return out


def title_options(ctx: ArticleContext, person: PersonMention) -> list[str]:
    """The title phrases code found next to ``person``, then "none"."""
    return [*(ctx.article.text[s:e] for s, e in person.titles), NONE]


def title_answer_model(options: list[str], *, suffix: str = "") -> type[BaseModel]:
    """The answer to one person's question; ``suffix`` names a slot of a batched answer."""
    return answer_model(
        f"TitleAnswer{suffix}", title=(choice_enum(f"TitleChoice{suffix}", options), ...)
    )


def role_claim(ctx: ArticleContext, person: PersonMention, chosen: str) -> RoleClaim | None:
    """The claim for the title phrase chosen for ``person``; None for "none"."""
    if chosen == NONE:
        return None
    phrases = [ctx.article.text[s:e] for s, e in person.titles]
    start, end = person.titles[phrases.index(chosen)]
    # A title never runs across lines: what stands above a line break is a subhead or a
    # caption ("Ukraine link" over "Russian President Vladimir Putin"), not the title.
    cut = chosen.rfind("\n") + 1
    if cut:
        rest = chosen[cut:]
        start += cut + len(rest) - len(rest.lstrip())
        chosen = rest.strip()
        if not chosen:
            return None
    span_start, span_end = min(start, person.start), max(end, person.end)
    return RoleClaim(
        id="pending",
        article_id=ctx.article.id,
        span=ctx.article.span(span_start, span_end),
        person=person.name,
        title=chosen,
        modifier=title_modifier(chosen),
    )


# --------------------------------------------------------------------------- the kind


def _title_line(ctx: ArticleContext, person: PersonMention) -> Slot[RoleClaim]:
    options = title_options(ctx, person)
    return Slot(
        sentence=person.sentence,
        text=f"{person.name}; title: one of {choices(options)}",
        model=lambda suffix: title_answer_model(options, suffix=suffix),
        claim=lambda answer: role_claim(ctx, person, str(value_of(answer, "title"))),
        check=partial(check_offered, "title", options),
    )


#: Titles: which title phrase found by code belongs to a named person.
TITLES: ClaimKind[PersonMention, RoleClaim] = ClaimKind(
    name="titles",
    candidates=title_candidates,
    ask=classify_person,
    slot=_title_line,
    what=lambda person: person.name,
    batch=BatchPrompt("extract_role_batch", "extract_role", "P", "TitleBatch", MAX_TOKENS),
)
