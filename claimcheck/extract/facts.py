"""Event facts: sentences saying what happened to what; the model reads the target, code checks it.

Code finds the sentences (a what-happened verb from events.yaml: "damaged", "derailed", "was
convicted", "claimed responsibility", "resigned") and
the phrases each verb may act on; the model only picks one of those phrases, so a target is
an exact slice of the text by construction. A phone call between leaders is found by code
alone: there is nothing for the model to decide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from pydantic import BaseModel

from claimcheck.extract.context import (
    ArticleContext,
    answer_model,
    choice_enum,
    one_line,
    sampling,
    value_of,
)
from claimcheck.extract.kind import BatchPrompt, ClaimKind, Decided, Slot, check_offered, choices
from claimcheck.extract.text import Sentence, normalise
from claimcheck.language import nlp, places
from claimcheck.language.vocabulary.events import event_vocabulary
from claimcheck.llm import LLM
from claimcheck.llm.prompts import render
from claimcheck.models import EventFactClaim

if TYPE_CHECKING:
    from spacy.tokens import Token

MAX_TOKENS = 40
MAX_OPTIONS = 8
NONE = "none"
_VOCAB = event_vocabulary()
# Longer forms first: the alternation takes the first that matches at a position.
EVENT_VERBS = tuple(sorted((v.phrase for v in _VOCAB.fact_verbs), key=len, reverse=True))
# Verbs whose subject is what happened to: "the embassy sustained damage", "a group claimed
# responsibility", "the minister resigned".
_SUBJECT_ROLE = frozenset(v.phrase for v in _VOCAB.fact_verbs if v.role == "subject")
# A sentence that counts its victims ("killed at least 4") is a quantity claim already.
_COUNTED_VERBS = frozenset(v.phrase for v in _VOCAB.fact_verbs if v.counted)
# Verbs that say something only in the passive: "he was found guilty", "she was arrested";
# "investigators found" and "police arrested" name the actor, not what happened to whom.
_PASSIVE_ONLY = frozenset(v.phrase for v in _VOCAB.fact_verbs if v.role == "passive")
_VERB = re.compile(r"(?<![a-z])(" + "|".join(re.escape(v) for v in EVENT_VERBS) + r")(?![a-z])")
_CALL = re.compile(
    r"(?<![a-z])(?:(?:tele)?phone (?:call|conversation|talks?)|"
    r"spoke (?:by|on the|over the) (?:tele)?phone)(?![a-z])"
)
CALL_ACTION = "phone call"


@dataclass(frozen=True)
class FactCandidate:
    """A sentence and the event verb(s) one question to the model is about."""

    sentence: Sentence
    verbs: tuple[str, ...]


def verbs_in(sentence: Sentence) -> list[str]:
    return list(dict.fromkeys(_VERB.findall(normalise(sentence.text).lower())))


def fact_candidates(ctx: ArticleContext) -> list[FactCandidate]:
    """One question per event verb of a sentence that offers phrases no earlier verb did.

    "Residential buildings were burning, and a train was damaged" holds two facts; asked
    once, the model names one and the other is lost. A casualty verb counts only where no
    figure is given.
    """
    counted = {n.sentence.number for n in ctx.numbers}
    out = []
    for sentence in ctx.sentences:
        offered: set[tuple[int, int]] = set()
        for verb in verbs_in(sentence):
            if verb in _COUNTED_VERBS and sentence.number in counted:
                continue
            phrases = set(target_options(sentence, verb))
            if phrases and not phrases <= offered:
                out.append(FactCandidate(sentence, (verb,)))
                offered |= phrases
    return out


def call_fact(ctx: ArticleContext) -> EventFactClaim | None:
    """The first phone call the article mentions, found by code alone (one per article)."""
    for sentence in ctx.sentences:
        m = _CALL.search(normalise(sentence.text).lower())
        if m is None:
            continue
        start, end = sentence.start + m.start(), sentence.start + m.end()
        target = ctx.article.text[start:end]
        return EventFactClaim(
            id="pending",
            article_id=ctx.article.id,
            span=ctx.article.span(sentence.start, sentence.end),
            statement="a phone call took place",
            action=CALL_ACTION,
            target=target,
            place=None,
        )
    return None


_STOP = frozenset(
    """
    and or but which while as after when where that who with during amid since because how
    whether if what why though although said says told claimed added according reported
    """.split()  # noqa: SIM905 - a word list reads better as text
)
# Between a passive verb and its subject: "the airport was said to have been set on fire".
_AUXILIARY = frozenset(
    """
    was were is are be been being had have has to said reported reportedly also all already
    """.split()  # noqa: SIM905 - a word list reads better as text
)
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are)\s+(?:(?:also|all|already|\w+ly)\s+)?$")
_TRAILING = frozenset(
    "of the a an in on by to at near from for into over across , and or".split()  # noqa: SIM905
)
_PRONOUNS = frozenset(
    "it its they them this that these those he she we you which who one".split()  # noqa: SIM905
)
# Objects that make "struck a gloomy note" or "hit a record" figures of speech, not damage.
_FIGURATIVE = _VOCAB.figurative
# A verb in a later list item means a new clause began: "hit a power station and damaged 12
# homes", "footage showed smoke, and the airport was set on fire".
_VERB_LIKE = re.compile(r"\w+ed$|" + "|".join(re.escape(v.split()[0]) + "$" for v in EVENT_VERBS))
MAX_WORDS = 7
MAX_LIST_WORDS = 12
# Words a list item other than the first read may have; more means a new clause began.
MAX_ITEM_WORDS = 5


def target_options(sentence: Sentence, verb: str) -> list[tuple[int, int]]:
    """Phrases (offsets into the article) that may be what ``verb`` acted on.

    The object after the verb, and for a passive verb the noun phrase before it, each both as
    a short phrase and, where the text lists several things ("schools, homes and railway
    lines"), as the whole list. Offered to the model as a closed list, so the target is an
    exact slice of the text by construction.
    """
    norm = normalise(sentence.text)
    out: list[tuple[int, int]] = []
    for m in re.finditer(rf"(?<![a-z]){re.escape(verb)}(?![a-z])", norm.lower()):
        if _hypothetical(norm, m.start()):
            continue  # "feared that prices would hit earnings": nothing happened yet
        spots = [] if verb in _SUBJECT_ROLE | _PASSIVE_ONLY else [(m.end(), True)]
        cut = _PASSIVE.search(norm[: m.start()])
        if cut is not None:
            spots.append((cut.start(), False))
        elif verb in _SUBJECT_ROLE:
            spots.append((m.start(), False))
        before = len(out)
        for at, forward in spots:
            for lists in (True, False):
                found = _phrase(norm, at, forward=forward, lists=lists)
                if found is not None and _plausible(norm, found):
                    out.append(found)
        if len(out) == before and verb in _SUBJECT_ROLE:
            # "The banned Communist Party of India (Maoist) claimed responsibility": a name
            # with brackets stops the word walk; the parse's subject of the verb does not.
            found = _parsed_subject(norm, m.start())
            if found is not None and _plausible(norm, found):
                out.append(found)
    return [(sentence.start + a, sentence.start + b) for a, b in dict.fromkeys(out)]


def _verb_at(norm: str, at: int) -> Token | None:
    """The parse's token starting at offset ``at`` of the sentence."""
    return next((t for t in nlp.parse(norm) if t.idx == at), None)


def _hypothetical(norm: str, at: int) -> bool:
    """Whether the verb starting at ``at`` carries a modal ("would hit", "could collapse",
    "may have been damaged"): a possibility or a fear, not a happening."""
    verb = _verb_at(norm, at)
    return verb is not None and any(c.dep_ == "aux" and c.tag_ == "MD" for c in verb.children)


def _parsed_subject(norm: str, at: int) -> tuple[int, int] | None:
    """The subject the parse gives the verb starting at offset ``at``: its whole phrase."""
    verb = _verb_at(norm, at)
    if verb is None:
        return None
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None:
        return None
    start, end = subject.left_edge.idx, subject.right_edge.idx + len(subject.right_edge.text)
    return start, end


def _plausible(norm: str, span: tuple[int, int]) -> bool:
    """Not a bare pronoun ("it was damaged": the thing is named elsewhere) nor a figure of
    speech ("struck a gloomy note")."""
    words = re.findall(r"[\w'-]+", norm[span[0] : span[1]].lower())
    return bool(words) and words[-1] not in _PRONOUNS and not _FIGURATIVE & set(words)


def _phrase(norm: str, at: int, *, forward: bool, lists: bool = False) -> tuple[int, int] | None:
    """The noun phrase starting at ``at`` (forward) or ending there (backward), or None.

    With ``lists``, the phrase runs on through commas and one "and"/"or", so "schools, homes
    and railway lines" is taken whole; without, it stops at the first comma or conjunction.
    """
    # A figure's thousands separator and decimal point are inside one word ("5,000 buildings").
    words = list(re.finditer(r"\d[\d,.]*\d|[\w'-]+|[,.;:!?()\"]", norm))
    seq = (
        [w for w in words if w.start() >= at]
        if forward
        else [w for w in reversed(words) if w.end() <= at]
    )
    taken: list[re.Match[str]] = []
    joined = False  # passed the list's "and"/"or"
    item_start = 0  # index in ``taken`` where the current list item begins
    limit = MAX_LIST_WORDS if lists else MAX_WORDS
    for w in seq:
        token = w.group().lower()
        if not forward and not taken and token in _AUXILIARY:
            continue
        if (
            lists
            and taken
            and (
                (token == "," and not (forward and joined))
                or (token in ("and", "or") and not joined)
            )
        ):
            joined = joined or token != ","
            taken.append(w)
            item_start = len(taken)
            continue
        if not token[0].isalnum() or token in _STOP or len(taken) >= limit:
            break
        if item_start and (len(taken) - item_start >= MAX_ITEM_WORDS or _VERB_LIKE.match(token)):
            # A clause ("... and damaged 12 homes"), not a list item: back to before the
            # separator.
            del taken[item_start - 1 :]
            break
        taken.append(w)
    while taken and taken[-1].group().lower() in _TRAILING:
        taken.pop()
    if not taken:
        return None
    if lists and not (joined and any(t.group().lower() in ("and", "or") for t in taken)):
        return None  # no list: the short phrase says the same
    first, last = (taken[0], taken[-1]) if forward else (taken[-1], taken[0])
    return first.start(), last.end()


def classify_fact(ctx: ArticleContext, candidate: FactCandidate, llm: LLM) -> EventFactClaim | None:
    """Ask which of the code-found phrases one flagged sentence says something happened to."""
    sentence = candidate.sentence
    options = fact_options(ctx, candidate)
    if not options:
        return None
    labels = [*list(options)[:MAX_OPTIONS], NONE]
    schema = fact_answer_model(labels)
    prompt = render(
        "extract_fact",
        article=ctx.window_text(sentence),
        number=sentence.number,
        sentence=one_line(sentence.text),
        options=", ".join(f'"{o}"' for o in labels),
    )
    answer = llm.parse(schema, prompt, sampling=sampling(MAX_TOKENS))
    return fact_claim(ctx, candidate, options, value_of(answer, "target"))


FactOptions = dict[str, tuple[str, tuple[int, int]]]


def fact_options(ctx: ArticleContext, candidate: FactCandidate) -> FactOptions:
    """The phrases the model may pick, labelled "phrase (verb)", with verb and offsets."""
    options: FactOptions = {}
    for verb in candidate.verbs:
        for start, end in target_options(candidate.sentence, verb):
            phrase = " ".join(ctx.article.text[start:end].split())
            options.setdefault(f"{phrase} ({verb})", (verb, (start, end)))
    return options


def fact_answer_model(labels: list[str], *, suffix: str = "") -> type[BaseModel]:
    """The answer to one sentence's question; ``suffix`` names a slot of a batched answer."""
    return answer_model(
        f"FactAnswer{suffix}", target=(choice_enum(f"TargetChoice{suffix}", labels), ...)
    )


def fact_claim(
    ctx: ArticleContext, candidate: FactCandidate, options: FactOptions, chosen: str
) -> EventFactClaim | None:
    """The claim for the option chosen for ``candidate``; None for "none"."""
    if chosen == NONE:
        return None
    sentence = candidate.sentence
    verb, (start, end) = options[chosen]
    target = ctx.article.text[start:end]
    return EventFactClaim(
        id="pending",
        article_id=ctx.article.id,
        span=ctx.article.span(sentence.start, sentence.end),
        statement=f"{' '.join(target.split())}: {verb}",
        action=verb,
        target=target,
        place=place_in(target) or place_in(sentence.text),
    )


def place_in(text: str) -> str | None:
    """The first known city named in ``text``, else None.

    Countries are not used: in "Russia struck Kyiv" the first country is the attacker.
    """
    for m in re.finditer(r"\b[A-Z][a-z]+(?:-[A-Z][a-z]+)?\b", normalise(text)):
        if places.is_city(m.group()):
            return m.group()
    return None


# --------------------------------------------------------------------------- the kind


def _fact_line(
    ctx: ArticleContext, candidate: FactCandidate
) -> Slot[EventFactClaim] | Decided[EventFactClaim]:
    options = fact_options(ctx, candidate)
    if not options:
        return Decided(lambda: None)  # the single question asks nothing either
    labels = [*list(options)[:MAX_OPTIONS], NONE]
    return Slot(
        sentence=candidate.sentence,
        text=f"target: one of {choices(labels)}",
        model=lambda suffix: fact_answer_model(labels, suffix=suffix),
        claim=lambda answer: fact_claim(ctx, candidate, options, str(value_of(answer, "target"))),
        check=partial(check_offered, "target", labels),
    )


#: Event facts: what a sentence with an action verb says happened, and to what.
FACTS: ClaimKind[FactCandidate, EventFactClaim] = ClaimKind(
    name="facts",
    candidates=fact_candidates,
    ask=classify_fact,
    slot=_fact_line,
    what=lambda candidate: f"sentence {candidate.sentence.number}",
    batch=BatchPrompt("extract_fact_batch", "extract_fact", "S", "FactBatch", MAX_TOKENS),
)
