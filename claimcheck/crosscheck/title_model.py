"""Titles put to the model's own knowledge (``ModelTitleCheck``, off unless a caller asks).

The mentions the office-holder file could not decide are asked one narrow question per
person, title and date: was this person this title on this date? Only a confident "no"
becomes a finding, resting on the model's own knowledge (its severity and confidence are
the policy's ``TITLE_FROM_MODEL_KNOWLEDGE`` row).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from claimcheck.crosscheck.events import EventGroup
from claimcheck.crosscheck.findings import join_sources, long_date, policy_finding, source_name
from claimcheck.crosscheck.policy import Situation
from claimcheck.crosscheck.title_mentions import Mention
from claimcheck.errors import StructuredOutputError
from claimcheck.knowledge import canonical_jurisdiction, parse_title, title_modifier
from claimcheck.llm import LLM
from claimcheck.llm.prompts import render
from claimcheck.models import Finding, RoleModifier

# Warnings keep the logger name they had before this module was split from titles.py.
log = logging.getLogger("claimcheck.crosscheck.titles")

_MODIFIER_WORDS = {
    RoleModifier.FORMER: "former",
    RoleModifier.ACTING: "acting",
    RoleModifier.ELECT: "incoming",
}


class TitleAnswer(BaseModel):
    """The model's answer to "was this person this title on this date?".

    ``reason`` comes first so the model says what it knows before committing to an answer.
    """

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=300)
    answer: Literal["yes", "no", "unsure"]


@dataclass(frozen=True)
class TitleQuestion:
    """One question put to the model; equal questions are asked once per run."""

    person: str
    title: str
    place: str | None
    on: dt.date


def title_question(m: Mention, on: dt.date) -> TitleQuestion:
    """The question a mention raises, in a form shared by every mention raising it.

    The title is lower-cased with spaces collapsed, so "Vice President" and "vice president"
    are one question and the prompt does not depend on which article came first. A modifier
    the extractor read outside the title words ("former") joins the title.
    """
    title = " ".join(m.title.split()).lower()
    word = _MODIFIER_WORDS.get(m.modifier)
    if word is not None and title_modifier(m.title) is not m.modifier:
        title = f"{word} {title}"
    place = None
    if m.jurisdiction:
        place = canonical_jurisdiction(m.jurisdiction) or m.jurisdiction.title()
    return TitleQuestion(person=m.person.name, title=title, place=place, on=on)


@dataclass
class ModelTitleCheck:
    """Asks the model about titles the office-holder file cannot decide, once per question.

    One instance serves a whole run, so a title a thousand articles repeat costs one call
    (and the LLM's response cache spares even that on a rerun). ``calls`` counts the
    questions that got an answer, as ``FactJudgement.calls`` counts judged fact pairs; the
    LLM's own usage counts every request, re-asks included.
    """

    llm: LLM
    answers: dict[TitleQuestion, TitleAnswer | None] = field(default_factory=dict)
    calls: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def ask(self, question: TitleQuestion) -> TitleAnswer | None:
        """The model's answer, or None when it gave no usable one.

        Events checked at once may ask the same question together: the LLM sends it once
        (one question, one request) and the answer is counted once here.
        """
        if question not in self.answers:
            answer = self._ask(question)
            with self._lock:
                if question not in self.answers:
                    self.answers[question] = answer
                    self.calls += answer is not None
        return self.answers[question]

    def _ask(self, q: TitleQuestion) -> TitleAnswer | None:
        prompt = render(
            "crosscheck.title_check",
            person=q.person,
            title=q.title,
            place=q.place or "not stated",
            date=f"{long_date(q.on)} ({q.on.isoformat()})",
        )
        try:
            return self.llm.parse(TitleAnswer, prompt)
        except StructuredOutputError as exc:
            # One unanswerable question must not sink a batch; unanswered means no finding.
            log.warning(
                "could not check %r as %r on %s from the model's knowledge, left unchecked: %s",
                q.person,
                q.title,
                q.on,
                exc,
            )
            return None


def _askable(m: Mention) -> bool:
    """A "then-" title is true of the time the sentence describes, not of the article's date."""
    parsed = parse_title(m.title)
    return bool(m.title.strip()) and not (parsed is not None and parsed.historical)


def _model_findings(
    group: EventGroup,
    asked: Sequence[tuple[Mention, TitleQuestion]],
    model: ModelTitleCheck,
) -> list[Finding]:
    """One low finding per article, person and title the model says was wrong on the date."""
    wrong: dict[tuple[str, str, TitleQuestion], list[Mention]] = defaultdict(list)
    reasons: dict[TitleQuestion, str] = {}
    for m, question in asked:
        answer = model.ask(question)
        if answer is None or answer.answer != "no":
            continue
        wrong[(m.claim.article_id, m.person.key, question)].append(m)
        reasons[question] = answer.reason.strip().rstrip(".")
    articles = group.articles
    findings = []
    for key in sorted(wrong, key=str):
        article_id, _, question = key
        found = wrong[key]
        person = found[0].person.name
        titles = join_sources(sorted({f"“{m.title}”" for m in found}))
        day = long_date(question.on)
        reason = f": {reasons[question]}" if reasons[question] else ""
        findings.append(
            policy_finding(
                Situation.TITLE_FROM_MODEL_KNOWLEDGE,
                explanation=(
                    f"{source_name(articles[article_id])} calls {person} {titles}, but the "
                    f"language model says that title was wrong on {day}{reason}. This rests "
                    "only on the model's own knowledge, not on the office-holder list or other "
                    "sources, and may be mistaken or out of date; verify it before changing "
                    "the copy."
                ),
                claims=[m.claim for m in found],
                event_id=group.event.id,
                subject=person,
                wording={"person": person, "day": day},
                checked_as_of=question.on,
            )
        )
    return findings
