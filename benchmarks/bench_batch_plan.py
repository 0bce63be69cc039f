"""Calls and prompt tokens per article, one question per candidate against batched questions.

No model is started: every fixture article goes through ``extract_claims`` twice against a
scripted backend that gives a plausible answer to whatever it is asked (the first option
offered; as a figure's subject, the first content word after it), once with ``batch=0`` and
once with ``batch=K``. The table counts, per article, the calls and the prompt tokens each
path sends, and the prompt tokens a llama.cpp server with one slot would still have to read
after reusing the longest prefix shared with the previous prompt ("new"). Tokens are
estimated as characters / 4 (no tokenizer is loaded). Every scripted answer passes its
check, so the batched column is the best case: with a real model a slot that fails its check
costs one more single call. The real figures come from ``bench_extraction.py`` with the
model.

Run::

    python benchmarks/bench_batch_plan.py               # every fixture article, K = 6
    python benchmarks/bench_batch_plan.py --batch 4 --articles crash-a vote-b
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimcheck.extract import extract_claims
from claimcheck.extract.batch import DEFAULT_BATCH
from claimcheck.ingest import read_articles
from claimcheck.llm import LLM, CompletionRequest
from claimcheck.llm.backends.fake import FakeBackend
from claimcheck.models import Article

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "articles"
CHARS_PER_TOKEN = 4
_FUNCTION = frozenset("of the a an and or to in on at by for from with as than".split())  # noqa: SIM905
_LINE = re.compile(r"^([A-Z]\d+): (.*)$")


def _enum(schema: dict[str, Any], model: dict[str, Any]) -> tuple[str, list[str]]:
    """The one enum field of an answer object (measure, speaker, title or target)."""
    for name, prop in model["properties"].items():
        ref = prop.get("$ref") or (prop.get("allOf") or [{}])[0].get("$ref")
        if ref is not None:
            return name, list(schema["$defs"][ref.split("/")[-1]]["enum"])
    raise ValueError("no enum field")


def _subject(figure: str, sentence: str) -> str:
    before, after = sentence.split(figure, 1) if figure in sentence else (sentence, "")
    words = [
        w
        for w in re.findall(r"[\w'-]+", after) + re.findall(r"[\w'-]+", before)[::-1]
        if w[0].isalpha() and w.lower() not in _FUNCTION
    ]
    return words[0] if words else "people"


def _one(schema: dict[str, Any], model: dict[str, Any], figure: str, sentence: str) -> Any:
    field, options = _enum(schema, model)
    if field != "measure":
        return {field: options[0]}
    return {"subject": _subject(figure, sentence), "measure": options[0], "place": None}


def plausible(request: CompletionRequest) -> str:
    """A first-option answer to any extraction question, single or batched."""
    schema = request.json_schema
    text = request.messages[1].content  # [-1] is the re-ask message after a rejected answer
    if set(schema["properties"]) - {"subject", "measure", "place", "speaker", "title", "target"}:
        lines: dict[str, tuple[str, str]] = {}
        sentence = ""
        for line in text.split("QUESTIONS:")[1].splitlines():
            header = re.match(r"Sentence \[\d+\]: <<< (.*) >>>$", line)
            sentence = header.group(1) if header else sentence
            labelled = _LINE.match(line)
            if labelled is not None:  # the real items come after the example: last wins
                lines[labelled.group(1)] = (labelled.group(2), sentence)
        answer = {}
        for label, prop in schema["properties"].items():
            model = schema["$defs"][prop["$ref"].split("/")[-1]]
            line, shown = lines[label]
            named = re.match(r'the figure "([^"]+)"', line)
            answer[label] = _one(schema, model, named.group(1) if named else "", shown)
        return json.dumps(answer)
    asked = text.split("QUESTION:")[1]
    figure = re.search(r'figure "([^"]+)"', asked)
    said = re.search(r"is: <<< (.*) >>>", asked)
    return json.dumps(
        _one(schema, schema, figure.group(1) if figure else "", said.group(1) if said else "")
    )


@dataclass(frozen=True)
class Cost:
    calls: int
    prompt: int  # estimated prompt tokens sent
    new: int  # of those, not served by the previous prompt's prefix
    answer: int  # estimated answer tokens (the scripted answers' length)


def cost(article: Article, batch: int) -> Cost:
    backend = FakeBackend(plausible)
    llm = LLM(backend)
    extract_claims(article, llm, batch=batch)
    prompts = [
        "".join(f"<{m.role}>{m.content}" for m in request.messages) for request in backend.requests
    ]
    new = 0
    previous = ""
    for prompt in prompts:
        shared = 0
        for a, b in zip(prompt, previous, strict=False):
            if a != b:
                break
            shared += 1
        new += len(prompt) - shared
        previous = prompt
    answers = [plausible(r) for r in backend.requests]
    return Cost(
        calls=len(prompts),
        prompt=sum(map(len, prompts)) // CHARS_PER_TOKEN,
        new=new // CHARS_PER_TOKEN,
        answer=sum(map(len, answers)) // CHARS_PER_TOKEN,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batch", type=int, default=DEFAULT_BATCH, help="K: candidates per call")
    parser.add_argument("--articles", nargs="*", help="fixture names (default: all)")
    args = parser.parse_args(argv)
    names = args.articles or sorted(p.stem for p in FIXTURES.glob("*.md"))
    articles = read_articles([FIXTURES / f"{name}.md" for name in names])
    k = args.batch
    print(
        f"| article | calls 1-by-1 | calls K={k} | prompt tok 1-by-1 | prompt tok K={k} "
        f"| new tok 1-by-1 | new tok K={k} | answer tok 1-by-1 | answer tok K={k} |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    totals = [0] * 8
    for article in articles:
        print(f"{article.id} ...", file=sys.stderr)
        single, batched = cost(article, 0), cost(article, k)
        row = [
            single.calls,
            batched.calls,
            single.prompt,
            batched.prompt,
            single.new,
            batched.new,
            single.answer,
            batched.answer,
        ]
        totals = [t + r for t, r in zip(totals, row, strict=True)]
        print(f"| {article.id} | " + " | ".join(f"{v:,}" for v in row) + " |")
    print(f"| **total ({len(articles)})** | " + " | ".join(f"{v:,}" for v in totals) + " |")
    ratios = [totals[i + 1] / totals[i] if totals[i] else 0.0 for i in (0, 2, 4, 6)]
    cells = [cell for r in ratios for cell in ("", f"{r:.2f}")]
    print("| **K / 1-by-1** | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
