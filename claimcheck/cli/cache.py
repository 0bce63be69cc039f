"""``claimcheck cache``: where the response cache is, what it holds, and clearing it."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from claimcheck.cli.app import main

if TYPE_CHECKING:
    pass


# --------------------------------------------------------------------------- cache


@main.group()
def cache() -> None:
    """Inspect or clear the response cache (CLAIMCHECK_CACHE_DIR)."""


@cache.command("info")
def cache_info() -> None:
    """Show where the cache is, how many answers it holds and its size."""
    from claimcheck.llm.cache import ResponseCache, cache_disabled_by_env, derived_cache_dir

    store = ResponseCache()
    derived = ResponseCache(derived_cache_dir())
    try:
        click.echo(f"directory: {store.directory}")
        click.echo(f"entries:   {len(store)}")
        click.echo(f"size:      {store.volume()} bytes")
        click.echo(
            f"derived:   {len(derived)} languages and lede entities of articles, "
            f"{derived.volume()} bytes, in {derived.directory}"
        )
        if cache_disabled_by_env():
            click.echo("note:      CLAIMCHECK_NO_CACHE is set, runs do not use it")
    finally:
        store.close()
        derived.close()


@cache.command("clear")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
def cache_clear(yes: bool) -> None:
    """Delete every cached answer (the next run asks the model again), and the languages
    and lede entities kept of articles."""
    from claimcheck.llm.cache import ResponseCache, default_cache_dir, derived_cache_dir

    directory = default_cache_dir()
    if not yes and sys.stdin.isatty():
        click.confirm(f"Delete every cached answer in {directory}?", abort=True, err=True)
    store = ResponseCache(directory)
    derived = ResponseCache(derived_cache_dir())
    try:
        removed = store.clear()
        kept = derived.clear()
    finally:
        store.close()
        derived.close()
    click.echo(f"removed {removed} cached answers from {directory}")
    click.echo(f"removed {kept} languages and lede entities from {derived.directory}")
