"""Read articles from files, directories, JSON/JSONL records or stdin into :class:`Article`.

The article ``text`` is the body exactly as written, minus YAML front matter or a leading
``date YYYY-MM-DD`` marker and minus what a reader never sees (HTML comments and hidden
elements written inside Markdown: a place to hide instructions for a model), with surrounding
whitespace stripped. Nothing else is rewritten, because every claim span downstream is an
offset into this text; normalisation needed for
matching (curly quotes, dashes, non-breaking spaces) happens on a copy inside extraction.

A batch of thousands of files should not be lost to one bad file, so :func:`read_sources`
sets aside each file (or JSON record) that cannot be read as an :class:`ArticleError` and
reads the rest; :func:`read_articles` is the strict form that raises on any of them.

Example::

    articles = read_articles(["news/"])          # every .txt/.md/.json/.jsonl/.html inside
    batch = read_sources(["news/"])              # the readable ones, and why the others are not
    article = parse_article("date 2025-03-18\\nRionegro ...", article_id="a1")
"""

from __future__ import annotations

import datetime as dt
import json
import re
import stat
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import yaml
from langdetect import DetectorFactory, LangDetectException, detect_langs

from claimcheck import safeyaml
from claimcheck.errors import InputError
from claimcheck.html_text import drop_invisible, html_to_text
from claimcheck.llm import memo
from claimcheck.models import Article, ArticleError

#: Articles larger than this are refused: news copy is a few KB, and a megabyte of text is
#: almost always a wrong file (a dump, a binary, a log) that would cost minutes of LLM time.
MAX_ARTICLE_BYTES = 1_000_000
#: A JSON or JSONL file holds many articles, each within MAX_ARTICLE_BYTES; the file itself
#: may be this large.
MAX_RECORDS_FILE_BYTES = 256_000_000
#: YAML front matter longer than this is not an article's header.
MAX_FRONT_MATTER_BYTES = 64_000

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
RECORD_SUFFIXES = (".json", ".jsonl")
HTML_SUFFIXES = (".html", ".htm")
SUFFIXES = TEXT_SUFFIXES + RECORD_SUFFIXES + HTML_SUFFIXES

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
# The seeds carry the publication date as a bare marker, sometimes on the same line as the
# first sentence and after a stray space.
_DATE_MARKER = re.compile(r"\A\s*date[ \t]+(\d{4}-\d{2}-\d{2})\b[ \t]*(?:\r?\n)?", re.IGNORECASE)
_HTML_SNIFF = re.compile(r"\A\s*(?:<!doctype html|<html\b|<head\b|<body\b)", re.IGNORECASE)
_META_FIELDS = ("title", "outlet", "url", "published")
_DETECTOR = DetectorFactory
# Byte-order marks of the encodings read besides UTF-8 (UTF-32 first: its LE mark starts with
# UTF-16's).
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


@dataclass(frozen=True)
class Ingested:
    """What a batch of sources gave: the readable articles, and the inputs set aside.

    Each error names the file, or the record as ``file:line`` (JSONL) or ``file[index]``
    (a JSON list), in ``article_id``, and says what is wrong and how to fix it in ``message``.
    """

    articles: tuple[Article, ...]
    errors: tuple[ArticleError, ...]


def read_sources(sources: Sequence[str | Path], *, stdin: TextIO | None = None) -> Ingested:
    """Read every article named by ``sources``, setting aside the inputs that cannot be read.

    An empty, binary, non-UTF-8, oversized or malformed file (or one bad record of a JSON or
    JSONL file) becomes an error and the others are still read. A batch that cannot be right
    raises :class:`InputError`: a source that does not exist, a directory with no supported
    files, duplicate article ids, or no readable article at all (the message lists why).

    Example::

        batch = read_sources(["copy/", "wires.jsonl"])
        for error in batch.errors:
            print(f"skipped {error.article_id}: {error.message}")
    """
    outcomes: list[Article | ArticleError] = []
    for source in sources:
        if str(source) == "-":
            outcomes.append(_read_stdin(stdin if stdin is not None else sys.stdin))
            continue
        path = Path(source)
        if _is_dir(path):
            try:
                entries = sorted(path.iterdir())
            except OSError as exc:
                outcomes.append(
                    _skipped(
                        str(path),
                        InputError(
                            f"directory cannot be read ({exc.strerror or exc}); "
                            "check its permissions"
                        ),
                    )
                )
                continue
            files = [p for p in entries if p.suffix.lower() in SUFFIXES]
            if not files:
                raise InputError(
                    f"{path}: no articles found (expected files ending in {', '.join(SUFFIXES)})"
                )
            for file in files:
                outcomes.extend(_read_entry(file))
        elif path.is_file() or _is_stream(path):
            # A stream given by name (``<(cat a.md)``, a FIFO) is read: it was asked for.
            outcomes.extend(_read_file(path))
        else:
            raise InputError(f"{path}: no such file or directory")
    articles = tuple(o for o in outcomes if isinstance(o, Article))
    errors = tuple(o for o in outcomes if isinstance(o, ArticleError))
    if not articles and errors:
        raise InputError(_failures_text(errors, lead="no article could be read"))
    seen: dict[str, int] = {}
    for article in articles:
        seen[article.id] = seen.get(article.id, 0) + 1
    duplicates = sorted(k for k, n in seen.items() if n > 1)
    if duplicates:
        raise InputError(
            f"article ids must be unique, but {', '.join(duplicates)} occur more than once; "
            "rename the files or give JSON records distinct 'id' fields"
        )
    return Ingested(articles=articles, errors=errors)


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # no search permission on a parent: read as a file, which says why
        return False


def _is_stream(path: Path) -> bool:
    """Whether ``path`` is a pipe or a character device (process substitution, a FIFO)."""
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError):
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


def _read_entry(file: Path) -> list[Article | ArticleError]:
    """One entry of a directory: read when it is a regular file, else named as skipped."""
    try:
        if file.is_file():
            return _read_file(file)
        if file.is_symlink() or not file.exists():
            # A link in a loop or to nothing: say so rather than skip it in silence.
            why = (
                "is a symbolic link that leads to no file (a broken link or a loop); fix or "
                "remove the link"
            )
        elif file.is_dir():
            return []  # directories are not read recursively
        else:
            # Reading a FIFO found in a folder could wait forever for a writer.
            why = (
                "is not a regular file (a FIFO, socket or device), so it was not read; give "
                "it by name to read it"
            )
    except OSError as exc:
        why = f"cannot be read ({exc.strerror or exc}); check the folder's permissions"
    return [_skipped(str(file), InputError(why))]


def read_articles(sources: Sequence[str | Path], *, stdin: TextIO | None = None) -> list[Article]:
    """Read every article named by ``sources`` (files, directories, ``-`` for stdin).

    Directories are read non-recursively in sorted order, taking the supported suffixes
    (.txt .md .markdown .json .jsonl .html). Article ids are file stems (or the ``id`` of a
    JSON record) and must be unique across the run. Strict: any input that cannot be read
    raises :class:`InputError`; :func:`read_sources` reads the rest instead.
    """
    batch = read_sources(sources, stdin=stdin)
    if batch.errors:
        raise InputError(_failures_text(batch.errors, lead="some inputs could not be read"))
    return list(batch.articles)


def _failures_text(errors: Sequence[ArticleError], *, lead: str) -> str:
    lines = [f"{e.article_id}: {e.message}" for e in errors]
    if len(lines) == 1:
        return lines[0]  # the reader's own message, as it was before batches were isolated
    return f"{lead} ({len(lines)} failed):\n  " + "\n  ".join(lines)


def _skipped(where: str, exc: InputError) -> ArticleError:
    """The error for an input set aside; ``where`` moves out of the message into the id."""
    message = str(exc)
    prefix = f"{where}: "
    if message.startswith(prefix):
        message = message[len(prefix) :]
    # ArticleError.stage allows only "extract" so far; ``error`` says it was the reading.
    return ArticleError(article_id=where, stage="ingest", error=type(exc).__name__, message=message)


def _read_stdin(stream: TextIO) -> Article | ArticleError:
    try:
        binary = getattr(stream, "buffer", None)
        try:
            if binary is not None:
                # The bytes, not the locale's reading of them: a C locale turns Latin-1
                # into lone surrogates that fail later, far from the cause.
                text = decode(binary.read(MAX_ARTICLE_BYTES + 1), source="<stdin>")
            else:
                text = stream.read()
        except UnicodeDecodeError as exc:
            raise InputError(
                f"<stdin>: not valid UTF-8 ({exc.reason} at offset {exc.start}); "
                "pipe UTF-8 text (e.g. through iconv -f latin1 -t utf-8)"
            ) from None
        return _parse_text_source(text, article_id="stdin", source="<stdin>")
    except InputError as exc:
        return _skipped("<stdin>", exc)


def parse_article(text: str, *, article_id: str, source: str = "<text>") -> Article:
    """One article's raw text (plain/Markdown, maybe front matter or HTML) as an Article."""
    return _parse_text_source(text, article_id=article_id, source=source)


# --------------------------------------------------------------------------- files


def _read_file(path: Path) -> list[Article | ArticleError]:
    where = str(path)
    suffix = path.suffix.lower()
    limit = MAX_RECORDS_FILE_BYTES if suffix in RECORD_SUFFIXES else MAX_ARTICLE_BYTES
    try:
        text = decode(_read_bytes(path, limit=limit), source=where, limit=limit)
        if suffix in RECORD_SUFFIXES:
            return _parse_records(
                text, source=where, default_id=path.stem, jsonl=suffix == ".jsonl"
            )
        return [
            _parse_text_source(
                text, article_id=path.stem, source=where, is_html=suffix in HTML_SUFFIXES
            )
        ]
    except InputError as exc:
        return [_skipped(where, exc)]


def _read_bytes(path: Path, *, limit: int = MAX_ARTICLE_BYTES) -> bytes:
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputError(
                f"{path}: {size:,} bytes is over the {limit:,}-byte limit for one input file; "
                "split it, or raise claimcheck.ingest.MAX_ARTICLE_BYTES "
                "(MAX_RECORDS_FILE_BYTES for JSON and JSONL) if you really mean to check it"
            )
        with path.open("rb") as handle:  # read to a bound: a pipe has no size to check first
            return handle.read(limit + 1)
    except OSError as exc:
        raise InputError(
            f"{path}: cannot be read ({exc.strerror or exc}); check that it is a readable file"
        ) from None


def decode(raw: bytes, *, source: str, limit: int = MAX_ARTICLE_BYTES) -> str:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16/32 with a BOM, UTF-16 without one
    when its zero bytes say so; binary or other encodings are refused."""
    if len(raw) > limit:
        raise InputError(
            f"{source}: over the {limit:,}-byte limit for one input; split it, or raise "
            "claimcheck.ingest.MAX_ARTICLE_BYTES"
        )
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{source}: starts with a {codec.upper()} byte-order mark but is not valid "
                    f"{codec.upper()} (offset {exc.start}); re-save it as UTF-8"
                ) from None
    nul = raw.find(b"\x00")
    utf16 = _bomless_utf16(raw) if nul >= 0 else None
    if utf16 is not None:
        try:
            text = raw.decode(utf16)
        except UnicodeDecodeError:
            text = ""
        if text and "\x00" not in text:
            return text
    if nul >= 0:
        raise InputError(
            f"{source}: contains NUL bytes at offset {nul}, so it is a binary "
            "file, not an article; give a .txt, .md, .html or .json file"
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start : exc.start + 1].hex()
        raise InputError(
            f"{source}: not valid UTF-8 (byte 0x{bad} at offset {exc.start}); "
            "re-save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)"
        ) from None


def _bomless_utf16(raw: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the zero bytes fall as UTF-16 text without a BOM puts
    them (Latin-script text: every other byte zero), else None."""
    if len(raw) < 4 or len(raw) % 2:
        return None
    even, odd = raw[0::2], raw[1::2]
    zeros_even, zeros_odd = even.count(0), odd.count(0)
    half = len(raw) // 2
    if zeros_odd > 0.6 * half and zeros_even < 0.05 * half:
        return "utf-16-le"
    if zeros_even > 0.6 * half and zeros_odd < 0.05 * half:
        return "utf-16-be"
    return None


def _parse_records(
    text: str, *, source: str, default_id: str, jsonl: bool
) -> list[Article | ArticleError]:
    """One article per record; a bad record is set aside, and the others are still read."""
    records: list[tuple[str, Any]] = []  # (where, a JSONL line still to load, or a record)
    if jsonl:
        records.extend(
            (f"{source}:{number}", line)
            for number, line in enumerate(text.splitlines(), start=1)
            if line.strip()
        )
    else:
        data = _load_json(text, source)  # one document: unreadable JSON fails the file
        items = data if isinstance(data, list) else [data]
        records.extend((f"{source}[{i}]", item) for i, item in enumerate(items))
    if not records:
        raise InputError(f"{source}: holds no article records")
    outcomes: list[Article | ArticleError] = []
    for index, (where, record) in enumerate(records):
        # Numbered over every record, bad ones too, so fixing one does not rename the others.
        fallback = default_id if len(records) == 1 else f"{default_id}-{index + 1}"
        try:
            loaded = _load_json(record, where) if jsonl else record
            outcomes.append(_record_article(loaded, where=where, fallback_id=fallback))
        except InputError as exc:
            outcomes.append(_skipped(where, exc))
    return outcomes


def _load_json(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{where}: invalid JSON at line {exc.lineno} column {exc.colno} ({exc.msg})"
        ) from None
    except RecursionError:
        raise InputError(f"{where}: the JSON nests too deeply to be an article") from None


def _record_article(record: Any, *, where: str, fallback_id: str) -> Article:
    if not isinstance(record, dict):
        raise InputError(f"{where}: an article record must be a JSON object with a 'text' field")
    body = record.get("text", record.get("body"))
    if not isinstance(body, str):
        raise InputError(f"{where}: the record has no string 'text' field")
    article_id = str(record.get("id") or fallback_id)
    base = _parse_text_source(body, article_id=article_id, source=where)
    meta = {k: record[k] for k in _META_FIELDS if record.get(k) is not None}
    return _with_meta(base, meta, source=where)


# --------------------------------------------------------------------------- text


def _parse_text_source(
    text: str, *, article_id: str, source: str, is_html: bool = False
) -> Article:
    if "\x00" in text:
        raise InputError(f"{source}: contains NUL characters, so it is binary, not an article")
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as exc:
        raise InputError(
            f"{source}: not valid Unicode (a lone surrogate at character {exc.start}, often "
            "text read in the wrong encoding); re-save it as UTF-8"
        ) from None
    if size > MAX_ARTICLE_BYTES:
        raise InputError(
            f"{source}: over the {MAX_ARTICLE_BYTES:,}-byte limit for one article; split it, "
            "or raise claimcheck.ingest.MAX_ARTICLE_BYTES"
        )
    text = text.lstrip("\ufeff")
    meta: dict[str, Any] = {}
    if is_html or _HTML_SNIFF.match(text):
        body, title = html_to_text(text)
        if title:
            meta["title"] = title
    else:
        body = text
        match = _FRONT_MATTER.match(body)
        if match:
            meta.update(_front_matter(match.group(1), source=source))
            body = body[match.end() :]
        body = drop_invisible(body)
    marker = _DATE_MARKER.match(body)
    if marker:
        meta.setdefault("published", marker.group(1))
        body = body[marker.end() :]
    body = body.strip()
    if not body:
        raise InputError(f"{source}: the article is empty (no text after the header)")
    _require_english(body, source=source)
    return _with_meta(Article(id=article_id, text=body), meta, source=source)


#: Shorter texts are not language-checked: detection on a few words is a guess.
_MIN_WORDS_FOR_LANGUAGE = 12


def _require_english(text: str, *, source: str) -> None:
    """Refuse copy in another language with a clear reason: the prompts, word lists and NLP
    pipeline are English, so such an article would give no claims and look checked."""
    if len(text.split()) < _MIN_WORDS_FOR_LANGUAGE and not _mostly_non_latin(text):
        return
    language = detect_language(text)
    if language is not None and language != "en":
        raise InputError(
            f"{source}: written in {language!r}, not English; claimcheck checks English copy "
            "only for now, so this article was not checked"
        )


def _mostly_non_latin(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isascii() for c in letters) < len(letters) / 2


def detect_language(text: str) -> str | None:
    """The language code of ``text`` ('en', 'fr', 'zh-cn', ...), or None when unsure.

    langdetect (a port of Google's language-detection) is seeded, so the answer is
    repeatable; only a confident answer (probability over 0.9) is used.
    """
    # A pure function of the text: a text read before is not read again (claimcheck.llm.memo).
    found: str = memo.cached(
        "language", text[:5000], _detect, versions=memo.version_of("langdetect")
    )
    return found or None


def _detect(text: str) -> str:
    _DETECTOR.seed = 0
    try:
        best = detect_langs(text)[0]
    except LangDetectException:
        return ""
    return str(best.lang) if best.prob > 0.9 else ""


def _front_matter(header: str, *, source: str) -> dict[str, Any]:
    try:
        # No aliases, bounded depth and size: a 500-byte header must not take gigabytes.
        data = safeyaml.load(header, max_bytes=MAX_FRONT_MATTER_BYTES)
    except yaml.YAMLError as exc:
        raise InputError(f"{source}: unreadable YAML front matter ({exc})") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError(
            f"{source}: the front matter must be a mapping of title/outlet/url/published"
        )
    meta = {k: data[k] for k in _META_FIELDS if data.get(k) is not None}
    for key, value in meta.items():
        if not isinstance(value, str | int | float | dt.date):
            raise InputError(
                f"{source}: the front matter's {key} must be a single value, not a "
                f"{type(value).__name__}"
            )
    return meta


def _with_meta(article: Article, meta: dict[str, Any], *, source: str) -> Article:
    update: dict[str, Any] = {}
    for key in ("title", "outlet", "url"):
        if key in meta:
            update[key] = str(meta[key]).strip() or None
    if "published" in meta:
        update["published"] = _date(meta["published"], source=source)
    return article.model_copy(update=update) if update else article


def _date(value: Any, *, source: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise InputError(f"{source}: published date {text!r} is not YYYY-MM-DD") from None


__all__ = [
    "MAX_ARTICLE_BYTES",
    "MAX_FRONT_MATTER_BYTES",
    "MAX_RECORDS_FILE_BYTES",
    "Ingested",
    "decode",
    "drop_invisible",
    "html_to_text",
    "parse_article",
    "read_articles",
    "read_sources",
]
