"""LLM.parse: validation, bounded re-ask, usage, and the response cache around a backend."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from claimcheck.errors import ConfigError, RequestRejected, StructuredOutputError
from claimcheck.llm.backends.fake import FakeBackend
from claimcheck.llm.cache import ResponseCache
from claimcheck.llm.door import (
    FAILURE_TTL_SECONDS,
    LLM,
    REASK_TEMPERATURE,
    CompletionRequest,
    QuestionTally,
    Sampling,
    _Failure,
    cache_key,
    json_schema_for,
    tally,
)
from claimcheck.llm.prompts import PromptTemplate, RenderedPrompt, parse_template

FakeLLM = Callable[..., LLM]


class Casualties(BaseModel):
    killed: int
    injured: int


class CasualtiesWithNote(BaseModel):
    killed: int
    injured: int
    note: str = ""


GOOD = '{"killed": 4, "injured": 17}'
OTHER = '{"killed": 5, "injured": 20}'

TEMPLATE_TEXT = """---
id: test.casualties
version: {version}
variables: [text]
---
## system
You count people. {extra}
## user
{{{{ text }}}}
"""


def template(*, version: int = 1, extra: str = "Answer in JSON.") -> PromptTemplate:
    text = TEMPLATE_TEXT.format(version=version, extra=extra)
    return parse_template(text, path=Path("test.casualties.prompt"))


def prompt(
    text: str = "Four dead and seventeen hurt in the strike.",
    *,
    version: int = 1,
    extra: str = "Answer in JSON.",
) -> RenderedPrompt:
    return template(version=version, extra=extra).render(text=text)


def fake_of(llm: LLM) -> FakeBackend:
    assert isinstance(llm.backend, FakeBackend)
    return llm.backend


def test_valid_answer_is_returned_and_counted(fake_llm: FakeLLM) -> None:
    llm = fake_llm([GOOD])
    value = llm.parse(Casualties, prompt())
    assert value == Casualties(killed=4, injured=17)
    assert llm.usage.calls == 1
    assert llm.usage.reasks == 0
    request = fake_of(llm).requests[0]
    assert request.schema_name == "Casualties"
    assert request.json_schema == json_schema_for(Casualties)


def test_fenced_json_is_accepted(fake_llm: FakeLLM) -> None:
    llm = fake_llm([f"```json\n{GOOD}\n```"])
    assert llm.parse(Casualties, prompt()).killed == 4


def test_schema_violation_is_sent_back_and_reasked(fake_llm: FakeLLM) -> None:
    llm = fake_llm(['{"killed": "four"}', GOOD])
    value = llm.parse(Casualties, prompt())
    assert value.injured == 17
    assert llm.usage.calls == 2
    assert llm.usage.reasks == 1
    second = fake_of(llm).requests[1].messages
    # The original conversation, the bad answer, then the error.
    assert second[: len(prompt().messages)] == prompt().messages
    assert second[-2].role == "assistant"
    assert second[-2].content == '{"killed": "four"}'
    assert second[-1].role == "user"
    assert "killed" in second[-1].content
    assert "injured" in second[-1].content  # the missing field is named


def test_reask_samples_instead_of_repeating_the_greedy_answer(fake_llm: FakeLLM) -> None:
    llm = fake_llm(['{"killed": "four"}', '{"killed": "four"}', GOOD])
    llm.parse(Casualties, prompt())
    samplings = [r.sampling for r in fake_of(llm).requests]
    assert samplings[0].temperature == 0.0
    assert [s.temperature for s in samplings[1:]] == [REASK_TEMPERATURE] * 2
    # Seeded per attempt: a rerun asks exactly the same, and the two re-asks differ.
    assert [s.seed for s in samplings] == [0, 1, 2]


def test_check_rejection_is_sent_back_and_reasked(fake_llm: FakeLLM) -> None:
    def no_more_than_total(value: Casualties) -> None:
        if value.killed > 4:
            raise ValueError("killed exceeds the four deaths stated in the text")

    llm = fake_llm([OTHER, GOOD])
    value = llm.parse(Casualties, prompt(), check=no_more_than_total)
    assert value.killed == 4
    assert llm.usage.reasks == 1
    assert "four deaths stated" in fake_of(llm).requests[1].messages[-1].content


def test_gives_up_after_the_bound(fake_llm: FakeLLM) -> None:
    llm = fake_llm(["nope", "still nope", "{}", GOOD], max_reasks=2)
    with pytest.raises(StructuredOutputError, match="after 3 tries"):
        llm.parse(Casualties, prompt())
    assert llm.usage.calls == 3
    assert len(fake_of(llm).requests) == 3  # the fourth (good) answer was never asked for


def test_usage_is_summed_over_calls(fake_llm: FakeLLM) -> None:
    llm = fake_llm(["bad", GOOD, OTHER])
    llm.parse(Casualties, prompt("first"))
    llm.parse(Casualties, prompt("second"))
    requests = fake_of(llm).requests
    expected_prompt = sum(sum(len(m.content.split()) for m in r.messages) for r in requests)
    assert llm.usage.calls == 3
    assert llm.usage.reasks == 1
    assert llm.usage.prompt_tokens == expected_prompt
    assert llm.usage.completion_tokens == len(["bad"]) + 4 + 4
    assert llm.usage.total_tokens == llm.usage.prompt_tokens + llm.usage.completion_tokens


def test_cached_second_call_makes_no_backend_call(fake_llm: FakeLLM) -> None:
    llm = fake_llm([GOOD], cache=True)
    first = llm.parse(Casualties, prompt())
    second = llm.parse(Casualties, prompt())
    assert first == second
    assert len(fake_of(llm).requests) == 1
    assert llm.usage.calls == 1
    assert llm.usage.cache_hits == 1


def test_cache_survives_a_new_llm_on_the_same_directory(tmp_path: Path) -> None:
    first = LLM(FakeBackend([GOOD]), cache=ResponseCache(tmp_path))
    first.parse(Casualties, prompt())
    backend = FakeBackend([])
    again = LLM(backend, cache=ResponseCache(tmp_path))
    assert again.parse(Casualties, prompt()).killed == 4
    assert backend.requests == []


def test_only_valid_answers_are_cached(fake_llm: FakeLLM) -> None:
    llm = fake_llm(["bad", GOOD], cache=True)
    llm.parse(Casualties, prompt())
    assert llm.cache is not None
    assert llm.cache.iter_values() == [GOOD]


def test_an_unanswerable_question_is_remembered_so_a_rerun_does_not_pay_again(
    tmp_path: Path,
) -> None:
    first = LLM(FakeBackend(["nope", "still nope"]), cache=ResponseCache(tmp_path), max_reasks=1)
    with pytest.raises(StructuredOutputError, match="after 2 tries"):
        first.parse(Casualties, prompt())
    backend = FakeBackend([GOOD])
    again = LLM(backend, cache=ResponseCache(tmp_path), max_reasks=1)
    with pytest.raises(StructuredOutputError, match="remembered from an earlier run"):
        again.parse(Casualties, prompt())
    assert backend.requests == []
    assert again.usage.cache_hits == 1 and again.usage.calls == 0


def test_a_remembered_failure_is_asked_again_when_more_tries_are_allowed(
    tmp_path: Path,
) -> None:
    first = LLM(FakeBackend(["nope"]), cache=ResponseCache(tmp_path), max_reasks=0)
    with pytest.raises(StructuredOutputError):
        first.parse(Casualties, prompt())
    patient = LLM(FakeBackend(["nope", GOOD]), cache=ResponseCache(tmp_path), max_reasks=2)
    assert patient.parse(Casualties, prompt()).killed == 4
    # The answer replaced the failure: the next run gets it from the cache.
    later = LLM(FakeBackend([]), cache=ResponseCache(tmp_path), max_reasks=0)
    assert later.parse(Casualties, prompt()).killed == 4


def test_a_remembered_failure_is_checked_again_when_the_checks_change(tmp_path: Path) -> None:
    def strict(value: Casualties) -> None:
        if value.killed > 3:
            raise ValueError("too many")

    first = LLM(FakeBackend([GOOD, GOOD]), cache=ResponseCache(tmp_path), max_reasks=1)
    with pytest.raises(StructuredOutputError):
        first.parse(Casualties, prompt(), check=strict)
    # Still failing under the same check, without asking.
    same = LLM(FakeBackend([]), cache=ResponseCache(tmp_path), max_reasks=1)
    with pytest.raises(StructuredOutputError, match="remembered"):
        same.parse(Casualties, prompt(), check=strict)
    # The check was fixed: a remembered answer now passes, and is kept as the answer.
    fixed = LLM(FakeBackend([]), cache=ResponseCache(tmp_path), max_reasks=1)
    assert fixed.parse(Casualties, prompt()).killed == 4
    assert fixed.cache is not None and fixed.cache.iter_values() == [GOOD]


def _key(**overrides: object) -> str:
    args: dict[str, object] = {
        "backend": "fake",
        "model": "m1",
        "prompt": prompt(),
        "schema": json_schema_for(Casualties),
        "sampling": Sampling(),
    }
    args.update(overrides)
    return cache_key(**args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "change",
    [
        {"backend": "openai-compatible|http://127.0.0.1:1/v1"},
        {"model": "m2"},
        {"prompt": prompt(version=2)},
        {"prompt": prompt(extra="Answer in strict JSON.")},
        {"prompt": prompt("Five dead.")},
        {"schema": json_schema_for(CasualtiesWithNote)},
        {"sampling": Sampling(temperature=0.7)},
        {"sampling": Sampling(max_tokens=100)},
        {"sampling": Sampling(seed=1)},
    ],
    ids=[
        "backend",
        "model",
        "prompt-version",
        "prompt-text",
        "input",
        "schema",
        "temperature",
        "max-tokens",
        "seed",
    ],
)
def test_cache_key_changes_with_everything_that_changes_the_answer(
    change: dict[str, object],
) -> None:
    assert _key() == _key()
    assert _key(**change) != _key()


def test_prompt_version_bump_alone_changes_the_key() -> None:
    # Same body text, only the header's version differs: still a different key.
    one, two = prompt(version=1), prompt(version=2)
    assert one.messages == two.messages
    assert _key(prompt=one) != _key(prompt=two)


def test_a_different_model_misses_the_cache(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    LLM(FakeBackend([GOOD], model="m1"), cache=cache).parse(Casualties, prompt())
    other = FakeBackend([OTHER], model="m2")
    assert LLM(other, cache=cache).parse(Casualties, prompt()).killed == 5
    assert len(other.requests) == 1


def test_sampling_override_misses_the_cache(fake_llm: FakeLLM) -> None:
    llm = fake_llm([GOOD, OTHER], cache=True)
    llm.parse(Casualties, prompt())
    value = llm.parse(Casualties, prompt(), sampling=Sampling(temperature=0.5))
    assert value.killed == 5
    assert fake_of(llm).requests[1].sampling.temperature == 0.5


@pytest.mark.parametrize("corrupt", ["{not json", '{"killed": "x"}', ""])
def test_corrupt_cache_entry_is_recomputed(tmp_path: Path, corrupt: str) -> None:
    cache = ResponseCache(tmp_path)
    backend = FakeBackend([GOOD, OTHER])
    llm = LLM(backend, cache=cache)
    llm.parse(Casualties, prompt())
    (key,) = list(cache._store.iterkeys())
    cache.set(key, corrupt)
    value = llm.parse(Casualties, prompt())
    assert value.killed == 5  # asked again, not served from the damaged entry
    assert len(backend.requests) == 2
    assert backend.requests[1].messages == prompt().messages  # from the start: no re-ask
    assert cache.get(key) == OTHER  # and the fresh answer replaced it


def test_cached_answer_failing_check_is_asked_again(fake_llm: FakeLLM) -> None:
    llm = fake_llm([OTHER, GOOD], cache=True)
    llm.parse(Casualties, prompt())

    def only_four(value: Casualties) -> None:
        if value.killed != 4:
            raise ValueError("the text says four")

    assert llm.parse(Casualties, prompt(), check=only_four).killed == 4
    requests = fake_of(llm).requests
    assert len(requests) == 2
    # The sound cached answer is sent back with the reason, as after any rejected answer:
    # the same question again would, at temperature 0, bring the same answer.
    assert requests[1].messages[: len(prompt().messages)] == prompt().messages
    assert requests[1].messages[len(prompt().messages)].content == OTHER
    assert "the text says four" in requests[1].messages[-1].content


def test_close_closes_the_backend(fake_llm: FakeLLM) -> None:
    llm = fake_llm([])
    with llm:
        pass
    assert fake_of(llm).closed


def test_requests_carry_the_sampling(fake_llm: FakeLLM) -> None:
    seen: list[CompletionRequest] = []

    def answer(request: CompletionRequest) -> str:
        seen.append(request)
        return GOOD

    llm = fake_llm(answer, sampling=Sampling(max_tokens=64, seed=7))
    llm.parse(Casualties, prompt())
    assert seen[0].sampling == Sampling(max_tokens=64, seed=7)


def test_usage_from_many_threads_loses_no_call() -> None:
    # A tiny switch interval makes threads interleave inside the meter's read-add-write,
    # so an unlocked meter drops counts here.
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        llm = LLM(FakeBackend(lambda request: GOOD))
        texts = [f"{n} dead in the strike." for n in range(400)]
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda t: llm.parse(Casualties, prompt(t)), texts))
    finally:
        sys.setswitchinterval(before)
    assert len(answers) == 400
    assert llm.usage.calls == 400
    assert llm.usage.completion_tokens == 400 * len(GOOD.split())


def test_a_negative_reask_bound_is_a_config_error() -> None:
    # With -1 the loop would never ask and report "did not fit" for a question never sent.
    with pytest.raises(ConfigError, match="max_reasks"):
        LLM(FakeBackend([GOOD]), max_reasks=-1)


def test_question_tally_says_when_answers_cannot_be_trusted() -> None:
    healthy = QuestionTally()
    for _ in range(10):
        healthy._count("extract_quantity", "asked")
    healthy._count("extract_quantity", "failed")
    assert healthy.unhealthy() is None  # one failure in ten is a lost claim, not a lost run
    healthy._count("extract_quantity", "failed")
    healthy._count("extract_quantity", "failed")
    assert "3 of 10 questions" in (healthy.unhealthy() or "")
    one_type = QuestionTally()
    for prompt in ["extract_quote"] * 2 + ["extract_quantity"] * 20:
        one_type._count(prompt, "asked")
    one_type._count("extract_quote", "failed")
    one_type._count("extract_quote", "failed")
    assert "every one of the 2 'extract_quote' questions" in (one_type.unhealthy() or "")


def test_a_remembered_failure_expires() -> None:
    failure = _Failure(tries=3, error="x", answers=(), at=1000.0)
    assert not failure.expired(now=1000.0 + FAILURE_TTL_SECONDS - 1)
    assert failure.expired(now=1000.0 + FAILURE_TTL_SECONDS + 1)


def test_json_schema_is_built_once_per_class() -> None:
    class Once(BaseModel):
        label: str

    first = json_schema_for(Once)
    assert first == Once.model_json_schema()
    assert json_schema_for(Once) is first  # pydantic's own call builds it anew each time


def test_a_refused_request_costs_its_question_not_the_run(fake_llm: FakeLLM) -> None:
    # A 400/413/422 is about one request (too long, a proxy's rule): that question goes
    # unanswered and counts in run health; the next question is still asked, and the refusal
    # is not remembered as the model's failure.
    refusals = iter([True, False, True])

    def responder(request: CompletionRequest) -> str:
        if next(refusals):
            raise RequestRejected("http://proxy/v1 rejected the request: too large")
        return GOOD

    llm = fake_llm(responder, cache=True)
    with tally() as counts:
        with pytest.raises(StructuredOutputError, match="rejected the request"):
            llm.parse(Casualties, prompt())
        assert llm.parse(Casualties, prompt("Two dead.")).killed == 4
    assert (counts.asked, counts.answered, counts.failed) == (2, 1, 1)
    assert llm.usage.failed == 1
    with pytest.raises(StructuredOutputError):  # asked again, refused again: not cached
        llm.parse(Casualties, prompt())
    assert len(fake_of(llm).requests) == 3


def _gated(answer: str) -> tuple[FakeBackend, threading.Event, threading.Event]:
    """A backend whose first request waits until the test opens the gate."""
    gate, arrived = threading.Event(), threading.Event()

    def respond(request: CompletionRequest) -> str:
        arrived.set()
        assert gate.wait(10), "the test never opened the gate"
        return answer

    return FakeBackend(respond), gate, arrived


def _ask_together(llm: LLM, gate: threading.Event, arrived: threading.Event, n: int) -> list[Any]:
    with ThreadPoolExecutor(n) as pool:
        first = pool.submit(llm.parse, Casualties, prompt())
        assert arrived.wait(10)
        others = [pool.submit(llm.parse, Casualties, prompt()) for _ in range(n - 1)]
        time.sleep(0.05)  # the others are waiting on the first one's flight by now
        gate.set()
        outcomes: list[Any] = []
        for future in [first, *others]:
            try:
                outcomes.append(future.result(10))
            except Exception as exc:  # each thread's outcome, compared below
                outcomes.append(exc)
    return outcomes


@pytest.mark.parametrize("cached", [False, True])
def test_one_question_asked_by_several_threads_at_once_is_sent_once(
    tmp_path: Path, cached: bool
) -> None:
    # Wire copy run word for word by several outlets gives identical questions about
    # identical sentences, asked by different articles' workers at the same moment.
    backend, gate, arrived = _gated(GOOD)
    llm = LLM(backend, cache=ResponseCache(tmp_path) if cached else None)
    outcomes = _ask_together(llm, gate, arrived, 4)
    assert outcomes == [Casualties(killed=4, injured=17)] * 4
    assert len(backend.requests) == 1
    assert llm.usage.calls == 1
    assert llm.usage.cache_hits == 3


def test_threads_waiting_on_a_question_that_fails_get_the_same_failure(tmp_path: Path) -> None:
    backend, gate, arrived = _gated('{"killed": "many"}')
    llm = LLM(backend, cache=ResponseCache(tmp_path), max_reasks=0)
    outcomes = _ask_together(llm, gate, arrived, 3)
    assert all(isinstance(o, StructuredOutputError) for o in outcomes)
    assert len({id(o) for o in outcomes}) == 3  # each thread raised its own object
    assert len({str(o) for o in outcomes}) == 1
    assert len(backend.requests) == 1


def test_a_waiting_thread_whose_own_check_rejects_the_answer_asks_for_itself() -> None:
    answers = iter([GOOD, OTHER])
    gate, arrived = threading.Event(), threading.Event()

    def respond(request: CompletionRequest) -> str:
        arrived.set()
        assert gate.wait(10)
        return next(answers)

    def no_four(value: Casualties) -> None:
        if value.killed == 4:
            raise ValueError("four is not allowed here")

    backend = FakeBackend(respond)
    llm = LLM(backend)
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(llm.parse, Casualties, prompt())
        assert arrived.wait(10)
        second = pool.submit(llm.parse, Casualties, prompt(), check=no_four)
        time.sleep(0.05)
        gate.set()
        assert first.result(10).killed == 4
        assert second.result(10).killed == 5
    # the second thread went on from the first one's answer instead of asking it again
    assert len(backend.requests) == 2
    assert GOOD in [m.content for m in backend.requests[1].messages]
