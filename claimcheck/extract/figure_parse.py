"""A figure in the article's parse and the words around it: its token, the way from it up
to its verb, the words right after it, the figure before it in its sentence, and the whole
it is a part of ("241 of the 242 aboard"). Shared by the readings of figures
(``quantities.py``, ``figure_background.py``, ``figure_places.py``)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from claimcheck.extract.context import ArticleContext
from claimcheck.extract.number_candidates import NumberCandidate
from claimcheck.language import nlp
from claimcheck.language.nlp import path_to_verb as path_to_verb

if TYPE_CHECKING:
    from spacy.tokens import Token


# "241 *of the* 242 aboard": the second figure is the whole the first is part of.
_PART_OF = re.compile(r"^\s*(?:of|out of|among|from)(?:\s+(?:the|all|those|some))?\s*$", re.I)


def whole_of(ctx: ArticleContext, candidate: NumberCandidate) -> NumberCandidate | None:
    """The figure this one is the whole of ("241 of the 242 aboard" -> 241 for 242)."""
    part = number_before(ctx, candidate)
    if part is None:
        return None
    between = ctx.norm[part.end : candidate.phrase_start]
    words = between.split()
    # "241 fatalities among the 242": at most one noun between the part and the "of".
    if _PART_OF.match(between) or (len(words) >= 2 and _PART_OF.match(" ".join(words[1:]))):
        return part
    return None


def number_before(ctx: ArticleContext, candidate: NumberCandidate) -> NumberCandidate | None:
    """The figure right before this one in its sentence, if any."""
    earlier = [
        n for n in ctx.numbers if n.end <= candidate.start and n.sentence == candidate.sentence
    ]
    return earlier[-1] if earlier else None


# How far after a figure its own verb may stand: "72 of the drones managed to breach".
_OWN_REACH = 40


def figure_token(ctx: ArticleContext, candidate: NumberCandidate) -> Token | None:
    """The first token of a figure in the article's parse."""
    doc = nlp.parse(ctx.article.text)
    return next((t for t in doc if candidate.start <= t.idx < candidate.end), None)


def own_tail(ctx: ArticleContext, candidate: NumberCandidate) -> str:
    """The words right after a figure, up to a comma, a conjunction or another figure."""
    tail = ctx.norm[candidate.end : min(candidate.sentence.end, candidate.end + _OWN_REACH)]
    return re.split(r"[,.;:()]|\d|\b(?:and|but|while|as|after)\b", tail, maxsplit=1)[0]
