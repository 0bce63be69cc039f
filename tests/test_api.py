"""The public API: what ``import claimcheck`` offers is pinned here, so a change is deliberate."""

from __future__ import annotations

import inspect

import pytest

import claimcheck
from claimcheck import pipeline
from claimcheck.options import RunKeywords

PUBLIC = [
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


def isort_key(name: str) -> tuple[int, str]:
    """The order ruff's RUF022 keeps: CONSTANTS, then Classes, then functions."""
    if name.isupper():
        return (0, name)
    return (1, name) if name[0].isupper() else (2, name)


def test_public_api_is_pinned_and_sorted() -> None:
    assert claimcheck.__all__ == PUBLIC
    assert sorted(PUBLIC, key=isort_key) == PUBLIC


def test_every_public_name_exists_and_is_documented() -> None:
    for name in PUBLIC:
        value = getattr(claimcheck, name)
        if name == "__version__":
            assert isinstance(value, str) and value
            continue
        if name == "Claim":  # a typing alias (discriminated union), not a class
            continue
        assert inspect.getdoc(value), f"claimcheck.{name} has no docstring"


def test_entry_points_carry_an_example_and_keyword_only_options() -> None:
    for name in ("check", "acheck", "extract", "compare", "verify"):
        function = getattr(claimcheck, name)
        assert "Example::" in (function.__doc__ or ""), name
        params = list(inspect.signature(function).parameters.values())
        positional = [
            p
            for p in params
            if p.kind not in (inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.VAR_KEYWORD)
        ]
        assert len(positional) <= 2, f"{name}: options must be keyword-only"
        # Keywords beyond the signature are only the run's options, typed once
        # (RunKeywords, the fields of CheckOptions): a misspelt one is refused.
        for p in params:
            if p.kind is inspect.Parameter.VAR_KEYWORD:
                assert "RunKeywords" in str(p.annotation), name
    with pytest.raises(TypeError, match="concurency"):
        claimcheck.compare([], concurency=2)  # type: ignore[call-arg]
    assert set(RunKeywords.__annotations__) == set(claimcheck.CheckOptions.__dataclass_fields__)


def test_the_batch_extract_shadows_the_stage_package_safely() -> None:
    """``claimcheck.extract`` is the batch entry point even after the stage is imported."""
    from claimcheck.extract import extract_claims

    assert claimcheck.extract is pipeline.extract
    assert callable(extract_claims)


def test_acheck_is_a_coroutine_function() -> None:
    assert inspect.iscoroutinefunction(claimcheck.acheck)
    assert inspect.iscoroutinefunction(claimcheck.aextract)
    assert not inspect.iscoroutinefunction(claimcheck.check)
