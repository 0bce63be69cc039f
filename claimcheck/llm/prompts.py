"""Prompt templates: files in ``prompts/`` with an id and a version, rendered strictly.

A template file looks like::

    ---
    id: quantity.classify
    version: 2
    variables: [context, figure]
    ---
    ## system
    You label figures in news articles...
    ## user
    {{ context }} ... {{ figure }}

``## system`` / ``## user`` / ``## assistant`` headings split the body into chat messages.
Rendering fails loudly when a declared variable is missing, when an undeclared one is passed,
or when the body uses a placeholder the header does not declare.

Values are data, never structure: :func:`neutralise` breaks, inside each value, the runs of
``<<<`` and ``>>>`` that the templates use to fence an article (so its text cannot close the
block and write a question of its own) and the special tokens of chat templates
(``<|im_start|>``, ``[INST]``, ``</s>``, ...), which a server may read as real turns. A value
with neither is inserted byte for byte, so ordinary articles render exactly as before and
their cached answers stay valid.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml

from claimcheck.errors import PromptError

Role = Literal["system", "user", "assistant"]

_PLACEHOLDER = re.compile(r"{{\s*([A-Za-z_][A-Za-z0-9_]*)\s*}}")
_HEADING = re.compile(r"^## (system|user|assistant)\s*$", re.MULTILINE)
_SUFFIX = ".prompt"


@dataclass(frozen=True)
class Message:
    """One chat message."""

    role: Role
    content: str

    def as_dict(self) -> dict[str, str]:
        return {"role": self.role, "content": self.content}


@dataclass(frozen=True)
class RenderedPrompt:
    """A template filled in: the messages to send and the identity that goes in cache keys."""

    id: str
    version: int
    sha256: str
    messages: tuple[Message, ...]


@dataclass(frozen=True)
class PromptTemplate:
    """A parsed template file."""

    id: str
    version: int
    variables: tuple[str, ...]
    sections: tuple[tuple[Role, str], ...]
    sha256: str
    path: Path

    def render(self, **values: object) -> RenderedPrompt:
        """Fill every placeholder; any missing or unexpected variable is a PromptError."""
        missing = sorted(set(self.variables) - values.keys())
        extra = sorted(values.keys() - set(self.variables))
        if missing or extra:
            parts = []
            if missing:
                parts.append(f"missing {', '.join(missing)}")
            if extra:
                parts.append(f"unexpected {', '.join(extra)}")
            raise PromptError(f"prompt {self.id!r} v{self.version}: {'; '.join(parts)}")
        text_values = {k: neutralise(str(v)) for k, v in values.items()}

        def fill(match: re.Match[str]) -> str:
            return text_values[match.group(1)]

        messages = tuple(
            Message(role=role, content=_PLACEHOLDER.sub(fill, body)) for role, body in self.sections
        )
        return RenderedPrompt(
            id=self.id, version=self.version, sha256=self.sha256, messages=messages
        )


# Special tokens of common chat templates: ChatML and its kin (<|im_start|>, <|eot_id|>,
# <|start_header_id|>, <|endoftext|>), Llama 2 ([INST], <<SYS>>), sentence markers (<s>,
# </s>), Gemma's turns and the reasoning tags of thinking models.
_SPECIAL = re.compile(
    r"<\|[^|<>\s]{1,40}\|>"
    r"|\[/?INST\]|<</?SYS>>"
    r"|</?(?:s|bos|eos|unk|pad|start_of_turn|end_of_turn|think)>",
    re.IGNORECASE,
)
_OPENING_RUN = re.compile(r"<(?=<<)")
_CLOSING_RUN = re.compile(r"(?<=>>)>")


def _break(token: re.Match[str]) -> str:
    text = token.group(0)
    return text[0] + " " + text[1:-1] + " " + text[-1]


# A line code builds around one sentence of the article (claimcheck.extract.batch): its
# delimiters are structure, kept as they are; the sentence between them is data.
_FENCED_LINE = re.compile(r"^(Sentence \[\d+\]: <<< )(.*)( >>>)$", re.MULTILINE)


def neutralise(value: str) -> str:
    """``value`` with chat-template special tokens and ``<<<`` / ``>>>`` runs broken by a
    space, except the delimiters of the sentence lines code builds (``Sentence [4]: <<< …
    >>>``), whose sentence alone is neutralised. Any other text is returned unchanged (the
    same object)."""
    if "<" not in value and ">" not in value and "[" not in value:
        return value
    if "<<< " not in value:
        return _neutral(value)
    out, at = [], 0
    for line in _FENCED_LINE.finditer(value):
        out += [_neutral(value[at : line.start()]), line.group(1)]
        out += [_neutral(line.group(2)), line.group(3)]
        at = line.end()
    out.append(_neutral(value[at:]))
    joined = "".join(out)
    return value if joined == value else joined


def _neutral(text: str) -> str:
    text = _SPECIAL.sub(_break, text)
    if "<<<" in text:
        text = _OPENING_RUN.sub("< ", text)
    if ">>>" in text:
        text = _CLOSING_RUN.sub(" >", text)
    return text


def prompts_dir() -> Path:
    """Where the templates are: inside the installed wheel, or the checkout's ``prompts/``."""
    packaged = resources.files("claimcheck") / "_prompts"
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[2] / "prompts"
    if checkout.is_dir():
        return checkout
    raise PromptError(
        "claimcheck's prompt templates were not found; reinstall the package "
        "(pip install --force-reinstall claimcheck)"
    )


def parse_template(text: str, *, path: Path) -> PromptTemplate:
    """Parse one template file's text; ``path`` is only used in error messages."""
    if not text.startswith("---\n"):
        raise PromptError(f"{path}: a template starts with a '---' header")
    try:
        header_text, body = text[4:].split("\n---\n", 1)
        header = yaml.safe_load(header_text) or {}
    except (ValueError, yaml.YAMLError) as exc:
        raise PromptError(f"{path}: unreadable header: {exc}") from exc
    if not isinstance(header, dict):
        raise PromptError(f"{path}: the header must be a mapping")
    pid, version = header.get("id"), header.get("version")
    if not isinstance(pid, str) or not isinstance(version, int):
        raise PromptError(f"{path}: the header needs a string 'id' and an integer 'version'")
    variables = tuple(header.get("variables") or ())
    used = set(_PLACEHOLDER.findall(body))
    if used != set(variables):
        raise PromptError(
            f"{path}: placeholders {sorted(used)} do not match declared variables "
            f"{sorted(variables)}"
        )
    pieces = _HEADING.split(body)
    if pieces[0].strip():
        raise PromptError(f"{path}: text before the first '## system|user|assistant' heading")
    sections: list[tuple[Role, str]] = []
    for role, content in zip(pieces[1::2], pieces[2::2], strict=True):
        sections.append((role, content.strip("\n")))  # type: ignore[arg-type]
    if not sections:
        raise PromptError(f"{path}: no messages")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return PromptTemplate(
        id=pid,
        version=version,
        variables=variables,
        sections=tuple(sections),
        sha256=digest,
        path=path,
    )


@cache
def _load_all(directory: Path) -> Mapping[str, PromptTemplate]:
    templates: dict[str, PromptTemplate] = {}
    for path in sorted(directory.glob(f"*{_SUFFIX}")):
        template = parse_template(path.read_text(encoding="utf-8"), path=path)
        if template.id in templates:
            raise PromptError(f"{path}: prompt id {template.id!r} is defined twice")
        templates[template.id] = template
    return templates


def all_templates(directory: Path | None = None) -> Mapping[str, PromptTemplate]:
    """Every template in ``directory`` (default: the shipped prompts), by id."""
    return _load_all(directory or prompts_dir())


def get_template(prompt_id: str, directory: Path | None = None) -> PromptTemplate:
    """The template with this id; a PromptError names the ones that exist."""
    templates = all_templates(directory)
    try:
        return templates[prompt_id]
    except KeyError:
        known = ", ".join(sorted(templates)) or "none"
        raise PromptError(f"no prompt template {prompt_id!r} (known: {known})") from None


def render(prompt_id: str, **values: object) -> RenderedPrompt:
    """Render a shipped template by id."""
    return get_template(prompt_id).render(**values)
