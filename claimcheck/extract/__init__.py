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

from functools import partial
from typing import Any

from claimcheck.extract.batch import ask_claims, batch_size_from_env, check_size
from claimcheck.extract.context import ArticleContext, ask_or_none
from claimcheck.extract.event import event_info
from claimcheck.extract.facts import FACTS, call_fact
from claimcheck.extract.grounding import ground, merge_duplicates, number_claims, number_in_span
from claimcheck.extract.kind import ClaimKind
from claimcheck.extract.number_candidates import NumberCandidate
from claimcheck.extract.quantities import FIGURES, classify_figure, modifier_claim, recall_hint
from claimcheck.extract.quotes import QUOTES
from claimcheck.extract.roles import TITLES
from claimcheck.llm import LLM
from claimcheck.models import Article, ArticleClaims, Claim, QuantityClaim

#: Every kind of claim, in the order extraction asks them (claimcheck/extract/kind.py).
CLAIM_KINDS: tuple[ClaimKind[Any, Any], ...] = (FIGURES, QUOTES, TITLES, FACTS)

#: Follow-up questions allowed per article for figures no claim covers (the recall guard).
DEFAULT_MAX_FOLLOWUPS = 4


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

    # Each kind: code finds its candidates, then one narrow question each (or K a call).
    uncovered: list[NumberCandidate] = []  # figures left without a claim
    for kind in CLAIM_KINDS:
        if kind is FACTS and not facts:
            continue
        found = kind.candidates(ctx)
        asked = ask_claims(kind, ctx, found, llm, size=size)
        for candidate, claim in zip(found, asked, strict=True):
            if claim is not None and kind.keep(ctx, candidate, claim):
                claims.append(claim)
            elif isinstance(candidate, NumberCandidate):
                uncovered.append(candidate)
    if facts:
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


__all__ = ["CLAIM_KINDS", "DEFAULT_MAX_FOLLOWUPS", "extract_claims"]
