"""One redaction function for every text that leaves claimcheck: errors, logs, progress
lines and reports.

Secrets are known two ways. Values are registered when a backend is built (the API key, the
user and password written into a base URL, and the base64 forms a server may echo back in a
``Basic`` header); values of environment variables whose names end in ``KEY``, ``TOKEN``,
``SECRET`` or ``PASSWORD`` are registered on first use. Patterns catch what was never
registered: an ``Authorization`` header value, a ``Bearer`` token, ``api-key=...`` in a query
string, ``user:password@`` in a URL (with or without a scheme), and strings shaped like
common API keys.

A key or password shorter than six characters (``EMPTY``, ``abc12``) is still masked, from
three characters, but only where it stands alone as a word, so that masking it does not eat
into other words; values read from the environment must be six characters or more.

:func:`hide_endpoints` goes further for text shown to someone who is not the operator (the
review page): every URL and registered endpoint address becomes "the endpoint".

Example::

    register_secret("sk-abc123456789")
    redact("401: bad key sk-abc123456789")   # '401: bad key ***'
"""

from __future__ import annotations

import base64
import re
import threading
from urllib.parse import unquote, urlsplit

from claimcheck import settings

MASK = "***"
_MIN_SECRET = 6
# A key or password given on purpose is masked from this length (as a whole word): a
# one- or two-letter "password" is no secret, and masking "a" would eat the prose.
_MIN_SHORT_SECRET = 3
_ENV_SUFFIXES = ("KEY", "TOKEN", "SECRET", "PASSWORD")

_lock = threading.Lock()
_secrets: set[str] = set()
_short_secrets: set[str] = set()
_endpoints: set[str] = set()
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
    # The same without a scheme ("alice:pw@host:8080/v1"): user:password before a host.
    re.compile(r"(?i)(^|[\s'\"(<=])([^\s/:@'\"(<=]+:[^\s/@'\"]+)(@(?=[a-z0-9\[]))"),
    re.compile(r"()\b((?:sk|pk|rk)-[A-Za-z0-9_-]{16,})"),
)


def register_secret(value: str | None, *, short_ok: bool = False) -> None:
    """Remember a secret value (and its URL-decoded form) so that it is always masked.

    Values under six characters are ignored unless ``short_ok`` (a key or password given
    on purpose, not a variable found in the environment); they are masked as whole words.
    """
    if not value or len(value) < (_MIN_SHORT_SECRET if short_ok else _MIN_SECRET):
        return
    with _lock:
        for form in {value, unquote(value)}:
            if len(form) >= _MIN_SECRET:
                _secrets.add(form)
            elif len(form.strip()) >= _MIN_SHORT_SECRET:
                _short_secrets.add(form)


def register_url_credentials(url: str | None) -> None:
    """Register the user and password of ``scheme://user:password@host`` (or the same
    without a scheme) and the base64 of ``user:password`` (what an HTTP client sends, and a
    server may echo, as Basic auth). A URL that does not parse is read as far as it goes."""
    if not url:
        return
    if "://" not in url:
        url = "http://" + url
    try:
        parts = urlsplit(url)
        user, password = parts.username, parts.password
    except ValueError:  # "http://a:pw@[bad/v1": the user info is still before the '@'
        userinfo = url.split("://", 1)[1].split("/", 1)[0].rpartition("@")[0]
        if not userinfo:
            return
        user, _, password = userinfo.partition(":")
    # The password is a secret whatever its length; the user name only when long enough not
    # to be an ordinary word ("al", "admin").
    register_secret(unquote(user) if user else None)
    register_secret(unquote(password) if password else None, short_ok=True)
    if user is not None:
        pair = f"{unquote(user)}:{unquote(password or '')}"
        register_secret(base64.b64encode(pair.encode("utf-8")).decode("ascii"))
        register_secret(pair, short_ok=True)


def register_endpoint(url: str | None) -> None:
    """Remember an endpoint address (its public form, without user info) for
    :func:`hide_endpoints`."""
    if not url:
        return
    host = url.split("://", 1)[-1].split("/", 1)[0].rpartition("@")[2]
    with _lock:
        _endpoints.update(v for v in (url, host) if len(v) >= 4)


def _register_environment() -> None:
    global _env_read
    if _env_read:
        return
    _env_read = True
    for value in settings.values_of_names_ending(_ENV_SUFFIXES, any_case=True):
        register_secret(value)


def _mask(match: re.Match[str]) -> str:
    tail = match.group(3) if match.lastindex == 3 else ""
    return match.group(1) + MASK + tail


def redact(text: str) -> str:
    """``text`` with every registered secret and every secret-shaped value masked."""
    if not text:
        return text
    text = redact_known(text)
    for pattern in _PATTERNS:
        text = pattern.sub(_mask, text)
    return text


def redact_known(text: str, *, short: bool = True) -> str:
    """``text`` with the registered secrets masked, and nothing else: for text whose words
    matter (a model's answer kept in the cache), where a pattern could mask an innocent
    "basic income". ``short=False`` leaves the short secrets, which are ordinary words too
    ("EMPTY", "x")."""
    if not text:
        return text
    _register_environment()
    with _lock:
        known = sorted(_secrets, key=len, reverse=True)
        few = sorted(_short_secrets, key=len, reverse=True) if short else []
    for secret in known:
        if secret in text:
            text = text.replace(secret, MASK)
    for secret in few:
        if secret in text:
            text = re.sub(rf"(?<![\w-]){re.escape(secret)}(?![\w-])", MASK, text)
    return text


_URL = re.compile(r"(?i)\b[a-z][a-z0-9+.-]*://[^\s'\"<>()]+")


def hide_endpoints(text: str) -> str:
    """:func:`redact`, then every URL and registered endpoint address replaced by "the
    endpoint": for messages shown on the review page, which may be read by people who are
    not the operator."""
    text = _URL.sub("the endpoint", redact(text))
    with _lock:
        known = sorted(_endpoints, key=len, reverse=True)
    for endpoint in known:
        text = text.replace(endpoint, "the endpoint")
    return text


__all__ = [
    "MASK",
    "hide_endpoints",
    "redact",
    "redact_known",
    "register_endpoint",
    "register_secret",
    "register_url_credentials",
]
