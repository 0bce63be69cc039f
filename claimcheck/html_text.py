"""What a reader sees of HTML: the visible text of a page, and Markdown with the HTML a
reader never sees (comments, hidden elements, text styled away) taken out.

Hidden text is where instructions for a model hide, so :mod:`claimcheck.ingest` reads every
article through these before the text is kept.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

# CSS that hides an element's text from a reader: not displayed, invisible, no size, fully
# transparent, moved off screen, clipped away, scaled to nothing.
_HIDING_CSS = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|content-visibility\s*:\s*hidden"
    r"|(?<![-\w])font-size\s*:\s*0(?:\.0+)?(?:[a-z%]+)?\s*(?:!important)?\s*(?:;|$)"
    r"|(?<![-\w])opacity\s*:\s*0(?:\.0+)?\s*(?:!important)?\s*(?:;|$)"
    r"|(?<![-\w])(?:max-)?(?:height|width)\s*:\s*0(?:[a-z%]+)?\s*(?:!important)?\s*(?:;|$)"
    r"|(?<![-\w])(?:left|top|text-indent)\s*:\s*-\d{3,}"
    r"|clip\s*:\s*rect\(\s*0|clip-path\s*:\s*inset\(\s*(?:50|100)%"
    r"|transform\s*:\s*scale\(\s*0\s*\)"
    r"|(?<![-\w])color\s*:\s*transparent"
)
_COLOUR = re.compile(r"(?<![-\w])color\s*:\s*([^;!]+)")
_BACKGROUND = re.compile(r"background(?:-color)?\s*:\s*([^;!]+)")
_WHITE = frozenset({"white", "#fff", "#ffffff", "rgb(255,255,255)", "hsl(0,0%,100%)"})


def _same_as_page(style: str) -> bool:
    """White text on no background (a white page) or text the colour of its background."""
    colour = _COLOUR.search(style)
    if colour is None:
        return False
    text = colour.group(1).replace(" ", "").strip()
    background = _BACKGROUND.search(style)
    if background is None:
        return text in _WHITE
    behind = background.group(1).replace(" ", "").strip()
    return behind == text or (text in _WHITE and behind in _WHITE)


def _is_hidden(attrs: list[tuple[str, str | None]], tag: str = "") -> bool:
    """Whether an element hides its text from a reader: ``hidden``, ``aria-hidden``, CSS
    that shows nothing (no display, no size, transparent, off screen, white on white), or a
    closed ``<details>`` (its text stays folded away)."""
    if tag == "details" and not any(name.lower() == "open" for name, _ in attrs):
        return True
    for name, value in attrs:
        name = name.lower()
        value = (value or "").lower()
        if name == "hidden" or (name == "aria-hidden" and value == "true"):
            return True
        if name == "style" and (_HIDING_CSS.search(value) or _same_as_page(value)):
            return True
    return False


#: Elements with no end tag: they cannot hide a subtree.
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
#: Void elements that carry no text in their attributes: kept as written.
_EMPTY_VOID = frozenset({"br", "col", "hr", "wbr"})


class _Invisible(HTMLParser):
    """Finds the character ranges of comments and hidden elements in mostly-plain text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.ranges: list[tuple[int, int]] = []
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self._text = text
        self._open: list[str] = []  # the hidden element being skipped, and nested same tags
        self._start = 0

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_comment(self, data: str) -> None:
        if not self._open:
            start = self._offset()
            self.ranges.append((start, start + len(data) + len("<!---->")))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            if not self._open and tag not in _EMPTY_VOID:
                # An <img alt="..."> (or <input value>, <meta content>) shows none of its
                # attributes' text: the tag goes, as a reader sees it.
                start = self._offset()
                raw = self.get_starttag_text() or ""
                self.ranges.append((start, start + len(raw)))
            return
        if self._open:
            if tag == self._open[0]:
                self._open.append(tag)
        elif _is_hidden(attrs, tag):
            self._open.append(tag)
            self._start = self._offset()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            self.handle_starttag(tag, attrs)  # no end tag to wait for
        else:
            super().handle_startendtag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag == self._open[0]:
            self._open.pop()
            if not self._open:
                end = self._text.find(">", self._offset()) + 1
                self.ranges.append((self._start, end or len(self._text)))

    def close(self) -> None:
        super().close()
        if self._open:  # never closed: hidden to the end, as a browser would show it
            self.ranges.append((self._start, len(self._text)))
            self._open.clear()


def drop_invisible(text: str) -> str:
    """``text`` without HTML comments, hidden elements (``hidden``, ``aria-hidden``, CSS
    that shows nothing, a closed ``<details>``) and the tags of images and other void
    elements whose attributes carry text (``<img alt>``); text with no ``<`` is returned
    as it is.

    Markdown may carry raw HTML that no reader sees; it is not the story's copy, and it is where
    an article would hide instructions for the model.
    """
    if "<" not in text:
        return text
    finder = _Invisible(text)
    finder.feed(text)
    finder.close()
    if not finder.ranges:
        return text
    kept, at = [], 0
    for start, end in sorted(finder.ranges):
        if start >= at:
            kept.append(text[at:start])
            at = end
    kept.append(text[at:])
    return "".join(kept)


class _TextExtractor(HTMLParser):
    _SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head"})
    _BLOCK = frozenset(
        {
            "p",
            "div",
            "br",
            "li",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "section",
            "article",
            "blockquote",
            "tr",
            "header",
            "footer",
            "ul",
            "ol",
            "figcaption",
            "hr",
        }
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title_parts: list[str] = []
        self._skip_depth = 0
        self._in_title = False
        self._hidden: list[str] = []  # a hidden element being skipped, and nested same tags

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._hidden:
            if tag == self._hidden[0] and tag not in _VOID:
                self._hidden.append(tag)
        elif tag not in _VOID and tag != "title" and _is_hidden(attrs, tag):
            self._hidden.append(tag)
        elif tag == "title":
            self._in_title = True
        elif tag in self._SKIP:
            self._skip_depth += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self._hidden:
            if tag == self._hidden[0]:
                self._hidden.pop()
        elif tag == "title":
            self._in_title = False
        elif tag in self._SKIP:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title_parts.append(data)
        elif not self._skip_depth and not self._hidden:
            self.parts.append(data)


def html_to_text(markup: str) -> tuple[str, str | None]:
    """Visible text of an HTML page (scripts and styles dropped) and its <title>."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    paragraphs = "\n".join(line for line in lines if line)
    title = " ".join(html.unescape("".join(parser.title_parts)).split()) or None
    return paragraphs, title


__all__ = ["drop_invisible", "html_to_text"]
