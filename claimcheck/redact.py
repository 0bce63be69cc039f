"""One redaction function for every text that leaves claimcheck: errors, logs, progress
lines and reports.

Secrets are known two ways. Values are registered when a backend is built (the API key, the
user and password written into a base URL, and the base64 forms a server may echo back in a
``Basic`` header); values of environment variables whose names end in ``KEY``, ``TOKEN``,
``SECRET`` or ``PASSWORD`` are registered on first use. Patterns catch what was never
registered: an ``Authorization`` header value, a ``Bearer`` token, ``api-key=...`` in a query
string, ``user:password@`` in a URL, and strings shaped like common API keys.

Example::

    register_secret("sk-abc123456789")
    redact("401: bad key sk-abc123456789")   # '401: bad key ***'
"""

from __future__ import annotations

import base64
import os
import re
import threading
from urllib.parse import unquote, urlsplit

MASK = "***"
_MIN_SECRET = 6
_ENV_SUFFIXES = ("KEY", "TOKEN", "SECRET", "PASSWORD")

_lock = threading.Lock()
_secrets: set[str] = set()
_env_read = False

_PATTERNS = (
    # Header values echoed in an error body: "Authorization: Bearer x", "'authorization': 'x'"
    re.compile(
        r"""(?i)(["']?(?:authorization|proxy-authorization|x-api-key|api-key|cookie)["']?"""
        r"""\s*[:=]\s*["']?)((?:(?:bearer|basic|token)\s+)?[^"'\s,;}&]+)"""
    ),
    re.compile(r"(?i)(\bbearer\s+)([A-Za-z0-9._~+/=-]{6,})"),
    re.compile(r"(?i)(\bbasic\s+)([A-Za-z0-9+/=]{6,})"),
    re.compile(r"(?i)([?&](?:api[-_]?key|key|token|access_token)=)([^&\s\"']+)"),
    re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://)([^/\s:@]+:[^/\s@]+)(@)"),
    re.compile(r"()\b((?:sk|pk|rk)-[A-Za-z0-9_-]{16,})"),
)


def register_secret(value: str | None) -> None:
    """Remember a secret value (and its URL-decoded form) so that it is always masked."""
    if not value or len(value) < _MIN_SECRET:
        return
    with _lock:
        _secrets.add(value)
        decoded = unquote(value)
        if decoded != value and len(decoded) >= _MIN_SECRET:
            _secrets.add(decoded)


def register_url_credentials(url: str | None) -> None:
    """Register the user and password of ``scheme://user:password@host`` and the base64 of
    ``user:password`` (what an HTTP client sends, and a server may echo, as Basic auth)."""
    if not url:
        return
    parts = urlsplit(url)
    user, password = parts.username, parts.password
    for value in (user, password):
        register_secret(unquote(value) if value else None)
    if user is not None:
        pair = f"{unquote(user)}:{unquote(password or '')}"
        register_secret(base64.b64encode(pair.encode("utf-8")).decode("ascii"))
        register_secret(pair)


def _register_environment() -> None:
    global _env_read
    if _env_read:
        return
    _env_read = True
    for name, value in os.environ.items():
        if name.upper().endswith(_ENV_SUFFIXES):
            register_secret(value)


def _mask(match: re.Match[str]) -> str:
    tail = match.group(3) if match.lastindex == 3 else ""
    return match.group(1) + MASK + tail


def redact(text: str) -> str:
    """``text`` with every registered secret and every secret-shaped value masked."""
    if not text:
        return text
    _register_environment()
    with _lock:
        known = sorted(_secrets, key=len, reverse=True)
    for secret in known:
        if secret in text:
            text = text.replace(secret, MASK)
    for pattern in _PATTERNS:
        text = pattern.sub(_mask, text)
    return text


__all__ = ["MASK", "redact", "register_secret", "register_url_credentials"]
