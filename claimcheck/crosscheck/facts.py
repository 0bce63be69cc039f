"""Event facts: conflicts code can read decided in code; the LLM judges only the rest.

Code decides alone: an exclusive claim ("only military sites were hit") against other
sources' facts of the excluded class (damaged homes, schools, cars), with the words of each
rule in ``events.yaml``; one source denying what another asserts ("claimed responsibility"
against "no group has claimed responsibility", "was arrested" against "has not been
arrested"); opposite actions of one subject ("claimed" against "denied involvement"); and
one fact stated on different days ("found on Friday" against "found on Saturday").
Other pairs are blocked cheaply: two facts from different sources become a candidate pair
only when their targets share a distinctive word (synonyms folded: homes / houses ->
residential), and each fact meets at most a few partners, so LLM calls grow with the number
of facts, not with its square. Without an LLM nothing else is judged; the word overlap
still serves corroboration.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from claimcheck.crosscheck.events import EventGroup
from claimcheck.crosscheck.findings import (
    in_own_words,
    join_sources,
    policy_finding,
    source_name,
)
from claimcheck.crosscheck.policy import Situation
from claimcheck.crosscheck.text import (
    ascii_lower,
    content_tokens,
    mentions_other_time,
    place_key,
    singular,
    tokens,
)
from claimcheck.errors import StructuredOutputError
from claimcheck.language.nlp import parse
from claimcheck.language.vocabulary.events import ExclusiveClaim, event_vocabulary
from claimcheck.llm import LLM
from claimcheck.llm.prompts import render
from claimcheck.models import EventFactClaim, Finding

if TYPE_CHECKING:
    from spacy.tokens import Token

log = logging.getLogger(__name__)

# Partners judged per fact, best overlap first.
MAX_PARTNERS = 3
# A word shared by more distinct statements than this is too common to block on.
MAX_POSTINGS = 200

_VOCAB = event_vocabulary()


# Words that can turn two accounts of one target against each other ("only military sites",
# "non-residential", "no one was hurt", "the embassy was untouched"). Without one, two facts
# sharing a target tell the same or compatible things, which code decides by word overlap;
# small models asked about such pairs call far too many of them contradictions.
_CONTRAST = frozenset(
    """
    not no non only never none neither nor denied deny denies untouched intact unharmed spared
    false fake solely exclusively instead rather contrary
    """.split()  # noqa: SIM905 - a word list reads better as text
)


_SAYS = re.compile(
    r"\b(?:says?|said|saying|claim(?:s|ed|ing)?|insist(?:s|ed)?|maintain(?:s|ed)?|"
    r"reported|stated|told|according to)\b"
)
# Words right before a target that deny it was hit: "no homes were damaged".
_DENIAL = frozenset("no not never none neither nor without untouched intact spared".split())  # noqa: SIM905
# The exclusive-claim rules (events.yaml): "only military sites were hit" against homes,
# schools or cars other sources report hit; another story's rule is another data entry.
EXCLUSIVE_CLAIMS = _VOCAB.exclusive_claims
TARGETS_SUBJECT = EXCLUSIVE_CLAIMS[0].subject if EXCLUSIVE_CLAIMS else "what was hit"


class FactRelation(BaseModel):
    """The LLM's judgement of two event facts from different sources.

    ``reason`` comes first so the model states the comparison before committing to a label.
    """

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=300)
    relation: Literal["supports", "contradicts", "unrelated"]


def fact_words(fact: EventFactClaim, event_place: str | None) -> frozenset[str]:
    """The distinctive words of a fact's target, action and statement."""
    return distinctive_words(
        " ".join(x for x in (fact.target, fact.action, fact.statement) if x), event_place
    )


def target_words(fact: EventFactClaim, event_place: str | None) -> frozenset[str]:
    """The distinctive words of what a fact is about (its target)."""
    return distinctive_words(fact.target or "", event_place)


def distinctive_words(text: str, event_place: str | None) -> frozenset[str]:
    """Content words of a text, singular, synonyms folded, without the event's place."""
    here = place_key(event_place)
    words = set()
    for t in content_tokens(text):
        w = singular(t)
        w = _VOCAB.synonyms.get(w, _VOCAB.synonyms.get(t, w))
        if w not in _VOCAB.generic_words and w != here and not w.isdigit():
            words.add(w)
    return frozenset(words)


@dataclass
class FactJudgement:
    """What judging the facts of one event produced."""

    findings: list[Finding] = field(default_factory=list)
    # Claim ids another source backs up, by word overlap or by the LLM.
    corroborated: set[str] = field(default_factory=set)
    # Claim ids in a contradiction finding.
    disputed: set[str] = field(default_factory=set)
    calls: int = 0


def same_statements(
    facts: Sequence[EventFactClaim], event_place: str | None
) -> dict[frozenset[str], list[EventFactClaim]]:
    """Facts grouped by their distinctive words: a thousand outlets repeating one happening
    are one statement to compare, and back each other up."""
    groups: dict[frozenset[str], list[EventFactClaim]] = defaultdict(list)
    for f in facts:
        groups[fact_words(f, event_place)].append(f)
    return groups


def candidate_pairs(
    facts: Sequence[EventFactClaim], event_place: str | None
) -> list[tuple[EventFactClaim, EventFactClaim, int]]:
    """Pairs of distinct statements from different articles sharing distinctive words.

    Each statement is represented by its first fact; a word shared by more than
    ``MAX_POSTINGS`` statements identifies nothing and is not used for blocking.
    """
    groups = same_statements(facts, event_place)
    words = list(groups)
    reps = [groups[w][0] for w in words]
    arts = [frozenset(f.article_id for f in groups[w]) for w in words]
    index: dict[str, list[int]] = defaultdict(list)
    for i, ws in enumerate(words):
        for w in ws:
            index[w].append(i)
    pairs: dict[tuple[int, int], int] = {}
    for i, ws in enumerate(words):
        overlap: dict[int, int] = defaultdict(int)
        for w in ws:
            postings = index[w]
            if len(postings) > MAX_POSTINGS:
                continue
            for j in postings:
                if j != i and len(arts[i] | arts[j]) >= 2:
                    overlap[j] += 1
        best = sorted(overlap.items(), key=lambda kv: (-kv[1], reps[kv[0]].id))[:MAX_PARTNERS]
        for j, n in best:
            pairs[(min(i, j), max(i, j))] = n
    return [(reps[i], reps[j], n) for (i, j), n in sorted(pairs.items())]


def has_contrast(fact: EventFactClaim) -> bool:
    """Whether a fact carries a negation or exclusivity word that could contradict another:
    in its statement, its target or the clause of its sentence that holds its action (a
    "not" in another clause of a long sentence denies nothing of this fact)."""
    words = set(tokens(" ".join(x for x in (fact.statement, fact.target) if x)))
    span = ascii_lower(" ".join(fact.span.text.split()))
    action = " ".join((fact.action or "").lower().split())
    at = span.find(action) if action else -1
    if at < 0:
        words |= set(tokens(span))
    else:
        before, clause = _clause_at(span, at)
        words |= set(tokens(before + " " + clause))
    return bool(_CONTRAST & words)


def judge_facts(group: EventGroup, llm: LLM | None) -> FactJudgement:
    """Corroboration by overlap and the "only military sites" conflict always; other
    support/contradiction judged by the LLM if given.

    A fact counts as backed up by another source when their targets share a distinctive
    word, or their words overlap in two or more. The LLM, when given, judges only candidate
    pairs where one side carries a negation or exclusivity word (see ``_CONTRAST``) and
    neither side is an exclusive military claim code has already judged.
    """
    # "In 2022, a group claimed responsibility for an attack on a shrine": another
    # event's fact, compared with nothing of this one
    facts = [
        c
        for c in group.claims
        if isinstance(c, EventFactClaim) and not dated_another_time(c, group.event.date)
    ]
    result = FactJudgement()
    place = group.event.place
    decided: set[str] = set()
    for finding, ids in [*_target_conflicts(group, facts), *predicate_conflicts(group, facts)]:
        result.findings.append(finding)
        decided.update(ids)
    seen: dict[tuple[str, str], FactRelation | None] = {}
    conflicts: list[tuple[EventFactClaim, EventFactClaim, str]] = []
    groups = same_statements(facts, place)
    members = {g[0].id: g for g in groups.values()}
    for same in groups.values():
        if len({f.article_id for f in same}) >= 2:
            result.corroborated.update(f.id for f in same)
    for a, b, overlap in candidate_pairs(facts, place):
        both = [f.id for f in (*members[a.id], *members[b.id])]
        same_target = bool(target_words(a, place) & target_words(b, place))
        if overlap >= 2 or same_target:
            result.corroborated.update(both)
        # Only a pair about the same thing, where one side could deny the other, needs
        # judging: "the airport was set ablaze" and "cars were burning" share only the fire.
        if llm is None or not same_target or not (has_contrast(a) or has_contrast(b)):
            continue
        if decided & {a.id, b.id}:
            continue  # code has already said what is wrong with one side
        pair_key = (a.statement.strip().lower(), b.statement.strip().lower())
        if pair_key not in seen:
            seen[pair_key] = _judge(llm, group, a, b)
            result.calls += seen[pair_key] is not None
        verdict = seen[pair_key]
        if verdict is None:
            continue
        if verdict.relation == "supports":
            result.corroborated.update(both)
        elif verdict.relation == "contradicts":
            conflicts.append((a, b, verdict.reason))
    result.findings.extend(_conflict_findings(group, conflicts, members))
    result.disputed = decided | {f.id for a, b, _ in conflicts for f in (a, b)}
    return result


def _judge(
    llm: LLM, group: EventGroup, a: EventFactClaim, b: EventFactClaim
) -> FactRelation | None:
    """The LLM's verdict on a pair, or None when it gave no usable answer.

    One unanswerable pair must not sink the report of a whole batch: unjudged, the pair
    is treated as it is without an LLM (conservatively, no contradiction).
    """
    prompt = render(
        "crosscheck.fact_pair",
        event=group.event.label,
        first=f"{a.statement} (source text: “{a.span.text}”)",
        second=f"{b.statement} (source text: “{b.span.text}”)",
    )
    try:
        return llm.parse(FactRelation, prompt)
    except StructuredOutputError as exc:
        log.warning("could not judge facts %s and %s, left unjudged: %s", a.id, b.id, exc)
        return None


def _conflict_findings(
    group: EventGroup,
    conflicts: Sequence[tuple[EventFactClaim, EventFactClaim, str]],
    members: Mapping[str, Sequence[EventFactClaim]],
) -> list[Finding]:
    """One finding per connected set of conflicting facts, named after its most-disputed fact.

    One outlet's "only military sites were hit" against three outlets' damaged homes is one
    problem for an editor, not three.
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    by_id: dict[str, EventFactClaim] = {}
    degree: dict[str, int] = defaultdict(int)
    for a, b, _ in conflicts:
        by_id[a.id], by_id[b.id] = a, b
        degree[a.id] += 1
        degree[b.id] += 1
        parent[find(a.id)] = find(b.id)
    components: dict[str, list[tuple[EventFactClaim, EventFactClaim, str]]] = defaultdict(list)
    for a, b, reason in conflicts:
        components[find(a.id)].append((a, b, reason))
    articles = group.articles
    findings = []
    for edges in components.values():
        ids = {c.id for a, b, _ in edges for c in (a, b)}
        hub = by_id[max(sorted(ids), key=lambda i: degree[i])]
        others = sorted({c.id for a, b, _ in edges for c in (a, b)} - {hub.id})
        names = sorted({source_name(articles[by_id[i].article_id]) for i in others})
        other_sources = join_sources(names)
        report = "reports" if len(names) == 1 else "report"
        reason = _first_sentence(edges[0][2])
        said = in_own_words(hub)
        findings.append(
            policy_finding(
                Situation.FACTS_JUDGED_BY_MODEL,
                explanation=(
                    f"{source_name(articles[hub.article_id])} says “{said}”, "
                    f"which conflicts with what {other_sources} {report} ({reason})."
                ),
                claims=[f for i in sorted(ids) for f in members.get(i, (by_id[i],))],
                event_id=group.event.id,
                subject=hub.target or hub.statement,
            )
        )
    return findings


def _first_sentence(text: str) -> str:
    """A model's reason cut to its first sentence: the verdict's why, not its rambling."""
    # A full stop ends a sentence unless it ends an abbreviation ("vs.", "U.S.", "Mr.").
    first = re.split(
        r"(?<=[.!?])(?<![A-Z][.!?])(?<!\bvs\.)(?<!\bMr\.)(?<!\bDr\.)(?<!\bSt\.)\s+(?=[A-Z])",
        " ".join(text.split()),
        maxsplit=1,
    )[0]
    return first.rstrip(".")


def exclusive_claim(fact: EventFactClaim, rule: ExclusiveClaim) -> bool:
    """Whether a fact makes the rule's exclusive claim ("only military sites were hit") in
    the outlet's own voice (not as the attacker's or another party's reported line)."""
    text = ascii_lower(" ".join(fact.span.text.split()))
    if not any(p.search(text) for p in rule.exclusive):
        return False
    if any(p.search(text) for p in rule.attributed_to) and _SAYS.search(text):
        return False
    # A "non-" word names the excluded class; it does not say that class was hit.
    words = distinctive_words(re.sub(r"\bnon-\w+", " ", text), None)
    return not words & rule.others


def other_class(fact: EventFactClaim, rule: ExclusiveClaim) -> frozenset[str]:
    """The things of the rule's other class (homes, schools, cars ...) a fact says were hit;
    empty if none.

    Read from the fact's target only, the phrase its verb acts on: the rest of the sentence
    may name a hospital the injured were taken to, or deny that anything was hit.
    """
    target = fact.target or ""
    if not target or (fact.action or "").lower() in rule.not_damage or exclusive_claim(fact, rule):
        return frozenset()
    at = fact.span.text.find(target)
    before = fact.span.text[max(0, at - 30) : at] if at >= 0 else ""
    before = re.split(r"[,;:]|\bbut\b", before)[-1]  # the target's own clause
    if _DENIAL & {*tokens(before)[-4:], *tokens(target)}:
        return frozenset()
    return distinctive_words(re.sub(r"\bnon-\w+", " ", ascii_lower(target)), None) & rule.others


def military_only(fact: EventFactClaim) -> bool:
    """Whether a fact makes any exclusive claim of events.yaml (first: only military sites)."""
    return any(exclusive_claim(fact, rule) for rule in EXCLUSIVE_CLAIMS)


def civilian_damage(fact: EventFactClaim) -> frozenset[str]:
    """The other-class things a fact says were hit, under the first exclusive-claim rule."""
    return other_class(fact, EXCLUSIVE_CLAIMS[0]) if EXCLUSIVE_CLAIMS else frozenset()


def _target_conflicts(
    group: EventGroup, facts: Sequence[EventFactClaim]
) -> list[tuple[Finding, set[str]]]:
    """One finding per exclusive claim ("only military sites were hit") that other sources'
    facts of the excluded class (damaged homes, schools or cars) contradict."""
    articles = group.articles
    out: list[tuple[Finding, set[str]]] = []
    # One sentence may yield several facts (one per verb): one finding per sentence.
    first = set({(f.article_id, f.span.start, f.span.end): f.id for f in reversed(facts)}.values())
    for rule in EXCLUSIVE_CLAIMS:
        exclusive = [f for f in facts if f.id in first and exclusive_claim(f, rule)]
        if not exclusive:
            continue
        damage = [(f, words) for f in facts if (words := other_class(f, rule))]
        for only in exclusive:
            against = [(f, words) for f, words in damage if f.article_id != only.article_id]
            if not against:
                continue
            hit = sorted({w for _, ws in against for w in ws})
            names = sorted({source_name(articles[f.article_id]) for f, _ in against})
            others = join_sources(names)
            report = "reports" if len(names) == 1 else "report"
            said = in_own_words(only)
            out.append(
                (
                    policy_finding(
                        Situation.EXCLUSIVE_CLAIM_CONTRADICTED,
                        explanation=(
                            f"{source_name(articles[only.article_id])} says “{said}”, but "
                            f"{others} {report} {rule.explanation} ({', '.join(hit)})."
                        ),
                        claims=[only, *(f for f, _ in against)],
                        event_id=group.event.id,
                        subject=rule.subject,
                        suggestion=rule.suggestion,
                    ),
                    {only.id},
                )
            )
    return out


# How many words before a verb a negation may stand and still deny it: "no group has yet
# claimed", "has not been arrested".
_CLAUSE_BREAK = re.compile(r"[,;:]|\b(?:but|while|although|though)\b")


def _clause_at(text: str, at: int) -> tuple[str, str]:
    """The words of ``text``'s clause before offset ``at``, and the clause from ``at`` on."""
    return _CLAUSE_BREAK.split(text[:at])[-1], _CLAUSE_BREAK.split(text[at:])[0]


@dataclass(frozen=True)
class _Reading:
    """What code reads of one fact: its action, whether it is denied, the day it names."""

    fact: EventFactClaim
    action: str
    negated: bool
    day: str | None
    words: frozenset[str]
    # Both the action and the target stand verbatim in the fact's own sentence.
    confident: bool
    # The denial is the subject itself ("no group", "nobody"): it denies it of anyone.
    generic: bool = False
    # What the action was done to or of, read after it in the clause.
    objects: frozenset[str] = frozenset()
    # The action's words stand in the span as written (not only in the extractor's answer).
    action_read: bool = False
    # The target names the event's place, which ``words`` leave out: "England have never
    # won" at a final in England is a denial of England, not of anyone.
    names_place: bool = False
    # A generic denial in the passive denies the action only of the things its target
    # names ("no survivors have been found" says nothing of bodies found): their nouns.
    denied_nouns: frozenset[str] = frozenset()
    # The nouns the target names, to meet a passive denial's.
    nouns: frozenset[str] = frozenset()


def dated_another_time(fact: EventFactClaim, day: dt.date | None) -> bool:
    """Whether the fact's action is dated by its sentence to a month or year other than the
    event's: a date phrase the parse hangs on the action's verb ("*In 2022*, the group
    claimed responsibility for an attack"). A date elsewhere in the sentence dates another
    verb ("claimed the attack, the worst since 2019") and says nothing of this one."""
    if day is None:
        return False
    verb = _action_token(fact)
    if verb is None:
        return False
    for ent in verb.doc.ents:
        if ent.label_ != "DATE" or not mentions_other_time(ent.text, day):
            continue
        token, steps = ent.root, 0
        while token.pos_ not in ("VERB", "AUX") and token.head is not token and steps < 4:
            token, steps = token.head, steps + 1
        if token == verb:
            return True
    return False


def _action_token(fact: EventFactClaim) -> Token | None:
    """The token of the fact's action (its first word) in the parse of its sentence."""
    action, _ = _bare_action(fact)
    text = " ".join(fact.span.text.split())
    at = text.lower().find(action) if action else -1
    if at < 0:
        return None
    return next((t for t in parse(text) if t.idx == at), None)


def _bare_action(fact: EventFactClaim) -> tuple[str, bool]:
    """The fact's action without a negation written into it ("did not claim
    responsibility" -> "claim responsibility"), and whether one was."""
    action = " ".join((fact.action or "").lower().split())
    negated_form = _NEGATED_ACTION.match(action)
    if negated_form is None:
        return action, False
    return negated_form.group("rest"), True


def _passive(verb: Token | None) -> bool:
    """Whether the action is stated in the passive ("no survivors have been *found*"): its
    subject is what the action was done to, not who did it."""
    return verb is not None and any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)


def _nouns(target: str) -> frozenset[str]:
    """The nouns a target names, singular ("No additional survivors" -> survivor)."""
    return frozenset(
        singular(t.lower_) for t in parse(target) if t.pos_ in ("NOUN", "PROPN") and t.is_alpha
    )


def _denies(before: str) -> bool:
    """Whether the words of a clause before its action deny that action: a negation right
    before it, with only auxiliaries between ("has not yet been found", "hasn't claimed"),
    or a denying subject ("no group has claimed"). A negation further back belongs to
    another verb ("a child who had not been vaccinated had died" denies nothing)."""
    vocab = _VOCAB
    words = tokens(before.replace("n't", " not"))
    if words and words[0] in vocab.denying_subjects:
        return True
    i = len(words) - 1
    while i >= 0 and words[i] in vocab.negation_gap:
        i -= 1
    if i >= 0 and words[i] in vocab.negations:
        return not vocab.negation_breakers & set(words[i + 1 :])
    return bool(re.search(r"\byet to\s*$", before))


def _object_words(fact: EventFactClaim, action: str, event_place: str | None) -> frozenset[str]:
    """Distinctive words after the action in the fact's clause: what it was done to or of
    ("acquitted *of racketeering*" against "convicted *of prostitution offences*")."""
    lower = ascii_lower(" ".join(fact.span.text.split()))
    at = lower.find(action)
    if at < 0:
        return frozenset()
    clause = _CLAUSE_BREAK.split(lower[at + len(action) :])[0]
    if _figure_first(clause):
        # "won 24.8%", "won three seats": a result, not the victory "conceded" denies
        return frozenset({"#figure"})
    return distinctive_words(clause, event_place) - _VOCAB.negations


# A clause whose object is a figure: "24.8%", "$4bn", "three seats" (words read by the NLP).
def _figure_first(clause: str) -> bool:
    doc = parse(clause.strip())
    first = next((t for t in doc if not t.is_punct and t.text not in "$£€¥"), None)
    return first is not None and (first.like_num or first.pos_ == "NUM")


# An action written with its own negation ("did not claim responsibility").
_NEGATED_ACTION = re.compile(
    r"^(?:(?:did|does|do|has|have|had|was|were|is|are)\s+)?(?:not|never|no)\s+(?P<rest>.+)$"
)


@lru_cache(maxsize=4096)
def action_key(action: str) -> str:
    """An action's words cut to their first five letters, so "claim responsibility" and
    "claimed responsibility" are one action."""
    return " ".join(w[:5] for w in tokens(action))


def _read(fact: EventFactClaim, event_place: str | None) -> _Reading | None:
    action, written_negated = _bare_action(fact)
    if not action:
        return None
    text = " ".join(fact.span.text.split())
    lower = ascii_lower(text)
    at = lower.find(action)
    vocab = _VOCAB
    negated = False
    day = None
    if at >= 0:
        before, clause = _clause_at(lower, at)
        negated = _denies(before)
        days = [
            t
            for prev, t in zip(["", *tokens(clause)], tokens(clause), strict=False)
            if t in vocab.days and prev in vocab.before_day
        ]
        day = days[0] if days else None
    target = fact.target or ""
    # "non-residential" names what was not hit; it shares no subject with "homes".
    cleaned = re.sub(r"\bnon-\w+", " ", ascii_lower(target))
    words = distinctive_words(cleaned, event_place) - vocab.negations
    generic = bool(tokens(target)[:1]) and tokens(target)[0] in vocab.negations
    nouns = _nouns(target) if target else frozenset()
    return _Reading(
        fact=fact,
        action=action,
        negated=negated or written_negated,
        day=day,
        words=words,
        confident=at >= 0 and bool(target) and target in fact.span.text,
        generic=generic,
        # The target may stand after an active verb ("acquitted the mayor"): not an object.
        objects=_object_words(fact, action, event_place) - words,
        action_read=at >= 0,
        names_place=bool(distinctive_words(cleaned, None) - vocab.negations - words),
        denied_nouns=nouns if generic and _passive(_action_token(fact)) else frozenset(),
        nouns=nouns,
    )


def predicate_conflicts(
    group: EventGroup, facts: Sequence[EventFactClaim]
) -> list[tuple[Finding, set[str]]]:
    """Facts of one subject whose predicates cannot both hold, compared by code.

    "X claimed responsibility" against "no group has claimed responsibility" (one side
    denies the same action), "X claimed responsibility" against "X denied involvement"
    (opposite actions, events.yaml), "found on Friday" against "found on Saturday" (the
    same action on different days). A denial whose subject is generic ("no group") needs no
    shared target word; otherwise the targets must share one. Medium severity at most, and
    low unless code read both sides with confidence.
    """
    place = group.event.place
    # Exclusive claims ("only military sites were hit") have their own rule above.
    readings = [r for f in facts if not military_only(f) and (r := _read(f, place)) is not None]
    articles = group.articles
    out: list[tuple[Finding, set[str]]] = []
    seen: set[frozenset[str]] = set()
    # Only readings of one action (or of two opposite actions) can conflict: blocking by
    # action keeps a big event from comparing every fact with every other.
    by_key: dict[str, list[int]] = defaultdict(list)
    by_action: dict[str, list[int]] = defaultdict(list)
    for n, r in enumerate(readings):
        by_key[action_key(r.action)].append(n)
        by_action[r.action].append(n)
    for i, a in enumerate(readings):
        partners = set(by_key[action_key(a.action)])
        for pair in _VOCAB.opposite_actions:
            if a.action in pair:
                for other in pair - {a.action}:
                    partners.update(by_action.get(other, ()))
        for j in sorted(n for n in partners if n > i):
            b = readings[j]
            if a.fact.article_id == b.fact.article_id:
                continue
            why = _why_conflict(a, b)
            if why is None:
                continue
            key = frozenset({a.fact.id, b.fact.id})
            if key in seen:
                continue
            seen.add(key)
            confident = a.confident and b.confident
            first, second = sorted((a, b), key=lambda r: r.fact.article_id)
            out.append(
                (
                    policy_finding(
                        Situation.FACT_PREDICATES_CONFLICT
                        if confident
                        else Situation.FACT_PREDICATES_CONFLICT_UNSURE,
                        explanation=(
                            f"{source_name(articles[first.fact.article_id])} says "
                            f"“{in_own_words(first.fact)}”, but "
                            f"{source_name(articles[second.fact.article_id])} says "
                            f"“{in_own_words(second.fact)}” ({why}"
                            + (
                                ")."
                                if confident
                                else "; one side was not read with confidence, so low)."
                            )
                        ),
                        claims=[first.fact, second.fact],
                        event_id=group.event.id,
                        subject=first.fact.target or first.action,
                    ),
                    {a.fact.id, b.fact.id},
                )
            )
    return out


def _why_conflict(a: _Reading, b: _Reading) -> str | None:
    """Why two readings cannot both hold, or None when they can."""
    shared = bool(a.words & b.words)
    if action_key(a.action) == action_key(b.action):
        if a.negated != b.negated:
            denied = a if a.negated else b
            other = b if a.negated else a
            if denied.denied_nouns and not denied.denied_nouns & other.nouns:
                return None  # "no survivors have been found" against "a body was found"
            # A denial of no one in particular ("no group has claimed") meets any claim; one
            # of a named subject only a claim about the same one ("England have never won"
            # denies nothing of Spain, though the final's place, England, names no words).
            if shared or denied.generic or not (denied.words or denied.names_place):
                return f"one source denies that it {a.action}"
            return None
        if not a.negated and a.day and b.day and a.day != b.day and shared:
            return f"one says it {a.action} on {a.day.title()}, the other on {b.day.title()}"
        return None
    if frozenset({a.action, b.action}) in _VOCAB.opposite_actions and shared:
        # Acquitted of one charge and convicted of another are both true: opposite actions
        # conflict only when both are read in the text as written and what they were done
        # of is the same, or one side does not say.
        if not (a.action_read and b.action_read):
            return None
        if a.objects and b.objects and not a.objects & b.objects:
            return None
        return f"“{a.action}” and “{b.action}” cannot both be true"
    return None
