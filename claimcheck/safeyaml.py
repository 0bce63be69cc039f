"""YAML read from users' files without the ways a small file can take a machine down.

``yaml.safe_load`` builds no arbitrary objects, but it still follows aliases: a 500-byte
"billion laughs" (each anchor a list of nine aliases of the one before) expands to gigabytes
when the result is walked or printed, and deeply nested brackets end in a RecursionError.
:func:`load` refuses both before anything is built: no alias at all (article front matter,
event files and knowledge files never need one), nesting at most :data:`MAX_DEPTH` deep,
and the text at most ``max_bytes`` long. Every refusal is a ``yaml.YAMLError`` with the
line, so callers report it like any other malformed file.

Example::

    data = load(path.read_text(encoding="utf-8"))
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.nodes import Node

#: Deeper nesting than any front matter or knowledge file needs.
MAX_DEPTH = 50


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses aliases and deep nesting while composing."""

    _depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise ComposerError(
                None,
                None,
                f"aliases (*{getattr(event, 'anchor', '')}) are not accepted here; "
                "write the value out",
                event.start_mark,
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise ComposerError(
                    None,
                    None,
                    f"nested more than {MAX_DEPTH} levels deep",
                    self.peek_event().start_mark,  # type: ignore[no-untyped-call]
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def load(text: str, *, max_bytes: int | None = None) -> Any:
    """``text`` as YAML, without aliases, nesting deeper than :data:`MAX_DEPTH`, or more
    than ``max_bytes`` of UTF-8; each refusal is a ``yaml.YAMLError``."""
    if max_bytes is not None and len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise yaml.YAMLError(f"longer than {max_bytes:,} bytes")
    try:
        return yaml.load(text, Loader=_Loader)  # a SafeLoader subclass: no arbitrary objects
    except RecursionError:
        raise yaml.YAMLError(f"nested more than {MAX_DEPTH} levels deep") from None


__all__ = ["MAX_DEPTH", "load"]
