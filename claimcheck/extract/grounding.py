"""Grounding in code: every claim's span is an exact slice of the article, or the claim goes.

A span that does not match is re-located (the same words nearest the old offset); a claim
that cannot be re-located, or a figure whose number is not inside its span, is dropped, never
passed on. Duplicates (same meaning, overlapping spans) are merged into the first one.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable

from claimcheck.extract.number_candidates import fraction_after, parse_number
from claimcheck.language.vocabulary.units import units
from claimcheck.models import (
    Article,
    Claim,
    EventFactClaim,
    QuantityClaim,
    QuoteClaim,
    RoleClaim,
    Span,
)

log = logging.getLogger(__name__)


def relocate(span: Span, text: str) -> Span | None:
    """The same words at their nearest exact occurrence in ``text``, or None."""
    if span.matches(text):
        return span
    if not span.text:
        return None
    best: int | None = None
    index = text.find(span.text)
    while index >= 0:
        if best is None or abs(index - span.start) < abs(best - span.start):
            best = index
        index = text.find(span.text, index + 1)
    if best is None:
        return None
    return Span(start=best, end=best + len(span.text), text=span.text)


def number_in_span(claim: QuantityClaim, article: Article, figure: str | None = None) -> bool:
    """A figure's own words must be inside its span (a claim about '23' must show '23').

    With ``figure`` (the words code found) this is a substring test; without it, any number
    written in the span (digits or words: 'Nine people', with its magnitude word: '£4.2bn')
    must have the claim's value.
    """
    if figure is not None:
        return figure in claim.span.text
    vocab = units()
    text = claim.span.text
    for match in _NUMBER_WORDS.finditer(text):
        value = parse_number(match.group())
        if value is None and "-" in match.group():
            value = parse_number(match.group().split("-")[0])  # "seven-week", "ten-year"
        if value is None:
            continue
        fraction = fraction_after(text[match.end() :]) if value == int(value) else None
        if fraction is not None:
            value += fraction[0]  # "22 1/2 years"
        if value == claim.value:
            return True
        scale = vocab.scale_after(text[match.end() :], money=True)
        if scale is not None and math.isclose(value * scale[0], claim.value, rel_tol=1e-9):
            return True
    return False


_NUMBER_WORDS = re.compile(
    r"\d[\d,]*(?:\.\d+)?(?:\s+(?:hundred|thousand|million|billion))?|[A-Za-z]+(?:-[A-Za-z]+)?"
)


def ground(claims: Iterable[Claim], article: Article) -> list[Claim]:
    """Keep claims whose spans match ``article.text`` (re-locating where needed)."""
    out: list[Claim] = []
    for claim in claims:
        span = relocate(claim.span, article.text)
        if span is None:
            log.info(
                "dropping %s claim %s: its span is not in article %s",
                claim.type,
                claim.id,
                article.id,
            )
            continue
        if span != claim.span:
            claim = claim.model_copy(update={"span": span})
        if claim.article_id != article.id:
            claim = claim.model_copy(update={"article_id": article.id})
        out.append(claim)
    return out


def _key(claim: Claim) -> tuple[object, ...]:
    if isinstance(claim, QuantityClaim):
        return (
            "q",
            claim.value,
            claim.value_high,
            claim.qualifier,
            claim.measure,
            claim.unit,
            claim.subject.lower(),
        )
    if isinstance(claim, QuoteClaim):
        return ("t", " ".join(claim.quote.lower().split()), claim.speaker)
    if isinstance(claim, RoleClaim):
        return ("r", claim.person.lower(), " ".join(claim.title.lower().split()))
    if isinstance(claim, EventFactClaim):
        return ("f", (claim.target or "").lower(), (claim.action or "").lower())
    raise TypeError(type(claim))


def _overlap(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def merge_duplicates(claims: Iterable[Claim]) -> list[Claim]:
    """Drop a claim that repeats an earlier one: same meaning and (for figures) same span.

    Roles and quotes repeated anywhere in an article say the same thing once; a figure
    repeated in a later sentence is kept, since the cross-checker weighs repetitions.
    """
    kept: list[Claim] = []
    for claim in claims:
        key = _key(claim)
        duplicate = False
        for other in kept:
            if _key(other) != key:
                continue
            if isinstance(claim, (RoleClaim, QuoteClaim)) or _overlap(claim.span, other.span):
                duplicate = True
                break
        if not duplicate:
            kept.append(claim)
    return kept


def number_claims(claims: Iterable[Claim], article_id: str) -> list[Claim]:
    """Give claims their final ids, ``<article>:<n>`` in text order."""
    ordered = sorted(claims, key=lambda c: (c.span.start, c.span.end, c.type))
    return [
        c.model_copy(update={"id": f"{article_id}:{i}"}) for i, c in enumerate(ordered, start=1)
    ]
