"""Event facts: sentences with attack/damage verbs; the model reads the target, code checks it."""

from __future__ import annotations

import re

from claimcheck.extract.context import (
    ArticleContext,
    answer_model,
    choice_enum,
    one_line,
    sampling,
    value_of,
)
from claimcheck.extract.lexicon import CITIES
from claimcheck.extract.text import Sentence, normalise
from claimcheck.llm import LLM
from claimcheck.models import EventFactClaim
from claimcheck.prompts import render

MAX_TOKENS = 40
NONE = "none"
EVENT_VERBS = (
    "set ablaze",
    "caught fire",
    "on fire",
    "burning",
    "struck",
    "hit",
    "damaged",
    "destroyed",
    "targeted",
    "pounded",
    "attacked",
    "collapsed",
    "shelled",
    "bombed",
    "called",
)
_VERB = re.compile(r"(?<![a-z])(" + "|".join(re.escape(v) for v in EVENT_VERBS) + r")(?![a-z])")


def verbs_in(sentence: Sentence) -> list[str]:
    return list(dict.fromkeys(_VERB.findall(normalise(sentence.text).lower())))


def fact_sentences(ctx: ArticleContext) -> list[Sentence]:
    return [s for s in ctx.sentences if verbs_in(s)]


_STOP = frozenset(
    [
        "and",
        "but",
        "which",
        "while",
        "as",
        "after",
        "when",
        "where",
        "that",
        "who",
        "with",
        "during",
        "amid",
        "since",
        "because",
    ]
)
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are)\s+(?:\w+ly\s+)?$")


def target_options(sentence: Sentence, verb: str) -> list[tuple[int, int]]:
    """Phrases (offsets into the article) that may be what ``verb`` acted on.

    The object after the verb, and for a passive verb the noun phrase before it. Offered to
    the model as a closed list, so the target is an exact slice of the text by construction.
    """
    norm = normalise(sentence.text)
    out: list[tuple[int, int]] = []
    for m in re.finditer(rf"(?<![a-z]){re.escape(verb)}(?![a-z])", norm.lower()):
        after = _phrase(norm, m.end(), forward=True)
        if after:
            out.append(after)
        if _PASSIVE.search(norm[: m.start()]):
            cut = _PASSIVE.search(norm[: m.start()])
            assert cut is not None
            before = _phrase(norm, cut.start(), forward=False)
            if before:
                out.append(before)
    return [(sentence.start + a, sentence.start + b) for a, b in dict.fromkeys(out)]


def _phrase(norm: str, at: int, *, forward: bool) -> tuple[int, int] | None:
    words = list(re.finditer(r"[\w'-]+|[,.;:!?()\"]", norm))
    if forward:
        seq = [w for w in words if w.start() >= at]
    else:
        seq = [w for w in reversed(words) if w.end() <= at]
    taken: list[re.Match[str]] = []
    for w in seq:
        token = w.group()
        if not token[0].isalnum() or token.lower() in _STOP or len(taken) >= 7:
            break
        taken.append(w)
    while taken and taken[-1].group().lower() in (
        "of",
        "the",
        "a",
        "an",
        "in",
        "on",
        "by",
        "to",
        "at",
    ):
        taken.pop()
    if not taken:
        return None
    first, last = (taken[0], taken[-1]) if forward else (taken[-1], taken[0])
    return first.start(), last.end()


def classify_fact(ctx: ArticleContext, sentence: Sentence, llm: LLM) -> EventFactClaim | None:
    """Ask which of the code-found phrases one flagged sentence says was attacked or damaged."""
    options: dict[str, tuple[str, tuple[int, int]]] = {}
    for verb in verbs_in(sentence):
        for start, end in target_options(sentence, verb):
            phrase = " ".join(ctx.article.text[start:end].split())
            options.setdefault(f"{phrase} ({verb})", (verb, (start, end)))
    if not options:
        return None
    labels = list(options)[:8]
    schema = answer_model("FactAnswer", target=(choice_enum("TargetChoice", [*labels, NONE]), ...))
    prompt = render(
        "extract_fact",
        article=ctx.window_text(sentence),
        number=sentence.number,
        sentence=one_line(sentence.text),
        options=", ".join(f'"{o}"' for o in [*labels, NONE]),
    )
    answer = llm.parse(schema, prompt, sampling=sampling(MAX_TOKENS))
    chosen = value_of(answer, "target")
    if chosen == NONE:
        return None
    verb, (start, end) = options[chosen]
    target = ctx.article.text[start:end]
    return EventFactClaim(
        id="pending",
        article_id=ctx.article.id,
        span=ctx.article.span(sentence.start, sentence.end),
        statement=f"{' '.join(target.split())}: {verb}",
        action=verb,
        target=target,
        place=place_in(target) or place_in(sentence.text),
    )


def place_in(text: str) -> str | None:
    """The first known city named in ``text``, else None.

    Countries are not used: in "Russia struck Kyiv" the first country is the attacker.
    """
    for m in re.finditer(r"\b[A-Z][a-z]+(?:-[A-Z][a-z]+)?\b", normalise(text)):
        if m.group().lower() in CITIES:
            return m.group()
    return None
