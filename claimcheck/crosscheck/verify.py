"""Verify before accusing: each side of a figure or quote finding re-read in its own sentence.

Extraction reads every figure and quotation of an article with one question each; on real
copy some readings are wrong in ways no comparison can see (a forecast read as a count, the
dead of one town read as the national toll, a quote credited to the person named in the
previous paragraph). A finding resting on such a reading is a false alarm, so before a
figure or quote finding is reported, each claim it rests on is checked by one narrow
question about its own passage:

- a figure: "does 10,000 here state the number of people killed in this earthquake?" — no
  when it is a forecast, a part, another place or time, one person's case or a count of
  something else (a yes/no question: the small model answers a binary question best);
- a quotation: "who says these words in this passage?", chosen from the people named there.

A claim whose reading fails is dropped and the event is compared again without it, so a
finding left with one side disappears and one that mixed two measures keeps only the figures
of the measure it is about. A question the model cannot answer leaves the claim unverified:
its findings are reported at most as low. The cost is per finding, not per claim: only the
claims that some finding rests on are asked about, each once per run (and the response
cache keeps the answers across runs).

Example::

    verifier = Verifier(llm)
    outcomes = verifier.check(group, claims, people)   # claim id -> Outcome
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, create_model

from claimcheck.crosscheck.entities import People
from claimcheck.crosscheck.events import EventGroup
from claimcheck.crosscheck.findings import with_measure
from claimcheck.crosscheck.reading import passage
from claimcheck.errors import StructuredOutputError
from claimcheck.language.names import same_person
from claimcheck.language.vocabulary.events import event_vocabulary
from claimcheck.language.vocabulary.measures import OTHER
from claimcheck.llm import LLM, Sampling
from claimcheck.llm.prompts import render
from claimcheck.models import Claim, QuantityClaim, QuoteClaim

__all__ = ["Outcome", "Verifier"]

log = logging.getLogger(__name__)

# Short, greedy answers: one enum value.
_SAMPLING = Sampling(temperature=0.0, max_tokens=48, seed=0)
# What the speaker question offers when none of the named people says the words.
_NOBODY = "someone else or unclear"


class Outcome(str, Enum):
    """What re-reading one claim showed."""

    CONFIRMED = "confirmed"
    REJECTED = "rejected"
    UNVERIFIED = "unverified"  # the model could not answer; the claim stays, but weakly


class FigureReading(BaseModel):
    """The model's answer to "is this figure that count?"."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    answer: Literal["yes", "no"]


def _speaker_schema(options: list[str]) -> type[BaseModel]:
    """An answer model whose one field is constrained to the offered names."""
    choice = Enum("SpeakerOption", {f"v{i}": o for i, o in enumerate(options)}, type=str)  # type: ignore[misc]
    config = ConfigDict(extra="forbid", frozen=True)
    model: type[BaseModel] = create_model(
        "SpeakerReading", __config__=config, speaker=(choice, ...)
    )
    return model


def _reading(claim: QuantityClaim, group: EventGroup) -> str:
    """What the finding takes the figure to be, in words: "the number of people killed in
    Ternopil in this earthquake", "the revenue (USD) for the first quarter in this company
    results"."""
    counted = claim.subject if claim.measure == OTHER else with_measure(claim)
    where = f" in {claim.place}" if claim.place else ""
    when = f" for {claim.time}" if claim.time else ""
    kind = group.event.kind or "event"
    if event_vocabulary().follows_up(kind):
        # every report named only the arrest: the dead are of the event before it
        kind = "event"
    what = f"the {counted} ({claim.unit})" if claim.unit else f"the number of {counted}"
    return f"{what}{where}{when} in the {kind}"


class Verifier:
    """Asks, once per claim and run, whether a claim's reading holds in its own passage.

    One instance may serve several events checked at once (each claim belongs to one
    event, so no claim is asked about twice); the question count is kept under a lock.
    """

    def __init__(self, llm: LLM) -> None:
        self._llm = llm
        self._seen: dict[str, Outcome] = {}
        self._lock = threading.Lock()
        self.questions = 0

    def _count(self) -> None:
        with self._lock:
            self.questions += 1

    def check(
        self, group: EventGroup, claims: Iterable[Claim], people: People
    ) -> dict[str, Outcome]:
        """The outcome of every given figure or quote claim, by claim id."""
        out: dict[str, Outcome] = {}
        for claim in claims:
            if claim.id not in self._seen:
                self._seen[claim.id] = self._ask(group, claim, people)
            out[claim.id] = self._seen[claim.id]
        return out

    def _ask(self, group: EventGroup, claim: Claim, people: People) -> Outcome:
        if isinstance(claim, QuantityClaim):
            return self._figure(group, claim)
        if isinstance(claim, QuoteClaim):
            return self._speaker(group, claim, people)
        return Outcome.CONFIRMED

    def _figure(self, group: EventGroup, claim: QuantityClaim) -> Outcome:
        text = group.articles[claim.article_id].text
        prompt = render(
            "crosscheck.verify_figure",
            passage=passage(text, claim.span.start, claim.span.end),
            figure=" ".join(claim.span.text.split()),
            reading=_reading(claim, group),
        )
        self._count()
        try:
            answer = self._llm.parse(FigureReading, prompt, sampling=_SAMPLING)
        except StructuredOutputError as exc:
            log.warning("could not verify figure %s: %s", claim.id, exc)
            return Outcome.UNVERIFIED
        return Outcome.CONFIRMED if answer.answer == "yes" else Outcome.REJECTED

    def _speaker(self, group: EventGroup, claim: QuoteClaim, people: People) -> Outcome:
        if not claim.speaker:
            return Outcome.REJECTED
        text = group.articles[claim.article_id].text
        shown = passage(text, claim.span.start, claim.span.end, before=1, after=1)
        lowered = shown.lower()
        options = [claim.speaker]
        for person in people.people:
            if same_person(person.name, claim.speaker):
                continue
            named = [s for s in person.spellings if s.split()[-1].lower() in lowered]
            if named:
                options.append(named[0])
        # The credited speaker first, then the others in a fixed order.
        options = [claim.speaker, *sorted(dict.fromkeys(options[1:]))]
        if len(options) == 1:
            # Nobody else is named around the words: nothing to mistake the speaker for.
            return Outcome.CONFIRMED
        prompt = render(
            "crosscheck.verify_speaker",
            passage=shown,
            quote=" ".join(claim.quote.split()),
            speakers=", ".join(f'"{o}"' for o in [*options, _NOBODY]),
        )
        self._count()
        try:
            answer = self._llm.parse(
                _speaker_schema([*options, _NOBODY]), prompt, sampling=_SAMPLING
            )
        except StructuredOutputError as exc:
            log.warning("could not verify the speaker of %s: %s", claim.id, exc)
            return Outcome.UNVERIFIED
        chosen = str(answer.model_dump(mode="json")["speaker"])
        if chosen == _NOBODY:
            return Outcome.REJECTED
        return Outcome.CONFIRMED if same_person(chosen, claim.speaker) else Outcome.REJECTED
