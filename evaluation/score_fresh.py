"""Score a report on a fresh real-coverage set against its labels (evaluation/fresh.py).

claimcheck check SCRATCH/fresh-B/articles --format json -o report.json --fail-on never
python evaluation/score_fresh.py report.json SCRATCH/fresh-B/labels.yaml
python evaluation/score_fresh.py report.json labels.yaml --judged evaluation/fresh/B-judged.yaml
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from claimcheck.models import Report
from evaluation.fresh import format_table, score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("report", type=Path, help="a report written with --format json")
    parser.add_argument("labels", type=Path, help="the set's labels.yaml")
    parser.add_argument(
        "--judged", type=Path, help="YAML: finding id -> {ok: true/false, why: ...}"
    )
    args = parser.parse_args(argv)
    report = Report.model_validate_json(args.report.read_text(encoding="utf-8"))
    labels = yaml.safe_load(args.labels.read_text(encoding="utf-8"))
    judged: dict[str, bool] = {}
    if args.judged is not None and args.judged.exists():
        raw = yaml.safe_load(args.judged.read_text(encoding="utf-8")) or {}
        judged = {str(k): bool(v["ok"]) for k, v in raw.items()}
    scores, unjudged = score(report, labels, judged)
    print(format_table(scores))
    for s in scores:
        if s.missed:
            print(f"\nmissed in {s.event}: {', '.join(s.missed)}")
    if unjudged:
        print("\nunjudged non-info findings (judge by hand, then pass --judged):")
        for f in unjudged:
            print(f"- {f.id} [{f.severity.value} {f.kind.value}] {f.explanation}")
    usage = report.crosscheck_usage
    if usage is not None and report.articles:
        print(
            f"\ncross-check model calls: {usage.calls} for {len(report.articles)} articles "
            f"({usage.calls / len(report.articles):.1f} an article)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
