"""What a claim kind gives extraction: candidates → a question → a claim.

Each kind of claim (figures, quotations, titles, event facts) is one :class:`ClaimKind`
defined in its own module (``extract/quantities.py``, ``quotes.py``, ``roles.py``,
``facts.py``) and listed once in :data:`claimcheck.extract.CLAIM_KINDS`. Extraction runs
every kind the same way (:func:`claimcheck.extract.batch.ask_claims`): code finds the
candidates, then each candidate is asked its own narrow question, or, batched, its line in a
question about up to K candidates of the kind, whose checked answer gives the claim (an
answer that fails its check is asked again alone).

A new kind of claim is one module with its candidates, its single question, its batched
line and the claim an answer gives, then one entry in ``CLAIM_KINDS``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from pydantic import BaseModel

from claimcheck.extract.context import ArticleContext
from claimcheck.extract.text import Sentence
from claimcheck.llm import LLM

#: a candidate code found (a figure, a quotation, a person with title phrases, a sentence)
Cand = TypeVar("Cand")
#: the claim a candidate gives
C = TypeVar("C")
Check = Callable[[BaseModel], None]


@dataclass(frozen=True)
class Slot(Generic[C]):
    """One candidate's line in a batched question.

    ``model`` builds the slot's answer object from a suffix (its label), so every slot
    carries its own enum of options; ``text`` is the candidate's line after its label;
    ``claim`` is the claim a checked answer gives.
    """

    sentence: Sentence
    text: str
    model: Callable[[str], type[BaseModel]]
    claim: Callable[[BaseModel], C | None]
    check: Check | None = None


@dataclass(frozen=True)
class Decided(Generic[C]):
    """A candidate whose claim code settles without a question (or that asks nothing):
    ``claim`` gives it."""

    claim: Callable[[], C | None]


@dataclass(frozen=True)
class BatchPrompt:
    """The batched question of a kind: its template, and the single question it stands for."""

    prompt_id: str
    single_id: str  # the single question's prompt: each accepted slot is counted as one
    prefix: str  # label prefix: F1, Q1, P1, S1
    schema_name: str
    max_tokens: int  # the single question's answer budget, per slot


def _always(ctx: ArticleContext, candidate: object, claim: object) -> bool:
    return True


@dataclass(frozen=True)
class ClaimKind(Generic[Cand, C]):
    """One kind of claim through extraction.

    ``candidates`` finds them in an article; ``ask`` asks one candidate's single question;
    ``slot`` gives its line in a batched question (or its claim, :class:`Decided` without a
    question); ``what`` names it when its question fails; ``keep`` tells whether an answered
    claim stands (a figure's claim must show the figure's own words).
    """

    name: str
    candidates: Callable[[ArticleContext], Sequence[Cand]]
    ask: Callable[[ArticleContext, Cand, LLM], C | None]
    slot: Callable[[ArticleContext, Cand], Slot[C] | Decided[C]]
    what: Callable[[Cand], str]
    batch: BatchPrompt
    keep: Callable[[ArticleContext, Cand, C], bool] = _always


def choices(values: Sequence[str]) -> str:
    """Options as a batched line lists them: ``"a", "b", "none"``."""
    return ", ".join(f'"{v}"' for v in values)


def both(first: Check, second: Check) -> Check:
    """One check running two."""

    def check(answer: BaseModel) -> None:
        first(answer)
        second(answer)

    return check


def check_offered(field: str, options: list[str], answer: BaseModel) -> None:
    """A closed-list answer must be one of this slot's own options (the schema already
    says so; checked again so a batched answer is never trusted on the schema alone)."""
    value = answer.model_dump(mode="json")[field]
    if value not in options:
        raise ValueError(f"{field} {value!r} is not one of this line's options")


__all__ = ["BatchPrompt", "ClaimKind", "Decided", "Slot", "both", "check_offered", "choices"]
