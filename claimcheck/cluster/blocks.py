"""Cross-checking in blocks: split articles into groups no event can span, check each group
on its own (anywhere: a Ray task, a thread), and merge the pieces into the one result a
single :func:`claimcheck.pipeline.compare` over all of them gives.

Why the pieces add up to the whole: the event grouper (:mod:`claimcheck.crosscheck.events`)
only ever puts an article into a cluster it shares a blocking key with (a place, a person,
a distinctive figure, an anchor word) and that has a day within a week of the article's (or
no day at all); clusters never meet otherwise. :func:`plan_blocks` replays the grouper's
order (declared events first, then dated articles by day, undated last) and, where the
grouper would weigh joining a cluster, joins the whole candidate set: a coarser partition
than the grouper's, so every event lies inside one block. Nothing else the grouper weighs is
used here: a different kind of event or place counts against a join but never vetoes it,
so only the blocking keys and the window are certain to keep two articles apart. Two things
the grouper reads across the whole run are carried over too:

- a person any article calls a head of state or government ties no two articles anywhere
  (the grouper's ``heads``, discounted from shared people and named things): a block that
  names such a person also gets an article that gives the title, so it reads the name the
  same way;
- automatic event ids (``kyiv-2025-07-04``, ``-2`` for the second of that name) are numbered
  across the run: :func:`merge` renumbers them in the grouper's own order.

What this costs: a key shared by stories less than a fortnight apart, day after day (a
capital's name, its mayor, a minister quoted on everything), chains them into one large
block. Blocks are exact, not balanced; benchmarks/README.md measures their sizes.

The grouping evidence is read through the grouper's own functions (its profile of an
article and its blocking keys), so a change there is picked up here; the equality tests in
``tests/test_cluster_blocks.py`` guard the argument above.

Example::

    report = compare_in_blocks(items)   # same findings as pipeline.compare(items)
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from claimcheck import pipeline
from claimcheck.crosscheck import events as grouper
from claimcheck.crosscheck.findings import ordered
from claimcheck.errors import ConfigError
from claimcheck.models import ArticleClaims, ArticleError, Claim, Event, Finding, Report, Usage
from claimcheck.pipeline import CROSSCHECK_ERROR_ID

# How far apart (days) two dated articles of one event may be: the grouper's window.
_WINDOW = grouper._MAX_SPAN_DAYS
# An automatic event id: "<place>-<day or 'undated'>", and "-<n>" from the second on.
_AUTO_ID = re.compile(r"^(?P<base>.*-(?:\d{4}-\d{2}-\d{2}|undated))(?:-(?P<n>\d+))?$")


@dataclass(frozen=True)
class Sketch:
    """What blocking needs to know of one article (small, so it travels cheaply)."""

    index: int
    article_id: str
    day: dt.date | None
    keys: frozenset[str]
    #: Names a head of state would not tie: the people and named things of the head.
    persons: frozenset[str]
    heads: frozenset[str]


def sketch(items: Sequence[ArticleClaims], *, start: int = 0) -> list[Sketch]:
    """The sketch of each article, numbered from ``start`` (its index in the whole run)."""
    entities = grouper._head_entities([item.article.text for item in items])
    out = []
    for n, (item, found) in enumerate(zip(items, entities, strict=True)):
        p = grouper._profile(item, found)
        out.append(
            Sketch(
                index=start + n,
                article_id=item.article.id,
                day=p.day,
                keys=frozenset(grouper._keys(p)),
                persons=p.persons | p.orgs,
                heads=p.heads,
            )
        )
    return out


class _Blocks:
    """Union-find over article indices, with each block's days and whether it has an
    undated article (what decides whether the grouper would look at it)."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}
        self.days: dict[int, set[dt.date]] = {}
        self.undated: dict[int, bool] = {}

    def add(self, s: Sketch) -> None:
        self.parent[s.index] = s.index
        self.days[s.index] = {s.day} if s.day is not None else set()
        self.undated[s.index] = s.day is None

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def union(self, a: int, b: int) -> int:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        if len(self.days[ra]) < len(self.days[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.days[ra] |= self.days.pop(rb)
        self.undated[ra] = self.undated[ra] or self.undated.pop(rb)
        return ra

    def near(self, root: int, day: dt.date) -> bool:
        """Whether the grouper would weigh joining an article of ``day`` to this block."""
        if self.undated[root]:
            return True
        days = self.days[root]
        return any(day + dt.timedelta(days=d) in days for d in range(-_WINDOW, _WINDOW + 1))


def plan_blocks(
    sketches: Sequence[Sketch], grouping: Mapping[str, str] | None = None
) -> list[tuple[int, ...]]:
    """Article indices in blocks that no event spans, each sorted, blocks by first index."""
    grouping = grouping or {}
    blocks = _Blocks()
    by_key: dict[str, set[int]] = defaultdict(set)

    def index(s: Sketch) -> None:
        root = blocks.find(s.index)
        for key in s.keys:
            by_key[key].add(root)

    declared: dict[str, int] = {}
    for s in sketches:
        blocks.add(s)
        event_id = grouping.get(s.article_id)
        if event_id is not None:
            if event_id in declared:
                blocks.union(declared[event_id], s.index)
            else:
                declared[event_id] = s.index
    for s in sketches:
        if s.article_id in grouping:
            index(s)
    rest = sorted(
        (s for s in sketches if s.article_id not in grouping),
        key=lambda s: (s.day is None, s.day or dt.date.min, s.article_id),
    )
    for s in rest:
        roots: set[int] = set()
        for key in s.keys:
            found = {blocks.find(r) for r in by_key.get(key, ())}
            by_key[key] = found
            roots |= found
        for root in roots:
            root = blocks.find(root)
            if s.day is None or blocks.near(root, s.day):
                blocks.union(root, s.index)
        index(s)
    _join_heads(sketches, blocks)
    members: dict[int, list[int]] = defaultdict(list)
    for s in sketches:
        members[blocks.find(s.index)].append(s.index)
    return sorted((tuple(sorted(m)) for m in members.values()), key=lambda b: b[0])


def _join_heads(sketches: Sequence[Sketch], blocks: _Blocks) -> None:
    """Give every block that names a head of state (anywhere in the run) an article that
    calls that person one, so its grouping discounts the person as the whole run does."""
    witness: dict[str, int] = {}
    for s in sketches:
        for person in s.heads:
            witness.setdefault(person, s.index)
    changed = True
    while changed:
        changed = False
        persons: dict[int, set[str]] = defaultdict(set)
        heads: dict[int, set[str]] = defaultdict(set)
        for s in sketches:
            root = blocks.find(s.index)
            persons[root] |= s.persons & witness.keys()
            heads[root] |= s.heads
        for root, named in persons.items():
            for person in sorted(named - heads[root]):
                if blocks.find(witness[person]) != blocks.find(root):
                    blocks.union(witness[person], root)
                    changed = True


def pack(blocks: Sequence[tuple[int, ...]], *, size: int) -> list[tuple[int, ...]]:
    """Blocks packed into bins of about ``size`` articles (a bin of independent blocks
    checks the same as the blocks one by one); a larger block is a bin of its own."""
    bins: list[tuple[int, ...]] = []
    current: list[int] = []
    for block in blocks:
        if current and len(current) + len(block) > size:
            bins.append(tuple(sorted(current)))
            current = []
        current.extend(block)
    if current:
        bins.append(tuple(sorted(current)))
    return bins


def merge(
    parts: Sequence[Report],
    items: Sequence[ArticleClaims],
    *,
    grouping: Mapping[str, str] | None = None,
    model: str | None = None,
    as_of: dt.date | None = None,
) -> Report:
    """One report from the reports of the blocks: event ids numbered across the run, the
    findings in the cross-checker's order, usage summed, articles and claims in input order."""
    grouping = grouping or {}
    present = {item.article.id for item in items}
    used = {grouping[a] for a in present if a in grouping}
    renamed: list[tuple[Report, dict[str, str]]] = []
    auto: list[tuple[str, str, int, str]] = []  # base, first article, part, old id
    for n, part in enumerate(parts):
        renamed.append((part, {}))
        for event in part.events:
            # A declared event keeps its id; articles the grouper added to it are not declared.
            if any(grouping.get(a) == event.id for a in event.article_ids):
                renamed[n][1][event.id] = event.id
                continue
            match = _AUTO_ID.match(event.id)
            base = match.group("base") if match else event.id
            auto.append((base, event.article_ids[0] if event.article_ids else "", n, event.id))
    for base, _, n, old in sorted(auto):
        candidate, k = base, 1
        while candidate in used:
            k += 1
            candidate = f"{base}-{k}"
        used.add(candidate)
        renamed[n][1][old] = candidate
    events: list[Event] = []
    findings: list[Finding] = []
    usage = Usage()
    failed: list[ArticleError] = []
    for part, names in renamed:
        events += [e.model_copy(update={"id": names[e.id]}) for e in part.events]
        findings += [
            f.model_copy(update={"event_id": names.get(f.event_id, f.event_id)})
            if f.event_id is not None
            else f
            for f in part.findings
        ]
        usage = usage + part.crosscheck_usage
        failed += [e for e in part.errors if e.article_id == CROSSCHECK_ERROR_ID]
    errors: tuple[ArticleError, ...] = ()
    if failed:
        more = f" (and in {len(failed) - 1} more blocks)" if len(failed) > 1 else ""
        errors = (failed[0].model_copy(update={"message": failed[0].message + more}),)
    claims: list[Claim] = [c for item in items for c in item.claims]
    return Report(
        articles=tuple(item.article for item in items),
        events=tuple(sorted(events, key=lambda e: e.id)),
        claims=tuple(claims),
        findings=ordered(findings),
        usage=usage,
        crosscheck_usage=usage,
        model=model,
        as_of=as_of,
        errors=errors,
    )


Job = tuple[list[ArticleClaims], dict[str, str]]
#: Runs the cross-check of every job (a bin of articles and their declared events).
BlockMapper = Callable[[Sequence[Job]], Iterable[Report]]


def compare_in_blocks(
    items: Sequence[ArticleClaims],
    *,
    grouping: Mapping[str, str] | None = None,
    as_of: dt.date | None = None,
    bin_size: int = 500,
    map_blocks: BlockMapper | None = None,
    sketches: Sequence[Sketch] | None = None,
    model: str | None = None,
) -> Report:
    """Cross-check ``items`` block by block and merge: the findings and events of
    :func:`claimcheck.pipeline.compare` over all of them.

    ``map_blocks(jobs)`` cross-checks each job and yields its report in order (default:
    ``pipeline.compare`` with no LLM, one job after another, here; :mod:`claimcheck.cluster`
    runs them as Ray tasks). ``sketches`` may be computed elsewhere (:func:`sketch`).
    """
    grouping = dict(grouping or {})
    ids = [i.article.id for i in items]
    if len(set(ids)) != len(ids):
        raise ConfigError(
            "two articles share an id; give each input a distinct file name or an explicit id"
        )
    found = list(sketches) if sketches is not None else sketch(items)
    bins = pack(plan_blocks(found, grouping), size=bin_size)
    jobs: list[Job] = []
    for b in bins:
        piece = [items[i] for i in b]
        jobs.append((piece, _declared(piece, grouping)))
    if map_blocks is None:
        parts = [pipeline.compare(p, grouping=declared, as_of=as_of) for p, declared in jobs]
    else:
        parts = list(map_blocks(jobs))
    return merge(parts, items, grouping=grouping, model=model, as_of=as_of)


def _declared(block: Sequence[ArticleClaims], grouping: Mapping[str, str]) -> dict[str, str]:
    ids = {item.article.id for item in block}
    return {a: e for a, e in grouping.items() if a in ids}


__all__ = [
    "Sketch",
    "compare_in_blocks",
    "merge",
    "pack",
    "plan_blocks",
    "sketch",
]
