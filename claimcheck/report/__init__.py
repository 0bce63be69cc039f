"""Renderers of a :class:`~claimcheck.models.Report`: terminal, JSON, Markdown and HTML.

Each renderer is a pure function from a report to text; choosing a format and where the text
goes is the CLI's job.

Example::

    from claimcheck.report import render
    print(render(report, "markdown"))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from claimcheck.errors import ConfigError
from claimcheck.models import Report
from claimcheck.report.html import render_html
from claimcheck.report.json_report import render_json
from claimcheck.report.markdown import render_markdown
from claimcheck.report.terminal import render_terminal

Format = Literal["terminal", "json", "markdown", "html"]

FORMATS: tuple[Format, ...] = ("terminal", "json", "markdown", "html")

_RENDERERS: dict[str, Callable[[Report], str]] = {
    "terminal": render_terminal,
    "json": render_json,
    "markdown": render_markdown,
    "html": render_html,
}


def render(report: Report, fmt: str) -> str:
    """The report as text in format ``fmt`` (one of :data:`FORMATS`)."""
    try:
        renderer = _RENDERERS[fmt]
    except KeyError:
        raise ConfigError(
            f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}"
        ) from None
    return renderer(report)


__all__ = [
    "FORMATS",
    "Format",
    "render",
    "render_html",
    "render_json",
    "render_markdown",
    "render_terminal",
]
