"""The one error tree of claimcheck.

    ClaimcheckError
    ├── ConfigError            bad option, setting or environment variable
    ├── InputError             an article that cannot be read (binary, empty, too big, bad JSON)
    ├── PromptError            a template missing, malformed or rendered with wrong variables
    ├── KnowledgeError         a knowledge file that cannot be read or is inconsistent
    └── BackendError           the LLM could not give an answer
        ├── BackendUnavailable the extra is not installed, the server did not start, no endpoint
        ├── ModelFileError     the GGUF file is missing or its checksum is wrong
        ├── TransientError     rate limit, 5xx or timeout that outlived its retries
        └── StructuredOutputError  the model kept answering outside the schema

Every message says what went wrong and what to do about it. The CLI maps ``InputError``
and ``ConfigError`` to exit code 2 and ``BackendError`` to exit code 3.
"""

from __future__ import annotations

from claimcheck.llm.redact import redact


class ClaimcheckError(Exception):
    """Base class of every error claimcheck raises on purpose.

    Its message is redacted when the error is made (:func:`claimcheck.llm.redact.redact`), so a
    key echoed back by a server never reaches a log, a progress line or a report through it.
    """

    def __init__(self, *args: object) -> None:
        super().__init__(*(redact(a) if isinstance(a, str) else a for a in args))


class ConfigError(ClaimcheckError):
    """An option, setting or environment variable has a value claimcheck cannot use."""


class InputError(ClaimcheckError):
    """An input article cannot be read or is not text."""


class PromptError(ClaimcheckError):
    """A prompt template is missing, malformed, or rendered with the wrong variables."""


class KnowledgeError(ClaimcheckError):
    """A knowledge file cannot be read, or contradicts itself."""


class BackendError(ClaimcheckError):
    """The LLM backend could not produce an answer."""


class BackendUnavailable(BackendError):
    """The backend cannot be used here: extra not installed, server down, no endpoint."""


class ModelFileError(BackendError):
    """The local model file is missing, incomplete, or fails its checksum."""


class TransientError(BackendError):
    """A retryable failure (rate limit, server error, timeout) that outlived every retry."""


class RequestRejected(BackendError):
    """The endpoint refused one request as malformed or too large (400, 413, 422).

    It concerns that request, not the endpoint: the question it carried goes unanswered (and
    counts against the article's run health), the other questions are still asked.
    """


class StructuredOutputError(BackendError):
    """The model's answers did not fit the requested schema, even after re-asking."""
