"""``claimcheck serve``: the editor's desk, a local review page (the [web] extra)."""

from __future__ import annotations

import sys
from pathlib import Path
from secrets import token_urlsafe
from typing import TYPE_CHECKING

import click

from claimcheck.cli.app import Runtime, main
from claimcheck.cli.options import _backend_options
from claimcheck.cli.running import _knowledge
from claimcheck.errors import ConfigError
from claimcheck.fileio import real_path
from claimcheck.llm.redact import register_secret
from claimcheck.settings import ENV_SERVE_TOKEN

if TYPE_CHECKING:
    pass


# --------------------------------------------------------------------------- serve

WEB_INSTALL_HINT = "pip install 'claimcheck[web]'"


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(min=1, max=65535),
    default=8765,
    show_default=True,
    help="Port to listen on.",
)
@click.option(
    "--root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder whose article files the page may open; no file outside it is read.",
)
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Baseline file the page writes reviews to (default: reviewed.json in the current "
    "directory, which must then be outside --root).",
)
@click.option(
    "--token",
    default=None,
    envvar=ENV_SERVE_TOKEN,
    show_envvar=True,
    help="Secret every request must carry (needed to listen beyond this machine; one is "
    "made up and printed when --host is not a loopback address).",
)
@_backend_options
@click.option(
    "--knowledge",
    "knowledge_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Extra knowledge file of office holders (repeatable).",
)
@click.pass_obj
def serve(
    runtime: Runtime,
    host: str,
    port: int,
    root: Path | None,
    baseline_file: Path | None,
    token: str | None,
    model: str | None,
    base_url: str | None,
    local_model: Path | None,
    no_cache: bool,
    timeout: float | None,
    retry_failed: bool,
    max_questions: int | None,
    concurrency: int,
    knowledge_files: tuple[Path, ...],
) -> None:
    """Start the editor's desk: a local page to check a draft against its sources and
    accept or dismiss findings (needs the web extra).

    \b
    Example:
      claimcheck serve --root fixtures/
      (then open http://127.0.0.1:8765/)
    """
    try:
        import uvicorn  # an optional extra: imported only by the command that needs it

        from claimcheck import web
    except ImportError as exc:
        raise ConfigError(
            f"claimcheck serve needs the web extra ({exc.name} is missing): {WEB_INSTALL_HINT}"
        ) from None
    from claimcheck import baseline as baselines

    target = baseline_file or Path("reviewed.json")
    if baseline_file is None and root is not None and _inside(target, root):
        raise ConfigError(
            f"the reviews would go to {target.resolve()}, inside --root {root}, where "
            f"`claimcheck check {root}` would read them as an article; run serve from "
            "another directory or give --baseline FILE (inside --root only if you mean it)"
        )
    baselines.read_baseline(target, missing_ok=True)  # a broken file fails now, not on a click
    if token is not None and len(token) < 16:
        raise ConfigError("--token must be at least 16 characters; leave it out to get one")
    local = web.is_loopback(host)
    if token is None and not local:
        token = token_urlsafe(24)
    if token is not None:
        register_secret(token)
    settings = web.Settings(
        baseline_file=target,
        backend_factory=runtime.backend_factory,
        root=root,
        model=model,
        base_url=base_url,
        local_model=local_model,
        no_cache=no_cache,
        retry_failed=retry_failed,
        timeout=timeout,
        max_questions=max_questions,
        concurrency=concurrency,
        knowledge=_knowledge(knowledge_files),
        extractor=runtime.extractor,
        checker=runtime.checker,
    )
    app = web.create_app(settings, allowed_hosts=(host,), token=token)
    if not local:
        click.secho(
            f"claimcheck: WARNING: listening on {host}, so other machines can reach this "
            "page: anyone with the token can read every article under --root, run checks on "
            "your model endpoint and key, and write reviews. Use --host 127.0.0.1 unless you "
            "mean it.",
            err=True,
            fg="red",
            bold=True,
        )
    # The token is printed on purpose (the operator needs it); it is never logged.
    address = f"http://{host}:{port}/" + (f"?token={token}" if token else "")
    sys.stderr.write(
        f"claimcheck: the editor's desk is at {address} (reviews go to {target}); Ctrl-C stops it\n"
    )
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _inside(path: Path, folder: Path) -> bool:
    return real_path(path).is_relative_to(real_path(folder))
