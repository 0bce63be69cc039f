"""Print extraction precision/recall per claim type on the fixtures, and cost per article.

    python evaluation/eval_extraction.py  # embedded model
    python evaluation/eval_extraction.py --base-url http://127.0.0.1:8080/v1 --model local
    python evaluation/eval_extraction.py --articles other/ --gold other/gold --mismatches
    python evaluation/eval_extraction.py --claims claims.json  # `claimcheck extract -o` output

The API key, if any, is read from OPENAI_API_KEY only (never from the command line).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pydantic import TypeAdapter

REPO = Path(__file__).resolve().parent.parent
# Run as `python evaluation/eval_*.py`: the checkout holds the `evaluation` package, which
# is not installed with claimcheck, and a script's own folder is what Python puts on the path.
sys.path.insert(0, str(REPO))

from claimcheck.ingest import read_articles  # noqa: E402
from claimcheck.llm import LLM  # noqa: E402
from claimcheck.llm.backends import make_backend  # noqa: E402
from claimcheck.models import ArticleClaims  # noqa: E402
from evaluation.claims import (  # noqa: E402
    ArticleRun,
    Evaluation,
    evaluate,
    format_group_table,
    format_table,
    load_gold,
    load_story_groups,
    score,
    split_by_group,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path, default=REPO / "fixtures" / "articles")
    parser.add_argument("--gold", type=Path, default=REPO / "fixtures" / "gold" / "claims")
    parser.add_argument("--base-url", default=None, help="OpenAI-compatible endpoint (…/v1)")
    parser.add_argument("--model", default=None)
    parser.add_argument("--only", nargs="*", default=None, help="article ids to run")
    parser.add_argument(
        "--events",
        type=Path,
        default=REPO / "fixtures" / "gold" / "events.yaml",
        help="gold events.yaml giving each article's story type and set (per-type rows)",
    )
    parser.add_argument("--mismatches", action="store_true", help="list unmatched claims")
    parser.add_argument(
        "--claims",
        type=Path,
        default=None,
        help="score claims saved by `claimcheck extract -o FILE` instead of extracting",
    )
    args = parser.parse_args(argv)
    gold = load_gold(args.gold)
    if args.claims is not None:
        saved = TypeAdapter(list[ArticleClaims]).validate_json(args.claims.read_bytes())
        evaluation = score({i.article.id: i.claims for i in saved}, gold)
        print(format_table(evaluation, show_mismatches=args.mismatches))
        _per_group(evaluation, args.events)
        return 0

    articles = read_articles([args.articles])
    if args.only:
        articles = [a for a in articles if a.id in set(args.only)]

    def progress(run: ArticleRun) -> None:
        print(
            f"  {run.article_id}: {run.claims} claims, {run.usage.calls} calls, {run.seconds:.1f}s",
            file=sys.stderr,
            flush=True,
        )

    with LLM(make_backend(model=args.model, base_url=args.base_url)) as llm:
        evaluation = evaluate(articles, gold, llm, progress=progress)
        print(format_table(evaluation, show_mismatches=args.mismatches))
        _per_group(evaluation, args.events)
        print(f"\nmodel: {llm.backend.model}; total {llm.usage}")
    return 0


def _per_group(evaluation: Evaluation, events: Path) -> None:
    if events.is_file():
        groups = split_by_group(evaluation, load_story_groups(events))
        print("\nper story type:\n" + format_group_table(groups))


if __name__ == "__main__":
    sys.exit(main())
