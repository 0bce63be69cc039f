"""What every per-candidate question shares: the article as numbered sentences, once.

The numbered article goes FIRST in every prompt and the candidate question LAST, so a
llama.cpp server's prompt cache reuses the article prefix across all calls on one article
(only the question's few dozen tokens are processed per call). Long articles are cut into
overlapping windows of sentences; a candidate is asked about in the window that holds it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, create_model

from claimcheck.errors import StructuredOutputError
from claimcheck.extract.candidates import PersonMention, find_people, in_non_story_line
from claimcheck.extract.number_candidates import NumberCandidate, find_numbers
from claimcheck.extract.text import Sentence, normalise, numbered, split_sentences, windows
from claimcheck.llm import Sampling
from claimcheck.models import Article

log = logging.getLogger(__name__)
C = TypeVar("C")

#: Sentences per prompt window; ~40 news sentences stay well inside a 4k-token context.
WINDOW_SENTENCES = 40
WINDOW_OVERLAP = 5


@dataclass
class ArticleContext:
    """An article prepared once for all the narrow questions asked about it.

    Figures and people in captions, bylines and link lines ("Also read: ...") are left
    out: those lines are not the story's claims.
    """

    article: Article
    sentences: list[Sentence]
    norm: str
    people: list[PersonMention]
    numbers: list[NumberCandidate]
    _windows: list[list[Sentence]] = field(default_factory=list)
    _rendered: dict[int, str] = field(default_factory=dict)

    @classmethod
    def of(cls, article: Article) -> ArticleContext:
        sentences = split_sentences(article.text)
        ctx = cls(
            article=article,
            sentences=sentences,
            norm=normalise(article.text),
            people=find_people(article.text, sentences),
            numbers=[
                n
                for n in find_numbers(article.text, sentences)
                if not in_non_story_line(article.text, n.start)
            ],
        )
        ctx._windows = windows(sentences, size=WINDOW_SENTENCES, overlap=WINDOW_OVERLAP)
        return ctx

    def window_text(self, sentence: Sentence) -> str:
        """The numbered text of the window that best holds ``sentence`` (cached per window)."""
        best = 0
        best_margin = -1
        for index, window in enumerate(self._windows):
            numbers = [s.number for s in window]
            if numbers[0] <= sentence.number <= numbers[-1]:
                margin = min(sentence.number - numbers[0], numbers[-1] - sentence.number)
                if margin > best_margin:
                    best, best_margin = index, margin
        if best not in self._rendered:
            self._rendered[best] = numbered(self._windows[best])
        return self._rendered[best]

    def near(self, sentence: Sentence, *, before: int = 2, after: int = 1) -> str:
        """Normalised text of the sentences around ``sentence``, for checks in code."""
        lo = max(0, sentence.number - 1 - before)
        hi = min(len(self.sentences), sentence.number + after)
        return " ".join(normalise(s.text) for s in self.sentences[lo:hi])


def one_line(text: str) -> str:
    """Sentence text as shown in a question: on one line, quotes left as written."""
    return " ".join(text.split())


def choice_enum(name: str, values: list[str]) -> type[Enum]:
    """A str Enum of ``values`` so the JSON schema constrains the model to one of them."""
    unique = list(dict.fromkeys(values))
    return Enum(name, {f"v{i}": v for i, v in enumerate(unique)}, type=str)  # type: ignore[return-value]


def answer_model(name: str, **fields: Any) -> type[BaseModel]:
    """A small strict pydantic model built per question (enums depend on the article)."""
    config = ConfigDict(extra="forbid", frozen=True)
    return create_model(name, __config__=config, **fields)


def short_text(max_length: int) -> Any:
    return Field(min_length=0, max_length=max_length)


def sampling(max_tokens: int) -> Sampling:
    """Greedy, short answers: long generations are where the small model starts looping."""
    return Sampling(temperature=0.0, max_tokens=max_tokens, seed=0)


def value_of(answer: BaseModel, name: str) -> Any:
    """A field of a dynamically built answer model, enums as their plain string values."""
    return answer.model_dump(mode="json")[name]


def ask_or_none(call: Callable[[], C | None], *, what: str) -> C | None:
    """One question; a model that cannot answer it loses that claim, not the run."""
    try:
        return call()
    except StructuredOutputError as exc:
        log.warning("no claim for %s: %s", what, exc)
        return None
