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
:func:`ask_claims` runs one claim kind (:class:`~claimcheck.extract.kind.ClaimKind`) either
way, so every kind is asked by the same loop.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from functools import partial
from typing import Any, TypeVar

from pydantic import BaseModel

from claimcheck import settings
from claimcheck.errors import ConfigError
from claimcheck.extract.context import ArticleContext, answer_model, ask_or_none, one_line
from claimcheck.extract.context import sampling as greedy
from claimcheck.extract.kind import BatchPrompt, C, Cand, ClaimKind, Decided, Slot
from claimcheck.extract.text import Sentence
from claimcheck.llm import LLM, note_question, tally
from claimcheck.llm.prompts import render

#: ``CLAIMCHECK_BATCH=K`` asks up to K candidates of one type per call; unset or 0: one each.
ENV_BATCH = settings.ENV_BATCH
#: The chunk size suggested when batching is switched on without a number.
DEFAULT_BATCH = 6
#: Answer tokens per slot beyond the single answer's own: the label, its quotes and braces.
SLOT_OVERHEAD_TOKENS = 8

log = logging.getLogger(__name__)
Q = TypeVar("Q")


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


def batch_model(kind: BatchPrompt, slots: Sequence[Slot[Any]]) -> type[BaseModel]:
    """An object with one required property per slot (F1, F2 ...), each its own answer."""
    labels = [f"{kind.prefix}{i}" for i in range(1, len(slots) + 1)]
    fields = {label: (slot.model(label), ...) for label, slot in zip(labels, slots, strict=True)}
    return answer_model(kind.schema_name, **fields)


def ask_slots(
    ctx: ArticleContext, llm: LLM, kind: BatchPrompt, slots: Sequence[Slot[Any]], *, size: int
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
    llm: LLM, kind: BatchPrompt, window: str, slots: Sequence[Slot[Any]]
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


def _items(labels: Sequence[str], slots: Sequence[Slot[Any]]) -> str:
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


# --------------------------------------------------------------------------- every kind


def ask_claims(
    kind: ClaimKind[Cand, C],
    ctx: ArticleContext,
    candidates: Sequence[Cand],
    llm: LLM,
    *,
    size: int,
) -> list[C | None]:
    """The claim of each candidate of one kind (None: no claim, or no answer).

    ``size=0`` asks each candidate its own question; ``size=K`` asks up to K a call, and a
    candidate whose batched answer is missing or fails its check is asked alone.
    """
    if not size:
        return [
            ask_or_none(partial(kind.ask, ctx, candidate, llm), what=kind.what(candidate))
            for candidate in candidates
        ]
    lines = [kind.slot(ctx, candidate) for candidate in candidates]
    slots = [line for line in lines if isinstance(line, Slot)]
    answers = iter(ask_slots(ctx, llm, kind.batch, slots, size=size))
    out: list[C | None] = []
    for candidate, line in zip(candidates, lines, strict=True):
        if isinstance(line, Decided):
            out.append(line.claim())
            continue
        answer = next(answers)
        if answer is None:
            out.append(
                ask_or_none(partial(kind.ask, ctx, candidate, llm), what=kind.what(candidate))
            )
        else:
            out.append(line.claim(answer))
    return out


__all__ = [
    "DEFAULT_BATCH",
    "ENV_BATCH",
    "ask_claims",
    "batch_size_from_env",
    "chunks",
]
