"""Score a JSON report's findings against the gold findings of the fixtures.

claimcheck check fixtures/articles/ --format json -o report.json --fail-on never
python evaluation/eval_findings.py report.json             # all gold findings
python evaluation/eval_findings.py report.json --no-model  # a run with llm=None
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Run as `python evaluation/eval_*.py`: the checkout holds the `evaluation` package, which
# is not installed with claimcheck, and a script's own folder is what Python puts on the path.
sys.path.insert(0, str(REPO))

from claimcheck.models import Report  # noqa: E402
from evaluation.claims import load_story_groups  # noqa: E402
from evaluation.findings import (  # noqa: E402
    GoldFindings,
    format_findings_table,
    format_group_findings_table,
    load_gold_findings,
    score_findings,
    score_findings_by_group,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("report", type=Path, help="a report written with --format json")
    parser.add_argument("--gold", type=Path, default=REPO / "fixtures" / "gold")
    parser.add_argument(
        "--no-model", action="store_true", help="leave out gold findings that need a model"
    )
    args = parser.parse_args(argv)
    report = Report.model_validate_json(args.report.read_text(encoding="utf-8"))
    gold = load_gold_findings(args.gold)
    # A report of some of the fixture articles is scored against the gold findings about
    # those articles only. A gold finding keeps the articles the report has, as long as
    # enough of them remain to show it (two for a disagreement between sources): one
    # article lost to a failed extraction does not hide the others' disagreement.
    checked = {a.id for a in report.articles}
    gold = GoldFindings(
        findings=tuple(
            replace(g, articles=g.articles & checked)
            for g in gold.findings
            if len(g.articles & checked) >= min(len(g.articles), 2)
        ),
        event_of={a: e for a, e in gold.event_of.items() if a in checked},
    )
    score = score_findings(report.findings, gold, with_model=not args.no_model)
    print(format_findings_table(score))
    groups = {a: g for a, g in load_story_groups(args.gold / "events.yaml").items() if a in checked}
    by_group = score_findings_by_group(report.findings, gold, groups, with_model=not args.no_model)
    print("\nper story type:\n" + format_group_findings_table(by_group))
    return 0


if __name__ == "__main__":
    sys.exit(main())
