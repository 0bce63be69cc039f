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

from collections.abc import Sequence
from functools import partial
from typing import TypeVar

from claimcheck.extract.batch import (
    ask_facts,
    ask_figures,
    ask_people,
    ask_quotes,
    batch_size_from_env,
    check_size,
)
from claimcheck.extract.candidates import NumberCandidate, find_quotes
from claimcheck.extract.context import ArticleContext, ask_or_none
from claimcheck.extract.event import event_info
from claimcheck.extract.facts import call_fact, classify_fact, fact_candidates
from claimcheck.extract.grounding import ground, merge_duplicates, number_claims, number_in_span
from claimcheck.extract.quantities import (
    classify_figure,
    figures_to_ask,
    modifier_claim,
    recall_hint,
)
from claimcheck.extract.quotes import classify_quote
from claimcheck.extract.roles import classify_person, title_candidates
from claimcheck.llm import LLM
from claimcheck.models import Article, ArticleClaims, Claim, QuantityClaim

#: Follow-up questions allowed per article for figures no claim covers (the recall guard).
DEFAULT_MAX_FOLLOWUPS = 4

C = TypeVar("C")


def extract_claims(
    article: Article,
    llm: LLM,
    *,
    max_followups: int = DEFAULT_MAX_FOLLOWUPS,
    facts: bool = True,
    batch: int | None = None,
) -> ArticleClaims:
    """Extract the grounded claims of one article, one narrow model question per candidate.

    ``batch=K`` asks up to K candidates of one type per call instead (claimcheck/extract/
    batch.py), each answer checked as a single one and re-asked alone when it fails;
    ``batch=0`` is one question each; None (the default) reads ``CLAIMCHECK_BATCH`` (unset: 0).
    """
    size = batch_size_from_env() if batch is None else check_size(batch)
    ctx = ArticleContext.of(article)
    claims: list[Claim] = []

    # A pool, a restatement, a population or events of another time: no question asked.
    numbers = figures_to_ask(ctx)
    if size:
        figure_claims = ask_figures(ctx, numbers, llm, size=size)
    else:
        figure_claims = [
            _ask(partial(classify_figure, ctx, figure, llm), what=f"figure {figure.text!r}")
            for figure in numbers
        ]
    uncovered = []
    for figure, claim in zip(numbers, figure_claims, strict=True):
        if claim is not None and number_in_span(claim, article, figure.text):
            claims.append(claim)
        else:
            uncovered.append(figure)

    found_quotes = find_quotes(article.text, ctx.sentences)
    if size:
        claims += _present(ask_quotes(ctx, found_quotes, llm, size=size))
    else:
        for quote in found_quotes:
            claim_q = _ask(partial(classify_quote, ctx, quote, llm), what="a quotation")
            if claim_q is not None:
                claims.append(claim_q)

    people = title_candidates(ctx)
    if size:
        claims += _present(ask_people(ctx, people, llm, size=size))
    else:
        for person in people:
            claim_r = _ask(partial(classify_person, ctx, person, llm), what=person.name)
            if claim_r is not None:
                claims.append(claim_r)

    if facts:
        candidates = fact_candidates(ctx)
        if size:
            claims += _present(ask_facts(ctx, candidates, llm, size=size))
        else:
            for candidate in candidates:
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

    # Figures written as a noun's modifier ("a seven-week trial") that still have no claim
    # are read by code from the parse.
    for figure in uncovered:
        if any(_covers(c, figure) for c in claims):
            continue
        claim = modifier_claim(ctx, figure)
        if claim is not None:
            claims.append(claim)

    grounded = ground(claims, article)
    grounded = [
        c for c in grounded if not isinstance(c, QuantityClaim) or number_in_span(c, article)
    ]
    final = number_claims(merge_duplicates(grounded), article.id)
    return ArticleClaims(article=article, event=event_info(article), claims=tuple(final))


_ask = ask_or_none


def _covers(claim: Claim, figure: NumberCandidate) -> bool:
    """Whether a figure claim already states this figure (a follow-up answered it)."""
    return isinstance(claim, QuantityClaim) and claim.span.start <= figure.start < claim.span.end


def _present(found: Sequence[C | None]) -> list[C]:
    return [c for c in found if c is not None]


__all__ = ["DEFAULT_MAX_FOLLOWUPS", "extract_claims"]
