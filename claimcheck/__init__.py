"""claimcheck: catch factual errors in news copy before it is published.

Example::

    from claimcheck import LLM, check, make_backend, read_articles

    with LLM(make_backend()) as llm:
        report = check(read_articles(["copy/"]), llm=llm, concurrency=4)
    for finding in report.findings:
        print(finding.severity.value, finding.explanation)

Note: ``claimcheck.extract`` is the batch entry point :func:`claimcheck.pipeline.extract`;
the extraction stage itself is imported with ``from claimcheck.extract import extract_claims``.
"""

from __future__ import annotations

from claimcheck.backends import EmbeddedBackend, FakeBackend, OpenAIBackend, make_backend
from claimcheck.cache import ResponseCache
from claimcheck.crosscheck import cross_check
from claimcheck.errors import (
    BackendError,
    BackendUnavailable,
    ClaimcheckError,
    ConfigError,
    InputError,
    KnowledgeError,
    ModelFileError,
    PromptError,
    StructuredOutputError,
    TransientError,
)
from claimcheck.extract import extract_claims
from claimcheck.ingest import Ingested, parse_article, read_articles, read_sources
from claimcheck.knowledge import KnowledgeBase, Tenure, TitleVerdict, Verdict, check_title
from claimcheck.llm import LLM, Backend, Completion, CompletionRequest, Sampling
from claimcheck.models import (
    Article,
    ArticleClaims,
    ArticleError,
    Claim,
    Event,
    EventFactClaim,
    EventInfo,
    Evidence,
    Finding,
    FindingKind,
    QuantityClaim,
    QuoteClaim,
    Report,
    RoleClaim,
    Severity,
    Span,
    Usage,
)
from claimcheck.pipeline import (
    ProgressEvent,
    acheck,
    aextract,
    check,
    compare,
    extract,
    verify,
)

__version__ = "0.1.0"

__all__ = [
    "LLM",
    "Article",
    "ArticleClaims",
    "ArticleError",
    "Backend",
    "BackendError",
    "BackendUnavailable",
    "Claim",
    "ClaimcheckError",
    "Completion",
    "CompletionRequest",
    "ConfigError",
    "EmbeddedBackend",
    "Event",
    "EventFactClaim",
    "EventInfo",
    "Evidence",
    "FakeBackend",
    "Finding",
    "FindingKind",
    "Ingested",
    "InputError",
    "KnowledgeBase",
    "KnowledgeError",
    "ModelFileError",
    "OpenAIBackend",
    "ProgressEvent",
    "PromptError",
    "QuantityClaim",
    "QuoteClaim",
    "Report",
    "ResponseCache",
    "RoleClaim",
    "Sampling",
    "Severity",
    "Span",
    "StructuredOutputError",
    "Tenure",
    "TitleVerdict",
    "TransientError",
    "Usage",
    "Verdict",
    "__version__",
    "acheck",
    "aextract",
    "check",
    "check_title",
    "compare",
    "cross_check",
    "extract",
    "extract_claims",
    "make_backend",
    "parse_article",
    "read_articles",
    "read_sources",
    "verify",
]
