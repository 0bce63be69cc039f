"""Batched questions: one call asks about up to K candidates of one type in one article.

Every single question re-sends the whole numbered article, so an article with 15 candidates
costs 15 article reads. Here the article is sent once per chunk of candidates, then the
candidates as labelled lines under their sentences (``Sentence [4]: <<< ... >>>`` then
``F1: the figure "23"; measure: one of ...``),
and the answer schema is an object with one required property per label, each the same
enum-constrained answer object the single question uses, with that candidate's own options.
The schema's length fixes the output, so the model cannot loop or skip a slot.

Each slot's answer is checked in code exactly as a single answer is (a figure's subject must
be in its sentence, a speaker must be named near the quotation ...). A slot that fails its
check, or every slot of a call that fails as a whole, is asked again ALONE through today's
single-question path: batching can only lose accuracy where a batched answer passes the
check and is wrong. The batched prompts keep the single prompts' system message and article
block word for word, so a llama.cpp server reuses the article's prompt cache between a
batched call and its single fallbacks.

Off unless asked for: ``extract_claims(..., batch=K)`` or ``CLAIMCHECK_BATCH=K``.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Generic, TypeVar

from pydantic import BaseModel

from claimcheck import settings
from claimcheck.errors import ConfigError
from claimcheck.extract import facts, quantities, quotes, roles
from claimcheck.extract.candidates import NumberCandidate, PersonMention, QuoteCandidate
from claimcheck.extract.context import (
    ArticleContext,
    answer_model,
    ask_or_none,
    one_line,
    value_of,
)
from claimcheck.extract.context import sampling as greedy
from claimcheck.extract.facts import FactCandidate
from claimcheck.extract.text import Sentence
from claimcheck.llm import LLM, note_question, tally
from claimcheck.llm.prompts import render
from claimcheck.models import EventFactClaim, QuantityClaim, QuoteClaim, RoleClaim

#: ``CLAIMCHECK_BATCH=K`` asks up to K candidates of one type per call; unset or 0: one each.
ENV_BATCH = settings.ENV_BATCH
#: The chunk size suggested when batching is switched on without a number.
DEFAULT_BATCH = 6
#: Answer tokens per slot beyond the single answer's own: the label, its quotes and braces.
SLOT_OVERHEAD_TOKENS = 8

log = logging.getLogger(__name__)
Q = TypeVar("Q")
Check = Callable[[BaseModel], None]


def batch_size_from_env() -> int:
    """``CLAIMCHECK_BATCH`` as a chunk size: unset, empty or 0 is off (one question each)."""
    raw = settings.text(ENV_BATCH)
    if not raw:
        return 0
    try:
        size = int(raw)
    except ValueError:
        raise ConfigError(
            f"{ENV_BATCH}={raw!r} is not a whole number; set it to the number of candidates "
            f"asked per call (e.g. {DEFAULT_BATCH}) or 0 for one question per candidate"
        ) from None
    return check_size(size)


def check_size(size: int) -> int:
    """``size`` when it is a usable chunk size (0 = off); else a ConfigError."""
    if size < 0:
        raise ConfigError(f"batch size must be 0 (off) or more, not {size}")
    return size


@dataclass(frozen=True)
class Slot(Generic[Q]):
    """One candidate's place in a batched question.

    ``model`` builds the slot's answer object from a suffix (its label), so every slot
    carries its own enum of options; ``text`` is the candidate's line after its label.
    """

    candidate: Q
    sentence: Sentence
    text: str
    model: Callable[[str], type[BaseModel]]
    check: Check | None = None


@dataclass(frozen=True)
class Kind:
    """What differs between candidate types in a batched question."""

    prompt_id: str
    single_id: str  # the single question's prompt: each accepted slot is counted as one
    prefix: str  # label prefix: F1, Q1, P1, S1
    schema_name: str
    max_tokens: int  # the single question's answer budget, per slot


FIGURES = Kind(
    "extract_quantity_batch", "extract_quantity", "F", "FigureBatch", quantities.MAX_TOKENS
)
QUOTES = Kind("extract_quote_batch", "extract_quote", "Q", "QuoteBatch", quotes.MAX_TOKENS)
PEOPLE = Kind("extract_role_batch", "extract_role", "P", "TitleBatch", roles.MAX_TOKENS)
FACTS = Kind("extract_fact_batch", "extract_fact", "S", "FactBatch", facts.MAX_TOKENS)


def chunks(items: Sequence[Q], size: int) -> list[list[Q]]:
    """``items`` in ceil(n/size) runs of near-equal length, order kept (7 by 6: 4 + 3)."""
    if not items:
        return []
    count = math.ceil(len(items) / size)
    base, extra = divmod(len(items), count)
    out, at = [], 0
    for index in range(count):
        length = base + (1 if index < extra else 0)
        out.append(list(items[at : at + length]))
        at += length
    return out


def batch_model(kind: Kind, slots: Sequence[Slot[Q]]) -> type[BaseModel]:
    """An object with one required property per slot (F1, F2 ...), each its own answer."""
    labels = [f"{kind.prefix}{i}" for i in range(1, len(slots) + 1)]
    fields = {label: (slot.model(label), ...) for label, slot in zip(labels, slots, strict=True)}
    return answer_model(kind.schema_name, **fields)


def ask_slots(
    ctx: ArticleContext, llm: LLM, kind: Kind, slots: Sequence[Slot[Q]], *, size: int
) -> list[BaseModel | None]:
    """Each slot's checked answer, or None where it must be asked alone.

    Slots are grouped by the article window that holds their sentence (one window for any
    article under 40 sentences), then asked in chunks of at most ``size``.
    """
    answers: list[BaseModel | None] = [None] * len(slots)
    by_window: dict[str, list[int]] = {}
    for index, slot in enumerate(slots):
        by_window.setdefault(ctx.window_text(slot.sentence), []).append(index)
    for window, indices in by_window.items():
        for chunk in chunks(indices, size):
            chosen = [slots[i] for i in chunk]
            for index, answer in zip(chunk, _ask_chunk(llm, kind, window, chosen), strict=True):
                answers[index] = answer
    return answers


def _ask_chunk(
    llm: LLM, kind: Kind, window: str, slots: Sequence[Slot[Q]]
) -> list[BaseModel | None]:
    labels = [f"{kind.prefix}{i}" for i in range(1, len(slots) + 1)]
    schema = batch_model(kind, slots)
    prompt = render(
        kind.prompt_id,
        article=window,
        items=_items(labels, slots),
        labels=", ".join(labels),
    )
    budget = len(slots) * (kind.max_tokens + SLOT_OVERHEAD_TOKENS) + SLOT_OVERHEAD_TOKENS
    # No whole-answer check: one slot failing its check must not re-ask the others. The
    # call is kept out of the article's question tally (run health): a batch the model
    # cannot answer is not a failed question when its slots are answered alone; each
    # accepted slot is counted as one answered question instead, as on the single path.
    with tally():
        answer = ask_or_none(
            partial(llm.parse, schema, prompt, sampling=greedy(budget)),
            what=f"{len(slots)} batched {kind.single_id} questions (each is asked alone now)",
        )
    if answer is None:
        return [None] * len(slots)
    out: list[BaseModel | None] = []
    for label, slot in zip(labels, slots, strict=True):
        item: BaseModel = getattr(answer, label)
        if slot.check is not None:
            try:
                slot.check(item)
            except ValueError as exc:
                log.info("%s %s failed its check (%s); asking it alone", kind.prompt_id, label, exc)
                out.append(None)
                continue
        note_question(kind.single_id, "asked")
        note_question(kind.single_id, "answered")
        out.append(item)
    return out


def _items(labels: Sequence[str], slots: Sequence[Slot[Q]]) -> str:
    """The labelled lines, each under its sentence; a sentence holding several candidates
    ("two killed and 20 hospitalised") is shown once, not once per candidate."""
    lines: list[str] = []
    shown: Sentence | None = None
    for label, slot in zip(labels, slots, strict=True):
        if slot.sentence != shown:
            lines.append(
                f"Sentence [{slot.sentence.number}]: <<< {one_line(slot.sentence.text)} >>>"
            )
            shown = slot.sentence
        lines.append(f"{label}: {slot.text}")
    return "\n".join(lines)


def _choices(values: Sequence[str]) -> str:
    return ", ".join(f'"{v}"' for v in values)


# --------------------------------------------------------------------------- per type


def ask_figures(
    ctx: ArticleContext, candidates: Sequence[NumberCandidate], llm: LLM, *, size: int
) -> list[QuantityClaim | None]:
    """The claim of each figure (None: not a count, or no answer), asked ``size`` a call."""
    slots = []
    for candidate in candidates:
        values = quantities.measure_values(ctx, candidate)
        offered = partial(_offered, "measure", values)
        check = _both(offered, quantities.figure_checker(ctx, candidate))
        slots.append(
            Slot(
                candidate=candidate,
                sentence=candidate.sentence,
                text=f'the figure "{candidate.text}"; measure: one of {_choices(values)}',
                model=partial(_figure_model, values),
                check=check,
            )
        )
    answers = ask_slots(ctx, llm, FIGURES, slots, size=size)
    out: list[QuantityClaim | None] = []
    for candidate, answer in zip(candidates, answers, strict=True):
        if answer is None:
            out.append(
                ask_or_none(
                    partial(quantities.classify_figure, ctx, candidate, llm),
                    what=f"figure {candidate.text!r}",
                )
            )
        else:
            out.append(quantities.figure_claim(ctx, candidate, answer))
    return out


def _figure_model(values: list[str], suffix: str) -> type[BaseModel]:
    return quantities.figure_answer_model(values, suffix=suffix)


def ask_quotes(
    ctx: ArticleContext, candidates: Sequence[QuoteCandidate], llm: LLM, *, size: int
) -> list[QuoteClaim | None]:
    """The claim of each quotation; only those whose speaker code cannot read are asked."""
    known: dict[int, tuple[str | None, str | None]] = {}
    slots: list[Slot[int]] = []
    for index, candidate in enumerate(candidates):
        speaker, described = quotes.code_speaker(ctx, candidate)
        if speaker is not None or described is not None:
            known[index] = (speaker, described)
            continue
        options = quotes.speaker_options(ctx, candidate)
        if options is None or options == [quotes.UNKNOWN]:
            # Nothing to ask, or one possible answer: the single path's answer is forced.
            known[index] = (None if options is None else quotes.UNKNOWN, None)
            continue
        slots.append(
            Slot(
                candidate=index,
                sentence=candidate.sentence,
                text=f'the words "{one_line(candidate.text)}"; speaker: one of {_choices(options)}',
                model=partial(_quote_model, options),
                check=quotes.quote_checker(ctx, candidate),
            )
        )
    answers = ask_slots(ctx, llm, QUOTES, slots, size=size)
    asked = {slot.candidate: answer for slot, answer in zip(slots, answers, strict=True)}
    out: list[QuoteClaim | None] = []
    for index, candidate in enumerate(candidates):
        if index in known:
            out.append(quotes.quote_claim(ctx, candidate, *known[index]))
            continue
        answer = asked[index]
        if answer is None:
            out.append(
                ask_or_none(partial(quotes.classify_quote, ctx, candidate, llm), what="a quotation")
            )
        else:
            speaker = str(value_of(answer, "speaker"))
            out.append(quotes.quote_claim(ctx, candidate, speaker, None))
    return out


def _quote_model(options: list[str], suffix: str) -> type[BaseModel]:
    return quotes.quote_answer_model(options, suffix=suffix)


def ask_people(
    ctx: ArticleContext, people: Sequence[PersonMention], llm: LLM, *, size: int
) -> list[RoleClaim | None]:
    """The title claim of each person mention with title phrases, asked ``size`` a call."""
    slots = []
    for person in people:
        options = roles.title_options(ctx, person)
        slots.append(
            Slot(
                candidate=person,
                sentence=person.sentence,
                text=f"{person.name}; title: one of {_choices(options)}",
                model=partial(_title_model, options),
                check=partial(_offered, "title", options),
            )
        )
    answers = ask_slots(ctx, llm, PEOPLE, slots, size=size)
    out: list[RoleClaim | None] = []
    for person, answer in zip(people, answers, strict=True):
        if answer is None:
            out.append(
                ask_or_none(partial(roles.classify_person, ctx, person, llm), what=person.name)
            )
        else:
            out.append(roles.role_claim(ctx, person, str(value_of(answer, "title"))))
    return out


def _title_model(options: list[str], suffix: str) -> type[BaseModel]:
    return roles.title_answer_model(options, suffix=suffix)


def ask_facts(
    ctx: ArticleContext, candidates: Sequence[FactCandidate], llm: LLM, *, size: int
) -> list[EventFactClaim | None]:
    """The event-fact claim of each flagged sentence, asked ``size`` a call."""
    slots: list[Slot[int]] = []
    options_of: dict[int, facts.FactOptions] = {}
    for index, candidate in enumerate(candidates):
        options = facts.fact_options(ctx, candidate)
        if not options:
            continue  # the single path asks nothing either
        options_of[index] = options
        labels = [*list(options)[: facts.MAX_OPTIONS], facts.NONE]
        slots.append(
            Slot(
                candidate=index,
                sentence=candidate.sentence,
                text=f"target: one of {_choices(labels)}",
                model=partial(_fact_model, labels),
                check=partial(_offered, "target", labels),
            )
        )
    answers = ask_slots(ctx, llm, FACTS, slots, size=size)
    asked = {slot.candidate: answer for slot, answer in zip(slots, answers, strict=True)}
    out: list[EventFactClaim | None] = []
    for index, candidate in enumerate(candidates):
        if index not in options_of:
            out.append(None)
            continue
        answer = asked[index]
        if answer is None:
            out.append(
                ask_or_none(
                    partial(facts.classify_fact, ctx, candidate, llm),
                    what=f"sentence {candidate.sentence.number}",
                )
            )
        else:
            chosen = str(value_of(answer, "target"))
            out.append(facts.fact_claim(ctx, candidate, options_of[index], chosen))
    return out


def _fact_model(labels: list[str], suffix: str) -> type[BaseModel]:
    return facts.fact_answer_model(labels, suffix=suffix)


def _both(first: Check, second: Check) -> Check:
    def check(answer: BaseModel) -> None:
        first(answer)
        second(answer)

    return check


def _offered(field: str, options: list[str], answer: BaseModel) -> None:
    """A closed-list answer must be one of this slot's own options (the schema already
    says so; checked again so a batched answer is never trusted on the schema alone)."""
    value = answer.model_dump(mode="json")[field]
    if value not in options:
        raise ValueError(f"{field} {value!r} is not one of this line's options")


__all__ = [
    "DEFAULT_BATCH",
    "ENV_BATCH",
    "ask_facts",
    "ask_figures",
    "ask_people",
    "ask_quotes",
    "batch_size_from_env",
    "chunks",
]
