"""LLM backends: an OpenAI-compatible endpoint, the embedded llama.cpp server, and a fake."""

from __future__ import annotations

from claimcheck.backends.fake import FakeBackend
from claimcheck.backends.openai_compat import OpenAIBackend

__all__ = ["FakeBackend", "OpenAIBackend"]
