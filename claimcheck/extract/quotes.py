"""Quotations: code finds the quoted words; the model picks the speaker from a closed list."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from claimcheck.extract.candidates import QuoteCandidate, find_quotes, mentions_of, surname
from claimcheck.extract.context import (
    ArticleContext,
    answer_model,
    choice_enum,
    one_line,
    sampling,
    value_of,
)
from claimcheck.llm import LLM
from claimcheck.models import QuoteClaim
from claimcheck.prompts import render

MAX_TOKENS = 24
UNKNOWN = "unknown"
#: Quotes this short with no known speaker are scare quotes ("root causes"), not quotations.
MIN_WORDS_WITHOUT_SPEAKER = 4

# Speakers that are bodies, not people; offered when the article names them.
_BODIES = re.compile(
    r"\b(?:(?:Ukraine|Russia|Kyiv|Moscow)(?:'s|\u2019s)?\s+)?"
    r"([Tt]he Kremlin|[Aa]ir [Ff]orce|[Mm]ilitary|[Ff]oreign [Mm]inistry|[Dd]efen[cs]e [Mm]inistry|"
    r"[Ee]mergency [Ss]ervice|[Pp]olice|[Cc]ity [Aa]dministration)\b"
)


_SPEECH = re.compile(
    r"[\w.,'\u2019 -]{0,60}?\b(?:said|says|told|added|wrote|called|condemned|declared|warned|"
    r"insisted|described|accused|stated|posted|expressed|acknowledged)\b"
)
# A capital standing for its government, when it is the subject of a speech verb.
_CAPITAL_SPEAKER = re.compile(
    r"\b(Moscow|Kyiv|Washington|Beijing|Warsaw)\s+(?:\w+\s+)?"
    r"(?:said|says|called|described|denied|claimed|accused|warned)\b"
)


def speakers(ctx: ArticleContext, candidate: QuoteCandidate) -> list[str]:
    """People and bodies named in the article, nearest mention to the quotation first."""
    return [name for name, _ in _ranked(ctx, candidate)]


def attributed_speaker(ctx: ArticleContext, candidate: QuoteCandidate) -> str | None:
    """The one name that is the subject of a speech verb in the quote's own sentence.

    "Vice President J.D. Vance told reporters: '...he is not stopping'" is read by code; the
    small model was seen to pick the person the quote talks about instead. With several
    names, the sole subject of the speech verb nearest before the quotation ("Moscow still
    says ..., and Putin has lately said that '...'"); when that verb has two candidate
    subjects ("Trump, after a call with Zelensky, said '...'"), or there is none, the model
    is asked.
    """
    subjects = _speech_subjects(ctx, candidate)
    names = list(dict.fromkeys(name for name, _ in subjects))
    if len(names) == 1:
        return names[0]
    before = [(verb_end, name) for name, verb_end in subjects if verb_end <= candidate.start]
    if not before:
        return None
    nearest = max(verb_end for verb_end, _ in before)
    at_nearest = {name for verb_end, name in before if verb_end == nearest}
    return at_nearest.pop() if len(at_nearest) == 1 else None


def _speech_subjects(ctx: ArticleContext, candidate: QuoteCandidate) -> list[tuple[str, int]]:
    """``(name, end of its speech verb)`` for each name in the quote's sentence (outside the
    quotation) that is the subject of a speech verb."""
    sentence = candidate.sentence
    found: list[tuple[str, int]] = []

    def consider(name: str, offset: int) -> None:
        if candidate.start <= offset < candidate.end:
            return
        if not sentence.start <= offset < sentence.end:
            return
        verb = _SPEECH.match(ctx.norm, offset, min(sentence.end, offset + 80))
        if verb is not None:
            found.append((name, verb.end()))

    for name, offset in _speaker_mentions(ctx):
        consider(name, offset)
    return found


def _speaker_mentions(ctx: ArticleContext) -> Iterator[tuple[str, int]]:
    """Every mention of a possible speaker: people, bodies, capitals standing for a
    government, with their offsets in the article."""
    for name, offsets in mentions_of(ctx.article.text, ctx.people).items():
        for offset in offsets:
            yield name, offset
    for match in _BODIES.finditer(ctx.norm):
        yield match.group(0), match.start()
    for match in _CAPITAL_SPEAKER.finditer(ctx.norm):
        yield match.group(1), match.start()


_PRONOUN_SAID = re.compile(r"\W*(?:he|she)\s+(?:said|says|added|continued|told)\b", re.IGNORECASE)


def continued_speaker(ctx: ArticleContext, candidate: QuoteCandidate) -> str | None:
    """The speaker of a quotation that stands alone right after an attributed one.

    In '"... because I don't think he's there," Trump said. "I don't think he's looking to
    stop."' the second sentence is Trump still talking; the small model was seen to credit
    the person the words are about. Code carries the attribution over when the quotation is
    all its sentence holds (or all but "he said") and the sentence before holds a quotation
    with a named speaker.
    """
    sentence = candidate.sentence
    outside = (
        ctx.article.text[sentence.start : candidate.start]
        + ctx.article.text[candidate.end : sentence.end]
    )
    if candidate.end > sentence.end:
        return None  # a quotation running over sentences: its speaker is named after it
    if sentence.number < 2 or (re.search(r"\w", outside) and not _PRONOUN_SAID.match(outside)):
        return None
    previous = ctx.sentences[sentence.number - 2]
    before = [
        q for q in find_quotes(ctx.article.text, [previous]) if previous.contains(q.start, q.end)
    ]
    if not before:
        return None
    return attributed_speaker(ctx, before[-1])


# An unnamed speaker described by role: "Moscow's chargé d'affaires in Turkey told reporters
# that the '...'".
_DESCRIBED = re.compile(
    r"((?:(?:the|a|an)\s+)?(?:[A-Z][\w'\u2019-]*\s+){0,3}(?:[a-z][\w'\u2019-]*\s+){0,2}?"
    r"(?:spokes(?:man|woman|person)|charg\u00e9 d'affaires|ambassador|envoy|official|officials|"
    r"adviser|advisor|aide|representative|negotiator)"
    r"(?:\s+(?:in|to|for|at)\s+(?:the\s+)?[A-Z][\w-]*)?)"
    r"\s+(?:told reporters|told|said|says|added|warned)\b[^.!?\"\u201c]{0,30}$"
)


def described_speaker(ctx: ArticleContext, candidate: QuoteCandidate) -> str | None:
    """The description of an unnamed speaker who is the subject of the speech verb right
    before the quotation, e.g. "Moscow's chargé d'affaires in Turkey"; else None."""
    before = ctx.norm[candidate.sentence.start : candidate.start]
    m = _DESCRIBED.search(before)
    if m is None:
        return None
    start = candidate.sentence.start + m.start(1)
    words = ctx.article.text[start : candidate.sentence.start + m.end(1)].split()
    while words and words[0].lower() in _CONNECTIVES:
        words.pop(0)
    if len([w for w in words if w.lower() not in ("the", "a", "an")]) < 2:
        return None  # "The envoy said": a back-reference to someone named before
    return " ".join(words)


_CONNECTIVES = frozenset("but and meanwhile later however still also yet so then".split())  # noqa: SIM905


_SPEECH_BONUS = 10_000


def _ranked(ctx: ArticleContext, candidate: QuoteCandidate) -> list[tuple[str, int]]:
    """Candidate speakers with their distance to the quotation (speech-verb subjects < 0).

    Mentions inside the quotation do not count: in "he said 'Putin is lying'" Putin is the
    subject of the quote, not its speaker.
    """
    distance: dict[str, int] = {}

    def gap(offset: int) -> int | None:
        if candidate.start <= offset < candidate.end:
            return None
        return candidate.start - offset if offset < candidate.start else offset - candidate.end

    sentence = candidate.sentence

    def add(name: str, offset: int) -> None:
        d = gap(offset)
        if d is None:
            return
        # The subject of a speech verb in the quote's own sentence outranks mere nearness.
        if sentence.start <= offset < sentence.end and _SPEECH.match(
            ctx.norm, offset, min(sentence.end, offset + 80)
        ):
            d -= _SPEECH_BONUS
        distance[name] = min(distance.get(name, 10**9), d)

    for name, offset in _speaker_mentions(ctx):
        add(name, offset)
    return sorted(distance.items(), key=lambda item: item[1])[:8]


def _checker(ctx: ArticleContext, candidate: QuoteCandidate) -> Any:
    near = ctx.near(candidate.sentence, before=2, after=1).lower()
    quoted = candidate.text.lower()

    def check(answer: BaseModel) -> None:
        speaker = value_of(answer, "speaker")
        if speaker == UNKNOWN:
            return
        key = (
            surname(speaker).lower()
            if speaker[:1].isupper() and " " in speaker
            else speaker.lower()
        )
        # The speaker must be named around the quote (a pronoun may point back two sentences).
        if key not in near.replace(quoted, " "):
            raise ValueError(
                f"{speaker!r} is not named near sentence [{candidate.sentence.number}]; "
                'choose a speaker named next to the quotation, or "unknown"'
            )

    return check


def classify_quote(ctx: ArticleContext, candidate: QuoteCandidate, llm: LLM) -> QuoteClaim | None:
    """Ask who said one quotation; scare quotes without a speaker are dropped."""
    speaker: str | None = attributed_speaker(ctx, candidate) or continued_speaker(ctx, candidate)
    described = None if speaker is not None else described_speaker(ctx, candidate)
    if speaker is None and described is None:
        speaker = _ask_speaker(ctx, candidate, llm)
    if speaker == UNKNOWN or speaker is None:
        speaker = None
        if candidate.words < MIN_WORDS_WITHOUT_SPEAKER and described is None:
            return None
    title = described
    for person in ctx.people:
        if person.name == speaker and person.titles:
            start, end = person.titles[0]
            title = ctx.article.text[start:end]
            break
    return QuoteClaim(
        id="pending",
        article_id=ctx.article.id,
        span=ctx.article.span(candidate.start, candidate.end),
        quote=candidate.text,
        speaker=speaker,
        speaker_title=title,
        direct=True,
    )


def _ask_speaker(ctx: ArticleContext, candidate: QuoteCandidate, llm: LLM) -> str | None:
    options = speakers(ctx, candidate)
    if not options and candidate.words < MIN_WORDS_WITHOUT_SPEAKER:
        return None
    schema = answer_model(
        "QuoteAnswer", speaker=(choice_enum("SpeakerChoice", [*options, UNKNOWN]), ...)
    )
    prompt = render(
        "extract_quote",
        article=ctx.window_text(candidate.sentence),
        number=candidate.sentence.number,
        sentence=one_line(candidate.sentence.text),
        quote=one_line(candidate.text),
        speakers=", ".join(f'"{s}"' for s in [*options, UNKNOWN]),
    )
    answer = llm.parse(
        schema, prompt, sampling=sampling(MAX_TOKENS), check=_checker(ctx, candidate)
    )
    chosen: str = value_of(answer, "speaker")
    return chosen
