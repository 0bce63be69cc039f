"""The HTTP side of the review page (Starlette): one page, a small JSON API.

| route | what |
|---|---|
| ``GET /`` | the page (static HTML, inline script, nothing loaded from outside) |
| ``GET /api/config`` | whether a folder is open, the baseline file's name |
| ``GET /api/files`` | the article files under ``--root`` (relative paths) |
| ``POST /api/jobs`` | start a check: pasted texts, or file paths under ``--root`` |
| ``GET /api/jobs/latest``, ``GET /api/jobs/{id}`` | progress, then the report |
| ``POST /api/jobs/{id}/review`` | accept or dismiss a finding, with a reason |

Safety: only JSON bodies are accepted (a page on another site cannot send one without a
CORS preflight, which is never granted), the Host header must be the one served (no DNS
rebinding), request bodies are capped while they stream in, a path is only read when it
resolves inside ``--root`` and is not hidden, and what reaches the page is the report and
redacted error messages, never a key or the endpoint's URL. Without a token only this
machine is served (a request from another address is refused whatever its Host header);
with a token (``claimcheck serve --token``, required to listen beyond loopback) every
request must carry it, as ``Authorization: Bearer``, or the cookie set when the page is
opened with ``?token=``. No response may be framed by another page.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from claimcheck.errors import ClaimcheckError, InputError
from claimcheck.ingest import MAX_ARTICLE_BYTES, SUFFIXES, parse_article, read_sources
from claimcheck.llm.redact import hide_endpoints
from claimcheck.models import Article, ArticleError
from claimcheck.web.jobs import JobBoard, Settings

# A draft and its sources in one request; past that, split the check.
MAX_ARTICLES = 100
MAX_BODY_BYTES = 8 * MAX_ARTICLE_BYTES
MAX_NAME = 120
MAX_FILES_LISTED = 2000
TOKEN_COOKIE = "claimcheck_token"

Handler = Callable[[Request], Awaitable[Response]]


def _page() -> str:
    return resources.files("claimcheck.web").joinpath("page.html").read_text(encoding="utf-8")


def _error(message: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": hide_endpoints(message)}, status_code=status)


def _guarded(handler: Handler) -> Handler:
    """Turn claimcheck errors into a 400 with the message the CLI would print."""

    async def run(request: Request) -> Response:
        try:
            return await handler(request)
        except ClaimcheckError as exc:
            return _error(str(exc))
        except (ValueError, RecursionError) as exc:  # bad input that slipped past the checks
            return _error(f"cannot read the request ({type(exc).__name__}); check its text")

    return run


async def _json_body(request: Request) -> dict[str, Any]:
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise InputError("send the request as application/json")
    too_big = f"the request is over {MAX_BODY_BYTES:,} bytes; check fewer articles"
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise InputError(too_big)
    # Counted while it streams in: a chunked upload declares no length.
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise InputError(too_big)
        chunks.append(chunk)
    raw = b"".join(chunks)
    try:
        data = await run_in_threadpool(json.loads, raw)  # megabytes: off the event loop
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"the request is not JSON: {exc}") from exc
    except RecursionError:
        raise InputError("the request nests too deeply to be an article check") from None
    if not isinstance(data, dict):
        raise InputError("the request must be a JSON object")
    return data


def inside_root(root: Path, relative: str) -> Path:
    """``root/relative`` when it is an article file inside ``root``; an InputError otherwise.

    The path is resolved first, so ``..`` and symbolic links that lead outside are refused.
    """
    if "\x00" in relative or any(0xD800 <= ord(c) <= 0xDFFF for c in relative):
        raise InputError("a path with a NUL or an invalid character is not in the open folder")
    base = root.resolve()
    target = (base / relative).resolve()
    if not target.is_relative_to(base) or target == base:
        raise InputError(f"{relative} is outside the open folder")
    if any(part.startswith(".") for part in target.relative_to(base).parts) or any(
        part.startswith(".") and part not in (".", "..") for part in Path(relative).parts
    ):
        raise InputError(f"{relative} is hidden; hidden files are not served from the open folder")
    if not target.is_file():
        raise InputError(f"{relative} is not a file in the open folder")
    if target.suffix.lower() not in SUFFIXES:
        raise InputError(f"{relative} is not an article file ({', '.join(SUFFIXES)})")
    return target


def list_files(root: Path) -> list[str]:
    """Article files under ``root``, relative, sorted; hidden files and folders left out."""
    base = root.resolve()
    found = []
    for path in sorted(base.rglob("*")):
        rel = path.relative_to(base)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if (
            path.suffix.lower() in SUFFIXES
            and path.is_file()
            and path.resolve().is_relative_to(base)
        ):
            found.append(rel.as_posix())
            if len(found) >= MAX_FILES_LISTED:
                break
    return found


def _pasted(entry: Any, where: str) -> Article:
    if not isinstance(entry, dict) or not isinstance(entry.get("text"), str):
        raise InputError(f"{where}: give a text")
    name = str(entry.get("name") or "").strip()
    if not name or len(name) > MAX_NAME or any(c in name for c in "/\\\x00"):
        raise InputError(f"{where}: give a short name without slashes (it names the article)")
    return parse_article(entry["text"], article_id=name, source=name)


def _from_root(
    root: Path | None, relative: Any, where: str
) -> tuple[list[Article], list[ArticleError]]:
    if root is None:
        raise InputError("no folder is open; start the page with --root DIR to check files")
    if not isinstance(relative, str):
        raise InputError(f"{where}: give a path")
    batch = read_sources([inside_root(root, relative)])
    return list(batch.articles), list(batch.errors)


def _read_request(
    root: Path | None, data: dict[str, Any]
) -> tuple[Article, list[Article], list[ArticleError]]:
    """The draft, the sources and the inputs set aside, of a check request."""
    skipped: list[ArticleError] = []
    if "draft_path" in data:
        drafts, errors = _from_root(root, data["draft_path"], "draft")
        if errors or len(drafts) != 1:
            why = errors[0].message if errors else f"it holds {len(drafts)} articles"
            raise InputError(f"cannot check {data['draft_path']} as the draft: {why}")
        draft = drafts[0]
    else:
        draft = _pasted(data.get("draft"), "draft")
    sources: list[Article] = []
    for n, entry in enumerate(data.get("sources") or [], 1):
        sources.append(_pasted(entry, f"source {n}"))
    for path in data.get("source_paths") or []:
        found, errors = _from_root(root, path, "source")
        sources += found
        skipped += errors
    return draft, sources, skipped


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or ``localhost``) names this machine only."""
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class _Gate:
    """Who may talk to the page, and the headers every answer carries.

    With a token, every request must carry it (header, cookie, or ``?token=``, which sets
    the cookie); without one, only requests from this machine's own addresses are served,
    whatever their Host header says. No answer may be framed.
    """

    def __init__(self, app: ASGIApp, *, token: str | None) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        given = self._given(request)
        refusal = self._refusal(request, given)
        if refusal is not None:
            response = JSONResponse({"error": refusal}, status_code=401)
            response.headers.update(_NO_FRAMES)
            await response(scope, receive, send)
            return
        remember = self.token is not None and request.query_params.get("token") == given

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in _NO_FRAMES.items():
                    if name not in headers:
                        headers[name] = value
                if remember:
                    headers.append(
                        "set-cookie",
                        f"{TOKEN_COOKIE}={self.token}; HttpOnly; SameSite=Strict; Path=/",
                    )
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _given(self, request: Request) -> str | None:
        auth = request.headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            return auth[7:].strip()
        return request.cookies.get(TOKEN_COOKIE) or request.query_params.get("token")

    def _refusal(self, request: Request, given: str | None) -> str | None:
        if self.token is not None:
            if given is not None and hmac.compare_digest(given.encode(), self.token.encode()):
                return None
            return (
                "this page needs its token: open the address claimcheck serve printed "
                "(with ?token=), or send Authorization: Bearer <token>"
            )
        client = request.client.host if request.client is not None else ""
        if is_loopback(client):
            return None
        return (
            "this page answers only on the machine it runs on; to open it from another, "
            "start it with --token (and --host)"
        )


def create_app(
    settings: Settings, *, allowed_hosts: tuple[str, ...] = (), token: str | None = None
) -> Starlette:
    """The review page's application; ``uvicorn.run(create_app(...))`` serves it.

    ``allowed_hosts`` are the Host header values accepted besides 127.0.0.1 and localhost
    (any, with a ``token``: the token, not the name, is what lets a request in). Without a
    ``token`` only requests from a loopback address are served.

    Example::

        app = create_app(Settings(baseline_file=Path("reviewed.json"),
                                  backend_factory=make_backend))
    """
    board = JobBoard(settings)

    async def page(request: Request) -> Response:
        return HTMLResponse(_page(), headers={"Content-Security-Policy": _CSP})

    async def config(request: Request) -> Response:
        return JSONResponse(
            {"root": settings.root is not None, "baseline_file": settings.baseline_file.name}
        )

    async def files(request: Request) -> Response:
        if settings.root is None:
            return JSONResponse({"files": []})
        reviews = settings.baseline_file.resolve()
        listed = [f for f in list_files(settings.root) if (settings.root / f).resolve() != reviews]
        return JSONResponse({"files": listed})

    async def start(request: Request) -> Response:
        data = await _json_body(request)
        pasted, paths = data.get("sources") or [], data.get("source_paths") or []
        if not isinstance(pasted, list) or not isinstance(paths, list):
            raise InputError("sources and source_paths must be lists")
        if len(pasted) + len(paths) + 1 > MAX_ARTICLES:  # before any of them is parsed
            raise InputError(f"at most {MAX_ARTICLES} articles in one check; split it")
        # Parsing (HTML, YAML, language detection) takes CPU: off the event loop, so the
        # page keeps answering while a big request is read.
        draft, sources, skipped = await run_in_threadpool(_read_request, settings.root, data)
        if not sources:
            raise InputError("give at least one source to check the draft against")
        if len(sources) + 1 > MAX_ARTICLES:
            raise InputError(f"at most {MAX_ARTICLES} articles in one check; split it")
        job, _ = board.start(draft, sources, skipped=skipped)
        return JSONResponse(board.view(job), status_code=202)

    async def latest(request: Request) -> Response:
        job = board.latest()
        return JSONResponse(board.view(job) if job else None)

    async def status(request: Request) -> Response:
        job = board.get(request.path_params["job_id"])
        if job is None:
            return _error("no such check (the server may have been restarted); run it again", 404)
        return JSONResponse(board.view(job))

    async def review(request: Request) -> Response:
        data = await _json_body(request)
        decision = data.get("decision")
        if decision not in ("accepted", "dismissed"):
            raise InputError("decision must be accepted or dismissed")
        by = data.get("by")
        job = board.review(
            request.path_params["job_id"],
            str(data.get("finding_id", "")),
            decision="accepted" if decision == "accepted" else "dismissed",
            reason=str(data.get("reason") or ""),
            by=str(by)[:MAX_NAME] if by else None,
        )
        return JSONResponse(board.view(job))

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        board.close()

    hosts = ["127.0.0.1", "localhost", *allowed_hosts]
    app = Starlette(
        routes=[
            Route("/", page),
            Route("/api/config", config),
            Route("/api/files", files),
            Route("/api/jobs", _guarded(start), methods=["POST"]),
            Route("/api/jobs/latest", latest),
            Route("/api/jobs/{job_id}", status),
            Route("/api/jobs/{job_id}/review", _guarded(review), methods=["POST"]),
        ],
        middleware=[
            Middleware(_Gate, token=token),
            Middleware(TrustedHostMiddleware, allowed_hosts=["*"] if token else hosts),
        ],
        lifespan=lifespan,
    )
    app.state.board = board
    return app


# The page runs only its own inline script and talks only to this server.
_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
# No page of another site may frame these answers (the review buttons could be clicked
# through a decoy): both the old header and the CSP directive.
_NO_FRAMES = {
    "x-frame-options": "DENY",
    "content-security-policy": "frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
}

__all__ = [
    "MAX_ARTICLES",
    "MAX_BODY_BYTES",
    "TOKEN_COOKIE",
    "create_app",
    "inside_root",
    "is_loopback",
    "list_files",
]
