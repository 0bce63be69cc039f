"""Grounded claim extraction that works on a small local model.

Broad "extract every fact" prompts make a 1.5B model loop and invent fields. So code finds the
candidates (figures, quotations, names with title phrases, sentences with attack verbs) and
the model answers one narrow, enum-constrained question per candidate. Values code can read
(numbers, hedge words, quoted words, title phrases) come from the text; every answer is
checked in code (a failed check re-asks the model with the reason), and every claim's span
is verified against the article before it leaves this package.

Example::

    from claimcheck import LLM
    claims = extract_claims(article, LLM(backend))
    assert all(c.span.matches(article.text) for c in claims.claims)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import TypeVar

from claimcheck.errors import StructuredOutputError
from claimcheck.extract.candidates import find_quotes
from claimcheck.extract.context import ArticleContext
from claimcheck.extract.event import event_info
from claimcheck.extract.facts import call_fact, classify_fact, fact_candidates
from claimcheck.extract.grounding import ground, merge_duplicates, number_claims, number_in_span
from claimcheck.extract.quantities import classify_figure, recall_hint
from claimcheck.extract.quotes import classify_quote
from claimcheck.extract.roles import classify_person
from claimcheck.llm import LLM
from claimcheck.models import Article, ArticleClaims, Claim, QuantityClaim

log = logging.getLogger(__name__)

#: Follow-up questions allowed per article for figures no claim covers (the recall guard).
DEFAULT_MAX_FOLLOWUPS = 4

C = TypeVar("C")


def extract_claims(
    article: Article,
    llm: LLM,
    *,
    max_followups: int = DEFAULT_MAX_FOLLOWUPS,
    facts: bool = True,
) -> ArticleClaims:
    """Extract the grounded claims of one article, one narrow model question per candidate."""
    ctx = ArticleContext.of(article)
    claims: list[Claim] = []

    numbers = ctx.numbers
    uncovered = []
    for figure in numbers:
        claim = _ask(partial(classify_figure, ctx, figure, llm), what=f"figure {figure.text!r}")
        if claim is not None and number_in_span(claim, article, figure.text):
            claims.append(claim)
        else:
            uncovered.append(figure)

    for quote in find_quotes(article.text, ctx.sentences):
        claim_q = _ask(partial(classify_quote, ctx, quote, llm), what="a quotation")
        if claim_q is not None:
            claims.append(claim_q)

    asked: set[tuple[str, tuple[str, ...]]] = set()
    for person in ctx.people:
        key = (person.name, tuple(article.text[s:e] for s, e in person.titles))
        if not person.titles or key in asked:
            continue
        asked.add(key)
        claim_r = _ask(partial(classify_person, ctx, person, llm), what=person.name)
        if claim_r is not None:
            claims.append(claim_r)

    if facts:
        for candidate in fact_candidates(ctx):
            claim_f = _ask(
                partial(classify_fact, ctx, candidate, llm),
                what=f"sentence {candidate.sentence.number}",
            )
            if claim_f is not None:
                claims.append(claim_f)
        call = call_fact(ctx)
        if call is not None:
            claims.append(call)

    # Recall guard: a figure standing right before a count word but left without a claim
    # gets one more, narrower question that names that word.
    followups = 0
    for figure in uncovered:
        hint = recall_hint(ctx, figure)
        if hint is None or followups >= max_followups:
            continue
        followups += 1
        claim = _ask(
            partial(classify_figure, ctx, figure, llm, hint=hint), what=f"figure {figure.text!r}"
        )
        if claim is not None and number_in_span(claim, article, figure.text):
            claims.append(claim)

    grounded = ground(claims, article)
    grounded = [
        c for c in grounded if not isinstance(c, QuantityClaim) or number_in_span(c, article)
    ]
    final = number_claims(merge_duplicates(grounded), article.id)
    return ArticleClaims(article=article, event=event_info(article), claims=tuple(final))


def _ask(call: Callable[[], C | None], *, what: str) -> C | None:
    """One candidate's question; a model that cannot answer it loses that claim, not the run."""
    try:
        return call()
    except StructuredOutputError as exc:
        log.warning("no claim for %s: %s", what, exc)
        return None


__all__ = ["DEFAULT_MAX_FOLLOWUPS", "extract_claims"]
