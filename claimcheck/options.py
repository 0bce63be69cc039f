"""The options of a run, in one object, and the shapes of the stages they may replace.

Below the pipeline, so a stage (the cross-check) takes the same :class:`CheckOptions` the
pipeline's entry points do; :mod:`claimcheck.pipeline` re-exports every name here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol, TypedDict

from claimcheck.knowledge import KnowledgeBase
from claimcheck.llm import LLM
from claimcheck.models import Article, ArticleClaims, Event, Finding


@dataclass(frozen=True)
class ProgressEvent:
    """One step of a run, for progress bars and logs.

    ``status`` is ``started``/``done``/``failed`` for an article during extraction, and
    ``started``/``done`` with ``article_id=None`` for the cross-check stage.
    """

    stage: Literal["extract", "compare"]
    status: Literal["started", "done", "failed"]
    article_id: str | None
    completed: int
    total: int
    error: str | None = None


Progress = Callable[[ProgressEvent], None]


class CrossCheckOutcome(Protocol):
    """What a cross-checker returns: the events it found and its findings."""

    @property
    def events(self) -> tuple[Event, ...]: ...

    @property
    def findings(self) -> tuple[Finding, ...]: ...


class Extractor(Protocol):
    """The extraction stage's shape (``claimcheck.extract.extract_claims``)."""

    def __call__(self, article: Article, llm: LLM) -> ArticleClaims: ...


class CrossChecker(Protocol):
    """The cross-check stage's shape (``claimcheck.crosscheck.cross_check``)."""

    def __call__(
        self,
        items: Sequence[ArticleClaims],
        *,
        llm: LLM | None = None,
        knowledge: KnowledgeBase | None = None,
        as_of: dt.date | None = None,
        grouping: Mapping[str, str] | None = None,
        model_knowledge: bool = False,
    ) -> CrossCheckOutcome: ...


@dataclass(frozen=True)
class CheckOptions:
    """The options of a run, in one object: :func:`check`, :func:`acheck`, :func:`verify`,
    :func:`compare`, :func:`extract` and :func:`aextract` (and
    :func:`claimcheck.cluster.run_batch` as ``check_options=``) take it as ``options=``
    instead of the same keywords one by one (either, not both); each uses the options its
    stage needs, so one object serves a whole run.

    ``knowledge`` the office holders (None: none); ``as_of`` the date titles are checked on
    (None: each event's); ``grouping`` article id → event id, declared; ``concurrency``
    articles extracted at once; ``progress`` called on every article's start, end or
    failure; ``extractor``/``checker`` replace the stages (None: the real ones);
    ``model_knowledge`` asks the model about titles the knowledge cannot decide.

    Example::

        options = CheckOptions(knowledge=KnowledgeBase.load(), concurrency=4)
        report = check(articles, llm=llm, options=options)
    """

    knowledge: KnowledgeBase | None = None
    as_of: dt.date | None = None
    grouping: Mapping[str, str] | None = None
    concurrency: int = 1
    progress: Progress | None = None
    extractor: Extractor | None = None
    checker: CrossChecker | None = None
    model_knowledge: bool = False


_DEFAULTS = CheckOptions()


class RunKeywords(TypedDict, total=False):
    """The fields of :class:`CheckOptions` as keywords: what ``check``, ``acheck``,
    ``verify`` and ``compare`` accept one by one instead of ``options=`` (declared once
    here, so the entry points do not spell them out again)."""

    knowledge: KnowledgeBase | None
    as_of: dt.date | None
    grouping: Mapping[str, str] | None
    concurrency: int
    progress: Progress | None
    extractor: Extractor | None
    checker: CrossChecker | None
    model_knowledge: bool


def options_from(options: CheckOptions | None, **keywords: Any) -> CheckOptions:
    """``options``, or the keywords as one :class:`CheckOptions`; both at once is refused
    (a keyword left at its default is not given)."""
    if options is None:
        return CheckOptions(**keywords)
    given = [
        k
        for k, v in keywords.items()
        if v is not getattr(_DEFAULTS, k) and v != getattr(_DEFAULTS, k)
    ]
    if given:
        raise TypeError(
            f"give the run's options either as options= or as keywords, not both "
            f"({', '.join(given)} given beside options=)"
        )
    return options


__all__ = [
    "CheckOptions",
    "CrossCheckOutcome",
    "CrossChecker",
    "Extractor",
    "Progress",
    "ProgressEvent",
    "RunKeywords",
    "options_from",
]
