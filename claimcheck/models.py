"""The data that flows between stages: articles, grounded claims, events, findings, reports.

Every model is immutable (frozen) and rejects unknown fields, so a typo in a gold file or a
drifting LLM answer fails loudly instead of being carried along silently.
"""

from __future__ import annotations

import datetime as dt
import math
from enum import Enum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from claimcheck.language.vocabulary.units import stated_step

# 1.1: ArticleError.stage may be "ingest" (an input that could not be read was skipped);
#      Report.crosscheck_usage.
# 1.2: QuantityClaim.measure is an open vocabulary id (a string); QuantityClaim.unit;
#      Usage.failed (questions without a valid answer) and Usage.failed_requests;
#      ArticleError.stage "crosscheck".
# 1.3: Report.reviewed: findings an editor has already reviewed (claimcheck.baseline).
# 1.4: Report.verification_questions: model questions that re-read the claims findings rest on.
SCHEMA_VERSION = "1.4"


class Model(BaseModel):
    """Base of all claimcheck data: frozen, strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


# --------------------------------------------------------------------------- articles


class Span(Model):
    """A verbatim slice of an article: ``article.text[start:end] == text``."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str

    @model_validator(mode="after")
    def _consistent(self) -> Span:
        if self.end < self.start:
            raise ValueError(f"span end {self.end} is before its start {self.start}")
        if len(self.text) != self.end - self.start:
            raise ValueError(
                f"span text has {len(self.text)} characters but offsets cover "
                f"{self.end - self.start}"
            )
        return self

    def matches(self, text: str) -> bool:
        """True when this span is exactly the slice of ``text`` it claims to be."""
        return text[self.start : self.end] == self.text


class Article(Model):
    """One news article as claimcheck reads it. ``text`` is what spans point into."""

    id: str = Field(min_length=1)
    text: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: dt.date | None = None

    def span(self, start: int, end: int) -> Span:
        """The span of ``text`` between two offsets."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"offsets {start}:{end} are outside article {self.id!r}")
        return Span(start=start, end=end, text=self.text[start:end])


# --------------------------------------------------------------------------- claims


class Qualifier(str, Enum):
    """How a figure is hedged; each maps to an interval around the stated value."""

    EXACT = "exact"
    AT_LEAST = "at_least"
    MORE_THAN = "more_than"
    ABOUT = "about"
    UP_TO = "up_to"
    AT_MOST = "at_most"
    FEWER_THAN = "fewer_than"
    NEARLY = "nearly"
    RANGE = "range"


class Measure(str, Enum):
    """Measure ids code refers to by name; the full, open set lives in the vocabulary data."""

    KILLED = "killed"
    INJURED = "injured"
    HOSPITALISED = "hospitalised"
    MISSING = "missing"
    RESCUED = "rescued"
    EVACUATED = "evacuated"
    LAUNCHED = "launched"
    INTERCEPTED = "intercepted"
    GOT_THROUGH = "got_through"
    HIT = "hit"
    DAMAGED = "damaged"
    DESTROYED = "destroyed"
    WITHOUT_POWER = "without_power"
    OTHER = "other"


class Scope(str, Enum):
    """The geographic reach of a figure: a city count and a national count differ."""

    CITY = "city"
    REGION = "region"
    COUNTRY = "country"
    ABROAD = "abroad"
    UNKNOWN = "unknown"


class RoleModifier(str, Enum):
    """A modifier that changes what a title asserts about its holder."""

    NONE = "none"
    FORMER = "former"
    ACTING = "acting"
    ELECT = "elect"


class ClaimBase(Model):
    """Fields shared by every claim: where it comes from, verbatim."""

    id: str = Field(min_length=1, description="unique within a run, e.g. 'a1:q3'")
    article_id: str = Field(min_length=1)
    span: Span


class QuantityClaim(ClaimBase):
    """A counted figure: '*at least 23 people* were injured', '*£4.2bn* in revenue'."""

    type: Literal["quantity"] = "quantity"
    value: float = Field(description="the figure as stated; for a range, its lower end")
    value_high: float | None = Field(default=None, description="upper end of a stated range")
    qualifier: Qualifier = Qualifier.EXACT
    subject: str = Field(min_length=1, description="what is counted, plural noun: 'people'")
    measure: str = Field(
        pattern=r"^[a-z][a-z0-9_]*$",
        description="what happened to what is counted: a measure id of the vocabulary "
        "('killed', 'votes', 'revenue', ...) or 'other'",
    )
    unit: str | None = Field(
        default=None,
        description="unit of the figure when it is not a plain count: 'percent', a currency "
        "code ('USD'), 'km', 'ft', 'years', 'magnitude' ...",
    )
    place: str | None = None
    scope: Scope = Scope.UNKNOWN
    time: str | None = None
    reported_by: str | None = None

    @model_validator(mode="after")
    def _range(self) -> QuantityClaim:
        if self.value_high is not None and self.value_high < self.value:
            raise ValueError("value_high is below value")
        return self

    def interval(self) -> tuple[float, float]:
        """The set of true values this claim allows, as a closed interval [low, high].

        The stated precision widens it by half the last written digit: "$95 billion" allows
        94.5-95.5 billion, "52%" 51.5-52.5; a count of people written in full stays exact.
        The precision is read from the span text, so gold and extracted claims agree.
        """
        v = self.value
        q = self.qualifier
        half = stated_step(self.span.text, v, unit=self.unit) / 2
        if q is Qualifier.RANGE:
            return (v - half, (self.value_high if self.value_high is not None else v) + half)
        if q is Qualifier.AT_LEAST:
            return (v - half, math.inf)
        # "More than", "fewer than" and "nearly" name a bound the value does not reach:
        # "nearly 50 years" and "more than 50 years" cannot both be true.
        if q is Qualifier.MORE_THAN:
            return ((math.floor(v) + 1) if half == 0 else math.nextafter(v, math.inf), math.inf)
        if q in (Qualifier.UP_TO, Qualifier.AT_MOST):
            return (0.0, v + half)
        if q is Qualifier.FEWER_THAN:
            return (0.0, (math.ceil(v) - 1) if half == 0 else math.nextafter(v, -math.inf))
        if q is Qualifier.NEARLY:
            return (math.floor(v * 0.85) if half == 0 else v * 0.85, v)
        if q is Qualifier.ABOUT:
            slack = max(1.0, round(v * 0.15)) if half == 0 else max(half, v * 0.15)
            return (max(0.0, v - slack), v + slack)
        return (v - half, v + half)


class QuoteClaim(ClaimBase):
    """Words attributed to a speaker, directly quoted or paraphrased."""

    type: Literal["quote"] = "quote"
    quote: str = Field(min_length=1)
    speaker: str | None = Field(default=None, description="the speaker as the article names them")
    speaker_title: str | None = None
    direct: bool = True


class RoleClaim(ClaimBase):
    """A person given a title or role: 'Kenya's Agriculture Minister Peter Munya'."""

    type: Literal["role"] = "role"
    person: str = Field(min_length=1)
    title: str = Field(min_length=1, description="the title as written")
    office: str | None = Field(default=None, description="normalised office: 'foreign minister'")
    jurisdiction: str | None = Field(default=None, description="country or body: 'Kenya', 'NATO'")
    modifier: RoleModifier = RoleModifier.NONE


class EventFactClaim(ClaimBase):
    """Something that happened to something: 'the airport was set ablaze'."""

    type: Literal["event_fact"] = "event_fact"
    statement: str = Field(min_length=1, description="the fact in one short sentence")
    action: str | None = None
    target: str | None = None
    place: str | None = None
    time: str | None = None


Claim = Annotated[
    QuantityClaim | QuoteClaim | RoleClaim | EventFactClaim,
    Field(discriminator="type"),
]


class DateCertainty(str, Enum):
    """Where an event date came from, from most to least reliable."""

    METADATA = "metadata"
    STATED = "stated"
    INFERRED = "inferred"
    UNKNOWN = "unknown"


class EventInfo(Model):
    """What an article reports about the event itself."""

    date: dt.date | None = None
    date_certainty: DateCertainty = DateCertainty.UNKNOWN
    place: str | None = None
    kind: str | None = Field(
        default=None, description="e.g. 'earthquake', 'plane crash', 'court verdict'"
    )


class ArticleClaims(Model):
    """The output of extraction for one article: its event and its grounded claims."""

    article: Article
    event: EventInfo = EventInfo()
    claims: tuple[Claim, ...] = ()


# --------------------------------------------------------------------------- findings


class FindingKind(str, Enum):
    """What kind of problem a finding reports."""

    CONTRADICTION = "contradiction"
    DISCREPANCY = "discrepancy"
    MISATTRIBUTION = "misattribution"
    UNCORROBORATED = "uncorroborated"
    STYLE = "style"


class Severity(str, Enum):
    """How urgently an editor should look; ordered from least to most urgent."""

    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.INFO: 0, Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3}


class Basis(str, Enum):
    """What a finding rests on."""

    CROSS_SOURCE = "cross_source"
    KNOWLEDGE = "knowledge"
    MODEL = "model"


class Evidence(Model):
    """One source's side of a finding: which article, which words, what they say."""

    article_id: str
    span: Span
    claim_id: str | None = None
    says: str | None = Field(default=None, description="what this source asserts, in brief")


class Event(Model):
    """A real-world event that one or more articles report."""

    id: str
    article_ids: tuple[str, ...]
    date: dt.date | None = None
    place: str | None = None
    kind: str | None = None
    label: str = ""


class Finding(Model):
    """One thing an editor should check, with the evidence from every source involved."""

    id: str
    kind: FindingKind
    severity: Severity
    confidence: float = Field(ge=0.0, le=1.0)
    explanation: str = Field(min_length=1)
    evidence: tuple[Evidence, ...] = Field(min_length=1)
    event_id: str | None = None
    basis: Basis = Basis.CROSS_SOURCE
    subject: str | None = Field(default=None, description="person or measure concerned")
    suggestion: str | None = None
    checked_as_of: dt.date | None = Field(
        default=None, description="date a title was checked at, for knowledge findings"
    )


# --------------------------------------------------------------------------- run summary


class Usage(Model):
    """LLM usage of a run, summed over every call."""

    calls: int = 0
    cache_hits: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    retries: int = 0
    reasks: int = 0
    seconds: float = 0.0
    failed: int = Field(default=0, description="questions that got no valid answer")
    failed_requests: int = Field(default=0, description="requests the endpoint never answered")

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            calls=self.calls + other.calls,
            cache_hits=self.cache_hits + other.cache_hits,
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            retries=self.retries + other.retries,
            reasks=self.reasks + other.reasks,
            seconds=self.seconds + other.seconds,
            failed=self.failed + other.failed,
            failed_requests=self.failed_requests + other.failed_requests,
        )

    def __sub__(self, earlier: Usage) -> Usage:
        """What was used since ``earlier``, a snapshot of the same running total."""
        return Usage(
            calls=self.calls - earlier.calls,
            cache_hits=self.cache_hits - earlier.cache_hits,
            prompt_tokens=self.prompt_tokens - earlier.prompt_tokens,
            completion_tokens=self.completion_tokens - earlier.completion_tokens,
            retries=self.retries - earlier.retries,
            reasks=self.reasks - earlier.reasks,
            seconds=max(0.0, self.seconds - earlier.seconds),
            failed=self.failed - earlier.failed,
            failed_requests=self.failed_requests - earlier.failed_requests,
        )


class ArticleError(Model):
    """An article the run could not process, and why; the rest of the run went on.

    ``stage`` is ``ingest`` for an input that could not be read (``article_id`` is then its
    path, or ``path:line`` for a JSONL record), ``extract`` for an article that was read
    but could not be extracted, and ``crosscheck`` (``article_id`` ``(cross-check)``) when
    questions to the model during cross-checking failed: the findings are complete except
    for what those answers would have decided.
    """

    article_id: str
    stage: Literal["ingest", "extract", "crosscheck"] = "extract"
    error: str = "error"
    message: str


class ReviewedFinding(Model):
    """A finding of this report that a baseline file records as already reviewed.

    It is still listed among the findings, but no longer counts for ``--fail-on``.
    """

    finding_id: str
    fingerprint: str
    decision: Literal["accepted", "dismissed"]
    by: str | None = None
    at: dt.datetime | None = None
    reason: str = ""


class Report(Model):
    """Everything a run found, in the shape of the versioned JSON report.

    ``errors`` names the articles that could not be checked: a report with errors is
    incomplete, and a rerun (served from the cache) asks only for what failed (a question
    the model could not answer is remembered until the cache is cleared). ``usage`` is
    the whole run's; ``crosscheck_usage`` the part of it spent cross-checking (grouping
    events, judging fact pairs, model-knowledge titles), which stays well under one call
    per claim.
    """

    schema_version: str = SCHEMA_VERSION
    articles: tuple[Article, ...] = ()
    events: tuple[Event, ...] = ()
    claims: tuple[Claim, ...] = ()
    findings: tuple[Finding, ...] = ()
    usage: Usage = Usage()
    crosscheck_usage: Usage = Usage()
    verification_questions: int = Field(
        default=0,
        ge=0,
        description="questions that re-read, each in its own passage, the figures and quotes "
        "that findings rest on (part of crosscheck_usage; 0 without a model)",
    )
    model: str | None = None
    as_of: dt.date | None = None
    errors: tuple[ArticleError, ...] = ()
    reviewed: tuple[ReviewedFinding, ...] = Field(
        default=(), description="findings a baseline file marks as reviewed (claimcheck.baseline)"
    )

    def failed_ids(self) -> frozenset[str]:
        """Ids of the articles with an error."""
        return frozenset(e.article_id for e in self.errors)

    def worst(self) -> Severity | None:
        """The highest severity among the findings, or None when there are none."""
        if not self.findings:
            return None
        return max((f.severity for f in self.findings), key=lambda s: s.rank)
