"""Figures: code finds the number and its hedge words; the model says what it counts."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

from claimcheck.extract.candidates import NumberCandidate
from claimcheck.extract.context import (
    ArticleContext,
    answer_model,
    choice_enum,
    one_line,
    sampling,
    short_text,
    value_of,
)
from claimcheck.extract.lexicon import (
    MEASURE_WORDS,
    NOT_A_COUNT,
    measures_in,
    nearest_measure_word,
    scope_of,
)
from claimcheck.llm import LLM
from claimcheck.models import Measure, QuantityClaim
from claimcheck.prompts import render

MAX_TOKENS = 60
# Words that cannot be what a figure counts on their own ("72 of the drones": not "of").
_FUNCTION = frozenset(
    [
        "of",
        "the",
        "a",
        "an",
        "and",
        "or",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "as",
        "than",
        "that",
        "this",
        "these",
        "those",
    ]
)


def _schema(
    ctx: ArticleContext, candidate: NumberCandidate, *, allow_none: bool
) -> type[BaseModel]:
    # Only measures whose words occur in the sentence are offered, nearest first; with no
    # such word the figure can only be "other" (an area, a distance) or not a count.
    offset = candidate.start - candidate.sentence.start
    allowed = [m.value for m in measures_in(candidate.sentence.text, near=offset)]
    values = [*allowed, Measure.OTHER.value] + ([NOT_A_COUNT] if allow_none else [])
    return answer_model(
        "FigureAnswer",
        subject=(str, short_text(40)),
        measure=(choice_enum("MeasureChoice", values), ...),
        place=(str | None, None),
    )


def _stem(word: str) -> str:
    word = word.lower().strip(".,;:'\"")
    for suffix in ("ies", "es", "s"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)]
    return word


# How far after a figure its own verb may stand: "72 of the drones managed to breach".
_OWN_REACH = 40


def own_measure(ctx: ArticleContext, candidate: NumberCandidate) -> Measure | None:
    """The measure a word right next to the figure names: after it, before a comma, a
    conjunction or another figure; else the verb directly before it and its hedge words.

    In "launched 550 drones, with 72 drones breaching the defences" the 72 got through,
    whatever the sentence's first verb says; in "killing at least four people and injuring
    around 20" the 20 were injured. The small model was seen to get both wrong. A figure
    that counts the attacks themselves ("13 separate strikes") is "other".
    """
    tail = ctx.norm[candidate.end : min(candidate.sentence.end, candidate.end + _OWN_REACH)]
    tail = re.split(r"[,.;:()]|\d|\b(?:and|but|while|as|after)\b", tail, maxsplit=1)[0]
    if _EVENT_COUNT.match(tail.lower()):
        return Measure.OTHER  # "13 separate strikes": a count of attacks, not of things hit
    word = _word_after(tail)
    if word is None:
        head = ctx.norm[
            max(candidate.sentence.start, candidate.phrase_start - 30) : candidate.phrase_start
        ]
        verb = re.search(r"([a-z]+(?: [a-z]+)?)\s*$", head.lower())
        if verb is not None:
            words = verb.group(1).split()
            word = next(
                (w for w in (" ".join(words), words[-1]) if _measure_of(w) is not None), None
            )
    if word is None or word in _VAGUE:
        return None
    return _measure_of(word)


def _word_after(tail: str) -> str | None:
    """The measure word that follows a figure's counted noun, e.g. "drones breaching",
    "of the drones managed to breach", "people were injured"; None when other words stand
    between ("medics treated the wounded"), when it names the group counted from ("of the
    injured were taken to hospital") or when it is too vague to overrule the model."""
    low = tail.lower()
    word = nearest_measure_word(low, 0, reach=len(low))
    if word is None or word in _VAGUE:
        return None
    at = re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", low)
    assert at is not None
    between = re.findall(r"[a-z'-]+", low[: at.start()])
    if between[-2:] in (["of", "the"], ["of", "those"]):
        return None
    content = [w for w in between if w not in _LINKING]
    if len(content) > 2 or any(w.endswith(("ed", "ing")) for w in content):
        return None
    return word


# A figure that counts the attacks themselves.
_EVENT_COUNT = re.compile(
    r"\s*(?:[a-z-]+\s+)?(?:strikes|attacks|explosions|blasts|waves|raids|rounds)\b"
)
# Words that may stand between a counted noun and its verb.
_LINKING = frozenset(
    "of the a an were was had have has been are is be also reportedly managed to".split()  # noqa: SIM905
)
# Measure words too loose to overrule the model with ("sent to hospital", "in damage").
_VAGUE = frozenset({"sent", "used", "damage", "recorded", "strikes"})


def _measure_of(word: str) -> Measure | None:
    return next((m for m, words in MEASURE_WORDS.items() if word in words), None)


def _checker(ctx: ArticleContext, candidate: NumberCandidate) -> Any:
    sentence_words = {_stem(w) for w in re.findall(r"[\w'-]+", candidate.sentence.text)}
    article_low = ctx.norm.lower()
    own = own_measure(ctx, candidate)

    def check(answer: BaseModel) -> None:
        measure = value_of(answer, "measure")
        subject = str(value_of(answer, "subject")).strip()
        place = value_of(answer, "place")
        if measure == NOT_A_COUNT:
            return
        if own is not None and measure != own.value:
            raise ValueError(
                f"the words right after {candidate.text!r} say what it counts: the measure "
                f'is "{own.value}", not "{measure}"'
            )
        if not subject:
            raise ValueError(
                'subject is empty; give the counted noun from the sentence, e.g. "people"'
            )
        words = [_stem(w) for w in re.findall(r"[\w'-]+", subject) if w.lower() not in _FUNCTION]
        if not any(w in sentence_words for w in words):
            raise ValueError(
                f"subject {subject!r} is not in sentence [{candidate.sentence.number}]; "
                "copy the counted noun from that sentence"
            )
        if place and place.strip().lower() not in article_low:
            raise ValueError(f"place {place!r} does not occur in the article; copy it or use null")

    return check


def classify_figure(
    ctx: ArticleContext, candidate: NumberCandidate, llm: LLM, *, hint: str | None = None
) -> QuantityClaim | None:
    """Ask what one figure counts; None when the model says it is not a count."""
    schema = _schema(ctx, candidate, allow_none=hint is None)
    measures = ", ".join(f'"{v.value}"' for v in schema.model_fields["measure"].annotation)  # type: ignore[union-attr]
    common = dict(
        article=ctx.window_text(candidate.sentence),
        number=candidate.sentence.number,
        sentence=one_line(candidate.sentence.text),
        figure=candidate.text,
        measures=measures,
    )
    if hint is None:
        prompt = render("extract_quantity", **common)
    else:
        prompt = render("extract_quantity_recheck", hint=hint, **common)
    answer = llm.parse(
        schema, prompt, sampling=sampling(MAX_TOKENS), check=_checker(ctx, candidate)
    )
    measure = value_of(answer, "measure")
    if measure == NOT_A_COUNT:
        return None
    place = value_of(answer, "place") or None
    subject = str(value_of(answer, "subject")).strip()
    start, end = figure_span(ctx, candidate, subject)
    return QuantityClaim(
        id="pending",
        article_id=ctx.article.id,
        span=ctx.article.span(start, end),
        value=candidate.value,
        value_high=candidate.value_high,
        qualifier=candidate.qualifier,
        subject=subject,
        measure=measure,
        place=place.strip() if place else None,
        scope=scope_of(place),
    )


def figure_span(ctx: ArticleContext, candidate: NumberCandidate, subject: str) -> tuple[int, int]:
    """Hedge words through the counted noun ('at least 23 people'); else the whole sentence."""
    wanted = {_stem(w) for w in re.findall(r"[\w'-]+", subject)}
    tail = ctx.norm[candidate.end : min(candidate.sentence.end, candidate.end + 60)]
    for word in re.finditer(r"[\w'-]+", tail):
        if _stem(word.group()) in wanted:
            return candidate.phrase_start, candidate.end + word.end()
    return candidate.sentence.start, candidate.sentence.end


def recall_hint(ctx: ArticleContext, candidate: NumberCandidate) -> str | None:
    """The count word right after a figure that got no claim: worth one follow-up question."""
    return nearest_measure_word(ctx.norm, candidate.end, reach=35)
