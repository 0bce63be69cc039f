"""claimcheck: catch factual errors in news copy before it is published.

Example::

    from claimcheck import check, open_llm, read_articles

    with open_llm() as llm:  # the embedded model unless an endpoint is configured
        report = check(read_articles(["copy/"]), llm=llm, concurrency=4)
    for finding in report.findings:
        print(finding.severity.value, finding.explanation)

Note: ``claimcheck.extract`` is the batch entry point :func:`claimcheck.pipeline.extract`;
the extraction stage itself is imported with ``from claimcheck.extract import extract_claims``.
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

from claimcheck import _moved
from claimcheck._lazy import lazy_exports

_moved.install()

if TYPE_CHECKING:
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
    from claimcheck.llm.backends import EmbeddedBackend, FakeBackend, OpenAIBackend, make_backend
    from claimcheck.llm.cache import ResponseCache
    from claimcheck.llm.client import LLMSettings, open_llm
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
        CheckOptions,
        ProgressEvent,
        acheck,
        aextract,
        check,
        compare,
        extract,
        verify,
    )

# Where each public name lives. They are imported on first use (PEP 562): pydantic models,
# the OpenAI SDK, spaCy and the gazetteers take seconds to load, and ``import claimcheck``
# or ``claimcheck --help`` must not wait for what they do not use.
_EXPORTS: dict[str, str] = {
    "Article": "claimcheck.models",
    "ArticleClaims": "claimcheck.models",
    "ArticleError": "claimcheck.models",
    "Backend": "claimcheck.llm",
    "BackendError": "claimcheck.errors",
    "BackendUnavailable": "claimcheck.errors",
    "CheckOptions": "claimcheck.pipeline",
    "Claim": "claimcheck.models",
    "ClaimcheckError": "claimcheck.errors",
    "Completion": "claimcheck.llm",
    "CompletionRequest": "claimcheck.llm",
    "ConfigError": "claimcheck.errors",
    "EmbeddedBackend": "claimcheck.llm.backends",
    "Event": "claimcheck.models",
    "EventFactClaim": "claimcheck.models",
    "EventInfo": "claimcheck.models",
    "Evidence": "claimcheck.models",
    "FakeBackend": "claimcheck.llm.backends",
    "Finding": "claimcheck.models",
    "FindingKind": "claimcheck.models",
    "Ingested": "claimcheck.ingest",
    "InputError": "claimcheck.errors",
    "KnowledgeBase": "claimcheck.knowledge",
    "KnowledgeError": "claimcheck.errors",
    "LLM": "claimcheck.llm",
    "LLMSettings": "claimcheck.llm.client",
    "ModelFileError": "claimcheck.errors",
    "OpenAIBackend": "claimcheck.llm.backends",
    "ProgressEvent": "claimcheck.pipeline",
    "PromptError": "claimcheck.errors",
    "QuantityClaim": "claimcheck.models",
    "QuoteClaim": "claimcheck.models",
    "Report": "claimcheck.models",
    "ResponseCache": "claimcheck.llm.cache",
    "RoleClaim": "claimcheck.models",
    "Sampling": "claimcheck.llm",
    "Severity": "claimcheck.models",
    "Span": "claimcheck.models",
    "StructuredOutputError": "claimcheck.errors",
    "Tenure": "claimcheck.knowledge",
    "TitleVerdict": "claimcheck.knowledge",
    "TransientError": "claimcheck.errors",
    "Usage": "claimcheck.models",
    "Verdict": "claimcheck.knowledge",
    "acheck": "claimcheck.pipeline",
    "aextract": "claimcheck.pipeline",
    "check": "claimcheck.pipeline",
    "check_title": "claimcheck.knowledge",
    "compare": "claimcheck.pipeline",
    "cross_check": "claimcheck.crosscheck",
    "extract": "claimcheck.pipeline",
    "extract_claims": "claimcheck.extract",
    "make_backend": "claimcheck.llm.backends",
    "open_llm": "claimcheck.llm.client",
    "parse_article": "claimcheck.ingest",
    "read_articles": "claimcheck.ingest",
    "read_sources": "claimcheck.ingest",
    "verify": "claimcheck.pipeline",
}


__getattr__, __dir__ = lazy_exports(globals(), _EXPORTS)


class _Package(types.ModuleType):
    """``claimcheck.extract`` is the batch function :func:`claimcheck.pipeline.extract`.

    Importing the subpackage of the same name sets the package attribute to the module;
    the eager imports of before ran that import first and the function then won, so the
    lazy package keeps the function the same way.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "extract" and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

__version__ = "0.1.0"

__all__ = [
    "LLM",
    "Article",
    "ArticleClaims",
    "ArticleError",
    "Backend",
    "BackendError",
    "BackendUnavailable",
    "CheckOptions",
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
    "LLMSettings",
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
    "open_llm",
    "parse_article",
    "read_articles",
    "read_sources",
    "verify",
]
