"""Quotations: code finds the quoted words and, where the parse is unambiguous, the speaker.

The speaker is the subject of the speech verb that governs the quotation (claimcheck/language/nlp.py
parse); a pronoun is resolved only when one person is named just before. When the parse
leaves it open, the model picks the speaker from a closed list of the people and bodies the
article names; outlets that relay words are never on it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache, partial
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from claimcheck.extract.candidates import QuoteCandidate, find_quotes, mentions_of, surname
from claimcheck.extract.context import (
    ArticleContext,
    answer_model,
    choice_enum,
    one_line,
    sampling,
    value_of,
)
from claimcheck.extract.kind import BatchPrompt, ClaimKind, Decided, Slot, choices
from claimcheck.extract.text import Sentence
from claimcheck.language import nlp
from claimcheck.language.names import same_person
from claimcheck.language.vocabulary.speakers import speaker_words
from claimcheck.llm import LLM
from claimcheck.llm.prompts import render
from claimcheck.models import QuoteClaim

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

MAX_TOKENS = 24
UNKNOWN = "unknown"
#: Quotes this short with no known speaker are scare quotes ("root causes"), not quotations.
MIN_WORDS_WITHOUT_SPEAKER = 4


def speakers(ctx: ArticleContext, candidate: QuoteCandidate) -> list[str]:
    """People and bodies named in the article, nearest mention to the quotation first.

    Outlets and platforms that relay words ("Reuters", "the New York Times", "X") are
    never offered: they carry a quotation, they do not speak it.
    """
    return [name for name, _ in _ranked(ctx, candidate)]


def attributed_speaker(ctx: ArticleContext, candidate: QuoteCandidate) -> str | None:
    """The speaker the parse gives: the subject of the speech verb governing the quotation.

    "'...,' Omar Abdullah told the New York Times" and "X was quoted by Reuters as
    saying" give the person, never the outlet (an object or agent, not the subject). A
    pronoun subject ("he said") is the one person named from two sentences before up to
    the verb, when exactly one is; otherwise, and when no speech verb governs the
    quotation, None: the model is asked.
    """
    doc = nlp.parse(ctx.article.text)
    verb = _speech_verb(doc, candidate)
    if verb is None:
        return None
    subject = _subject(verb)
    if subject is None:
        # Known parser failure: an inverted subject after the verb ("..., wrote Andrii
        # Sybiha on X") is read as its object. The person right after the verb speaks.
        after = doc[verb.i + 1] if verb.i + 1 < len(doc) else None
        if after is not None and not _inside(after, candidate):
            name = _person_at(ctx, after)
            if name is not None:
                return name
        return None
    return _speaker_of(ctx, candidate, subject, verb)


def _inside(token: Token, candidate: QuoteCandidate) -> bool:
    return candidate.start <= token.idx < candidate.end


def _speech_verb(doc: Doc, candidate: QuoteCandidate) -> Token | None:
    """The nearest speech verb outside the quotation that governs words inside it."""
    verbs = speaker_words().speech_verbs
    inner = [t for t in doc if _inside(t, candidate) and not t.is_punct]
    for token in inner:
        node = token
        for _ in range(8):
            if node.head.i == node.i:
                break
            node = node.head
            if _inside(node, candidate):
                continue
            if node.pos_ in ("VERB", "AUX") and node.lemma_.lower() in verbs:
                return node
    return None


# Dependencies through which a speech verb's subject is inherited from a governing verb:
# "was quoted by Reuters as saying", "went on to say".
_CLIMB = frozenset({"xcomp", "pcomp", "prep", "advcl", "conj", "acl"})


def _subject(verb: Token) -> Token | None:
    node = verb
    hearers = speaker_words().hearer_verbs
    for _ in range(4):
        for child in node.children:
            if child.dep_ == "nsubjpass" and node.lemma_.lower() in hearers:
                # "Kommersant was told by a source": the subject heard it; the agent spoke.
                return _agent(node)
            if child.dep_ in ("nsubj", "nsubjpass"):
                return child
        if node.dep_ not in _CLIMB or node.head.i == node.i:
            return None
        node = node.head
    return None


def _agent(verb: Token) -> Token | None:
    """The noun of a passive verb's by-phrase ("was told *by a source*"), if any."""
    for child in verb.children:
        if child.dep_ == "agent":
            for noun in child.children:
                if noun.dep_ == "pobj":
                    return noun
    return None


_PRONOUNS = frozenset({"he", "she"})
_BODY_PRONOUNS = frozenset({"it", "they"})


def _speaker_of(
    ctx: ArticleContext, candidate: QuoteCandidate, subject: Token, verb: Token
) -> str | None:
    words = speaker_words()
    if subject.lower_ in _PRONOUNS or subject.lower_ in _BODY_PRONOUNS:
        # "Trump said ...: '...,' he said" and "Moscow described it as what it called
        # '...'": a pronoun whose clause hangs under a verb with a named subject is that
        # subject; else, for he/she, the one person named just before.
        governing = _governing_subject(ctx, candidate, verb)
        if governing is not None:
            return governing
        if subject.lower_ in _PRONOUNS:
            return _antecedent(ctx, candidate, verb.idx)
        return None
    name = _person_at(ctx, subject)
    if name is not None:
        return name
    phrase = subject.doc[subject.left_edge.i : subject.i + 1].text
    if words.is_outlet(phrase) or words.is_outlet(subject.text):
        return None
    if words.is_body(phrase) or words.is_body(subject.text):
        return phrase
    if subject.ent_type_ == "GPE" and len(list(subject.children)) == 0:
        return subject.text  # a capital or country standing for its government
    return None


def _governing_subject(ctx: ArticleContext, candidate: QuoteCandidate, verb: Token) -> str | None:
    """The speaker named as the subject of a verb above ``verb`` in the same sentence."""
    node = verb
    for _ in range(6):
        if node.head.i == node.i:
            return None
        node = node.head
        for child in node.children:
            if child.dep_ in ("nsubj", "nsubjpass") and child.lower_ not in (
                _PRONOUNS | _BODY_PRONOUNS
            ):
                return _speaker_of(ctx, candidate, child, node)
    return None


def _person_at(ctx: ArticleContext, token: Token) -> str | None:
    """The person (by the article's full name) whose mention covers ``token``."""
    for person in ctx.people:
        if person.start <= token.idx < person.end:
            return person.name
    if token.ent_type_ == "PERSON":
        ent = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
        if ent is not None and not speaker_words().is_outlet(ent.text):
            full = [p.name for p in ctx.people if len(p.name.split()) > 1]
            matches = {f for f in full if same_person(ent.text, f)}
            return matches.pop() if len(matches) == 1 else ent.text
    if token.pos_ in ("PROPN", "NOUN") and token.text[:1].isupper():
        # Known tagger failure: a surname alone read as an ORG ("Zelenskyy said"). It is
        # the person the article names in full when exactly one full name ends with it.
        matches = {
            p.name
            for p in ctx.people
            if len(p.name.split()) > 1 and same_person(token.text, p.name)
        }
        if len(matches) == 1:
            return matches.pop()
    return None


def _antecedent(ctx: ArticleContext, candidate: QuoteCandidate, before: int) -> str | None:
    """The one person named, outside quotations, from two sentences before the quote's
    sentence up to ``before``, or of several the last subject when it was speaking; None
    otherwise."""
    first = ctx.sentences[max(0, candidate.sentence.number - 3)].start
    quotes = find_quotes(ctx.article.text, ctx.sentences)
    found = [
        (name, offset)
        for name, offsets in mentions_of(ctx.article.text, ctx.people).items()
        for offset in offsets
        if first <= offset < before and not any(q.start <= offset < q.end for q in quotes)
    ]
    named = {name for name, _ in found}
    if len(named) <= 1:
        return named.pop() if named else None
    # "Andrew Mahaleris, a spokesman for Gov. Greg Abbott, said ...; '...,' he said": of
    # several people named, "he" is the last one who was a subject, when that subject was
    # speaking ("Cameron struck a conciliatory tone. He said ..." is left to the model)
    subjects = [(offset, verb) for _, offset in found if (verb := _subject_verb(ctx, offset))]
    if not subjects:
        return None
    offset, verb = max(subjects)
    if verb.lemma_.lower() not in speaker_words().speech_verbs:
        return None
    return next(name for name, at in found if at == offset)


def _subject_verb(ctx: ArticleContext, offset: int) -> Token | None:
    """The verb whose subject the name mentioned at ``offset`` is, or None."""
    doc = nlp.parse(ctx.article.text)
    token = next((t for t in doc if t.idx <= offset < t.idx + len(t.text)), None)
    steps = 0
    while token is not None and token.dep_ in ("compound", "flat") and steps < 4:
        token, steps = token.head, steps + 1
    return token.head if token is not None and token.dep_ == "nsubj" else None


def _speaker_mentions(ctx: ArticleContext) -> Iterator[tuple[str, int]]:
    """Every mention of a possible speaker: people, bodies, capitals standing for a
    government, with their offsets in the article."""
    for name, offsets in mentions_of(ctx.article.text, ctx.people).items():
        for offset in offsets:
            yield name, offset
    for match in _bodies_pattern().finditer(ctx.norm):
        yield match.group(0), match.start()
    words = speaker_words()
    for token in nlp.parse(ctx.article.text):
        if (
            token.ent_type_ == "GPE"
            and token.dep_ == "nsubj"
            and token.head.lemma_.lower() in words.speech_verbs
        ):
            yield token.text, token.idx


@cache
def _bodies_pattern() -> re.Pattern[str]:
    """Bodies from the vocabulary, with an optional leading 'the' and a possessive place."""
    bodies = sorted(speaker_words().bodies, key=len, reverse=True)
    alternatives = "|".join(re.escape(b).replace("\\ ", r"\s+") for b in bodies)
    return re.compile(
        rf"(?<!\w)(?:[Tt]he\s+)?(?:[A-Z][\w-]*'s\s+)?(?:{alternatives})(?!\w)", re.IGNORECASE
    )


_PRONOUN_SAID = re.compile(r"\W*(?:he|she)\s+(?:said|says|added|continued|told)\b", re.IGNORECASE)


def continued_speaker(ctx: ArticleContext, candidate: QuoteCandidate) -> str | None:
    """The speaker of a quotation that stands alone after its speaker was named.

    In '"... because I don't think he's there," Trump said. "I don't think he's looking to
    stop."' the second sentence is Trump still talking; the small model was seen to credit
    the person the words are about. Code carries the attribution over when the quotation is
    all its sentence holds (or all but "he said") and the sentence before holds a quotation
    with a named speaker, or introduces it ("Omar Abdullah wrote on X:").
    """
    sentence = candidate.sentence
    outside = (
        ctx.article.text[sentence.start : candidate.start]
        + ctx.article.text[candidate.end : sentence.end]
    )
    if candidate.end > sentence.end:
        return None  # a quotation running over sentences: its speaker is named after it
    if sentence.number < 2 or (re.search(r"\w", outside) and not _PRONOUN_SAID.match(outside)):
        return None
    previous = ctx.sentences[sentence.number - 2]
    before = [
        q for q in find_quotes(ctx.article.text, [previous]) if previous.contains(q.start, q.end)
    ]
    if before:
        return attributed_speaker(ctx, before[-1])
    if previous.text.rstrip().endswith(":"):
        return _introducer(ctx, previous, candidate)
    return None


def _introducer(ctx: ArticleContext, previous: Sentence, candidate: QuoteCandidate) -> str | None:
    """The one speaker of the speech verbs of a sentence ending in a colon."""
    doc = nlp.parse(ctx.article.text)
    verbs = speaker_words().speech_verbs
    found = set()
    for token in doc:
        if previous.start <= token.idx < previous.end and token.lemma_.lower() in verbs:
            subject = _subject(token)
            name = None if subject is None else _speaker_of(ctx, candidate, subject, token)
            if name is not None:
                found.add(name)
    return found.pop() if len(found) == 1 else None


# An unnamed speaker described by role: "Moscow's chargé d'affaires in Turkey told reporters
# that the '...'".
_DESCRIBED = re.compile(
    r"((?:(?:the|a|an)\s+)?(?:[A-Z][\w'\u2019-]*\s+){0,3}(?:[a-z][\w'\u2019-]*\s+){0,2}?"
    r"(?:spokes(?:man|woman|person)|charg\u00e9 d'affaires|ambassador|envoy|official|officials|"
    r"adviser|advisor|aide|representative|negotiator)"
    r"(?:\s+(?:in|to|for|at)\s+(?:the\s+)?[A-Z][\w-]*)?)"
    r"\s+(?:told reporters|told|said|says|added|warned)\b[^.!?\"\u201c]{0,30}$"
)


def described_speaker(ctx: ArticleContext, candidate: QuoteCandidate) -> str | None:
    """The description of an unnamed speaker who is the subject of the speech verb right
    before the quotation, e.g. "Moscow's chargé d'affaires in Turkey"; else None."""
    before = ctx.norm[candidate.sentence.start : candidate.start]
    m = _DESCRIBED.search(before)
    if m is None:
        words = _described_subject(ctx, candidate)
    else:
        start = candidate.sentence.start + m.start(1)
        words = ctx.article.text[start : candidate.sentence.start + m.end(1)].split()
    while words and words[0].lower() in _CONNECTIVES:
        words.pop(0)
    if len([w for w in words if w.lower() not in ("the", "a", "an")]) < 2:
        return None  # "The envoy said": a back-reference to someone named before
    return " ".join(words)


def _described_subject(ctx: ArticleContext, candidate: QuoteCandidate) -> list[str]:
    """The words of a common-noun subject holding a title noun of the speech verb that
    governs the quotation, wherever the verb stands ("'...,' a senior police officer in
    the town told a local paper"); [] when there is none."""
    doc = nlp.parse(ctx.article.text)
    verb = _speech_verb(doc, candidate)
    subject = None if verb is None else _subject(verb)
    if subject is None or subject.pos_ != "NOUN" or _inside(subject, candidate):
        return []
    first = subject.left_edge.i
    if doc[first].dep_ == "det" and first < subject.i:
        first += 1  # "a senior officer": the description without its article
    phrase = doc[first : subject.right_edge.i + 1]
    words = speaker_words()
    if any(t.ent_type_ == "PERSON" for t in phrase) or words.is_outlet(phrase.text):
        return []
    if not any(words.is_title(t.text) for t in phrase):
        return []
    return phrase.text.split()


_CONNECTIVES = frozenset("but and meanwhile later however still also yet so then".split())  # noqa: SIM905


_SPEECH_BONUS = 10_000


def _ranked(ctx: ArticleContext, candidate: QuoteCandidate) -> list[tuple[str, int]]:
    """Candidate speakers with their distance to the quotation (speech-verb subjects < 0).

    Mentions inside the quotation do not count: in "he said 'Putin is lying'" Putin is the
    subject of the quote, not its speaker.
    """
    distance: dict[str, int] = {}

    def gap(offset: int) -> int | None:
        if candidate.start <= offset < candidate.end:
            return None
        return candidate.start - offset if offset < candidate.start else offset - candidate.end

    sentence = candidate.sentence
    doc = nlp.parse(ctx.article.text)
    words = speaker_words()
    subjects = {
        t.idx
        for t in doc
        if t.dep_ in ("nsubj", "nsubjpass") and t.head.lemma_.lower() in words.speech_verbs
    }
    mentions = list(_speaker_mentions(ctx))

    def add(name: str, offset: int) -> None:
        d = gap(offset)
        if d is None or words.is_outlet(name):
            return
        # The subject of a speech verb in the quote's own sentence outranks mere nearness.
        end = offset + len(name)
        if sentence.start <= offset < sentence.end and any(offset <= s < end for s in subjects):
            d -= _SPEECH_BONUS
        distance[name] = min(distance.get(name, 10**9), d)

    for name, offset in mentions:
        add(name, offset)
    return sorted(distance.items(), key=lambda item: item[1])[:8]


def quote_checker(ctx: ArticleContext, candidate: QuoteCandidate) -> Any:
    """The code check every speaker answer must pass, asked alone or batched."""
    near = ctx.near(candidate.sentence, before=2, after=1).lower()
    quoted = candidate.text.lower()

    def check(answer: BaseModel) -> None:
        speaker = value_of(answer, "speaker")
        if speaker == UNKNOWN:
            return
        key = (
            surname(speaker).lower()
            if speaker[:1].isupper() and " " in speaker
            else speaker.lower()
        )
        # The speaker must be named around the quote (a pronoun may point back two sentences).
        if key not in near.replace(quoted, " "):
            raise ValueError(
                f"{speaker!r} is not named near sentence [{candidate.sentence.number}]; "
                'choose a speaker named next to the quotation, or "unknown"'
            )

    return check


def classify_quote(ctx: ArticleContext, candidate: QuoteCandidate, llm: LLM) -> QuoteClaim | None:
    """Ask who said one quotation; scare quotes without a speaker are dropped."""
    speaker, described = code_speaker(ctx, candidate)
    if speaker is None and described is None:
        speaker = _ask_speaker(ctx, candidate, llm)
    return quote_claim(ctx, candidate, speaker, described)


def code_speaker(ctx: ArticleContext, candidate: QuoteCandidate) -> tuple[str | None, str | None]:
    """The speaker code reads from the parse, else the description of an unnamed one;
    (None, None) when the model must be asked."""
    speaker = attributed_speaker(ctx, candidate) or continued_speaker(ctx, candidate)
    described = None if speaker is not None else described_speaker(ctx, candidate)
    return speaker, described


def speaker_options(ctx: ArticleContext, candidate: QuoteCandidate) -> list[str] | None:
    """The closed list the model picks a speaker from; None when there is nothing to ask.

    Words too few to be a quotation ("not unusual", "national security") whose speaker the
    parse cannot read are scare quotes, or fragments whose owner only a careful reader of
    the whole paragraph can tell: the small model was seen to guess wrong on most of them,
    so they are not asked and carry no claim.
    """
    if candidate.words < MIN_WORDS_WITHOUT_SPEAKER:
        return None
    options = speakers(ctx, candidate)
    return [*options, UNKNOWN]


def quote_answer_model(options: list[str], *, suffix: str = "") -> type[BaseModel]:
    """The answer to one quotation's question; ``suffix`` names a slot of a batched answer."""
    return answer_model(
        f"QuoteAnswer{suffix}", speaker=(choice_enum(f"SpeakerChoice{suffix}", options), ...)
    )


def quote_claim(
    ctx: ArticleContext, candidate: QuoteCandidate, speaker: str | None, described: str | None
) -> QuoteClaim | None:
    """The claim for a quotation given its speaker (from code or a checked answer)."""
    if speaker == UNKNOWN or speaker is None:
        speaker = None
        if candidate.words < MIN_WORDS_WITHOUT_SPEAKER and described is None:
            return None
    title = described
    for person in ctx.people:
        if person.name == speaker and person.titles:
            start, end = person.titles[0]
            title = ctx.article.text[start:end]
            break
    return QuoteClaim(
        id="pending",
        article_id=ctx.article.id,
        span=ctx.article.span(candidate.start, candidate.end),
        quote=candidate.text,
        speaker=speaker,
        speaker_title=title,
        direct=True,
    )


def _ask_speaker(ctx: ArticleContext, candidate: QuoteCandidate, llm: LLM) -> str | None:
    options = speaker_options(ctx, candidate)
    if options is None:
        return None
    schema = quote_answer_model(options)
    prompt = render(
        "extract_quote",
        article=ctx.window_text(candidate.sentence),
        number=candidate.sentence.number,
        sentence=one_line(candidate.sentence.text),
        quote=one_line(candidate.text),
        speakers=", ".join(f'"{s}"' for s in options),
    )
    answer = llm.parse(
        schema, prompt, sampling=sampling(MAX_TOKENS), check=quote_checker(ctx, candidate)
    )
    chosen: str = value_of(answer, "speaker")
    return chosen


# --------------------------------------------------------------------------- the kind


def _quotations(ctx: ArticleContext) -> list[QuoteCandidate]:
    return find_quotes(ctx.article.text, ctx.sentences)


def _quote_line(
    ctx: ArticleContext, candidate: QuoteCandidate
) -> Slot[QuoteClaim] | Decided[QuoteClaim]:
    """Only a quotation whose speaker code cannot read is asked."""
    speaker, described = code_speaker(ctx, candidate)
    if speaker is not None or described is not None:
        return Decided(partial(quote_claim, ctx, candidate, speaker, described))
    options = speaker_options(ctx, candidate)
    if options is None or options == [UNKNOWN]:
        # Nothing to ask, or one possible answer: the single path's answer is forced.
        return Decided(
            partial(quote_claim, ctx, candidate, None if options is None else UNKNOWN, None)
        )
    return Slot(
        sentence=candidate.sentence,
        text=f'the words "{one_line(candidate.text)}"; speaker: one of {choices(options)}',
        model=lambda suffix: quote_answer_model(options, suffix=suffix),
        claim=lambda answer: quote_claim(ctx, candidate, str(value_of(answer, "speaker")), None),
        check=quote_checker(ctx, candidate),
    )


#: Quotations: who said them, read by code where the parse tells, else asked.
QUOTES: ClaimKind[QuoteCandidate, QuoteClaim] = ClaimKind(
    name="quotes",
    candidates=_quotations,
    ask=classify_quote,
    slot=_quote_line,
    what=lambda candidate: "a quotation",
    batch=BatchPrompt("extract_quote_batch", "extract_quote", "Q", "QuoteBatch", MAX_TOKENS),
)
