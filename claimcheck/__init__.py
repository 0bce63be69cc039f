"""claimcheck: catch factual errors in news copy before it is published."""

from __future__ import annotations

from claimcheck.backends import FakeBackend, OpenAIBackend
from claimcheck.cache import ResponseCache
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
from claimcheck.llm import LLM, Backend, Completion, CompletionRequest, Sampling
from claimcheck.models import (
    Article,
    ArticleClaims,
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

__version__ = "0.1.0"

__all__ = [
    "LLM",
    "Article",
    "ArticleClaims",
    "Backend",
    "BackendError",
    "BackendUnavailable",
    "Claim",
    "ClaimcheckError",
    "Completion",
    "CompletionRequest",
    "ConfigError",
    "Event",
    "EventFactClaim",
    "EventInfo",
    "Evidence",
    "FakeBackend",
    "Finding",
    "FindingKind",
    "InputError",
    "KnowledgeError",
    "ModelFileError",
    "OpenAIBackend",
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
    "TransientError",
    "Usage",
    "__version__",
]
