"""A fake OpenAI-compatible server on 127.0.0.1 that answers the schema it is asked for and
injects the faults real endpoints have, at configured rates or per schema.

:class:`FakeOpenAIServer` is the plain, scripted server of the backend tests (``script(...)``
or ``responder``). :class:`FaultInjector` is a responder for it that answers every request
with a valid instance of the request's JSON schema (:func:`instance_of`, a seeded RNG) and,
at the rates of a :class:`FaultPlan`, with one of the faults of issue 10 instead:

========================  ====================================================================
``Fault``                 what the client gets
========================  ====================================================================
``RATE_LIMIT``            429 with ``Retry-After``
``SERVER_ERROR``          500
``UNAVAILABLE``           503
``HANG``                  nothing for ``hang_seconds`` (a bounded sleep), then a valid answer
``DROP``                  the connection closed without a response
``DRIP``                  a valid answer whose body arrives one byte every ``drip_seconds``
``MALFORMED``             200 with a body that is not JSON
``SCHEMA_VIOLATION``      200, an answer that is valid JSON but not an instance of the schema
``LENGTH``                200, ``finish_reason: "length"`` and a cut-off answer
``EMPTY_CHOICES``         200, ``choices: []``
``ECHO_4XX``              400 whose error body echoes the request's headers (and the key)
========================  ====================================================================

Everything is bounded: server threads are daemons, a hang ends after ``hang_seconds`` or
when the server closes, and nothing listens beyond loopback. Counters (``injected`` by kind,
``answered``, per-body request counts) let a test account for every request it made.
"""

from __future__ import annotations

import json
import multiprocessing
import multiprocessing.queues
import os
import random
import threading
import time
import urllib.request
from collections import Counter, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# --------------------------------------------------------------------------- the server

#: GET this path of a server whose responder is a FaultInjector for its counters (JSON).
STATS_PATH = "/_stats"


@dataclass
class Reply:
    """One scripted answer of :class:`FakeOpenAIServer`."""

    status: int = 200
    content: str = '{"ok": true}'
    body: dict[str, Any] | None = None  # overrides the chat-completion body built from content
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (to provoke client timeouts)
    raw: bytes | None = None  # sent as the body as it is (a malformed body)
    drip: float = 0.0  # seconds between the body's bytes (a server that drips its answer)
    drop: bool = False  # close the connection without answering


@dataclass
class SeenRequest:
    """What the fake server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


def chat_completion(
    content: str, *, model: str = "fake-model", finish_reason: str = "stop"
) -> dict[str, Any]:
    """A ``chat.completion`` body with one choice holding ``content``."""
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 0,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": finish_reason,
            }
        ],
        "usage": {"prompt_tokens": 11, "completion_tokens": 3, "total_tokens": 14},
    }


def error_body(message: str, *, code: str = "error") -> dict[str, Any]:
    """An OpenAI-style error body."""
    return {"error": {"message": message, "type": "invalid_request_error", "code": code}}


class FakeOpenAIServer:
    """A threaded ``http.server`` speaking enough of ``/v1/chat/completions`` for tests.

    Answers come from ``script(...)`` (in order; 200 with ``{"ok": true}`` when exhausted) or
    from ``responder(body) -> Reply``; a responder that takes two arguments also gets the
    request's headers. Every request is kept in ``requests`` (unless ``keep_requests`` is
    False, for soak runs); the server's own access-log lines are kept in ``log_lines``.
    """

    def __init__(self, *, keep_requests: bool = True) -> None:
        self.requests: list[SeenRequest] = []
        self.log_lines: list[str] = []
        self.responder: Callable[..., Reply] | None = None
        self.keep_requests = keep_requests
        self._replies: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else {}
                except ValueError:
                    body = {"_raw": raw.decode("utf-8", "replace")}
                headers = {k.lower(): v for k, v in self.headers.items()}
                with owner._lock:
                    if owner.keep_requests:
                        owner.requests.append(SeenRequest("POST", self.path, headers, body))
                    responder = owner.responder
                    scripted = None
                    if responder is None:
                        scripted = owner._replies.popleft() if owner._replies else Reply()
                # The responder runs outside the lock: a FaultInjector has its own, and a
                # slow responder must not serialise the server's threads.
                reply = scripted if scripted is not None else _call(responder, body, headers)
                if reply.delay and owner._stop.wait(reply.delay):
                    return
                if reply.drop:
                    self.close_connection = True
                    return  # nothing written: the client sees the connection close
                payload = reply.body
                if payload is None:
                    payload = (
                        chat_completion(reply.content, model=str(body.get("model", "")))
                        if reply.status == 200
                        else error_body(f"scripted {reply.status}")
                    )
                data = reply.raw if reply.raw is not None else json.dumps(payload).encode("utf-8")
                try:
                    self.send_response(reply.status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    if not reply.drip:
                        self.wfile.write(data)
                    for at in range(len(data) if reply.drip else 0):
                        self.wfile.write(data[at : at + 1])
                        self.wfile.flush()
                        if owner._stop.wait(reply.drip):
                            return
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout)

            def do_GET(self) -> None:
                # The counters of a FaultInjector, for a test whose server runs in another
                # process (FaultServerProcess).
                responder = owner.responder
                if self.path != STATS_PATH or not isinstance(responder, FaultInjector):
                    self.send_error(404)
                    return
                data = json.dumps(responder.stats().as_dict()).encode("utf-8")
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                if owner.keep_requests:
                    owner.log_lines.append(format % args)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        """Base URL including ``/v1``, as OpenAI clients expect."""
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def script(self, *replies: Reply) -> None:
        with self._lock:
            self._replies.extend(replies)

    def close(self) -> None:
        """Stop serving; a request still sleeping in a hang ends at once."""
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()


def _call(
    responder: Callable[..., Reply] | None, body: dict[str, Any], headers: dict[str, str]
) -> Reply:
    if responder is None:
        return Reply()
    if isinstance(responder, FaultInjector):
        return responder(body, headers)
    return responder(body)


# --------------------------------------------------------------------------- schema instances

_WORDS = ("river", "north", "council", "station", "harbour", "valley", "bridge", "market")


def instance_of(
    schema: Mapping[str, Any],
    rng: random.Random,
    *,
    pick: str = "random",
    prefer: Mapping[str, Any] | None = None,
) -> Any:
    """A minimal valid instance of the JSON schema ``schema`` (as pydantic writes them).

    Handles ``$ref`` into ``$defs``, ``const``, ``enum`` (``pick="first"`` or ``"last"``
    takes that choice, else a seeded random one), ``anyOf``/``oneOf``/``allOf``, objects
    (every required property, optional ones at random), arrays within
    ``minItems``/``maxItems``, strings within ``minLength``/``maxLength``, bounded integers
    and numbers, booleans and null.
    ``pattern`` is not honoured (no schema the project sends has one). ``prefer`` maps a
    property name to the value to give it wherever the schema allows that value (an enum
    that holds it, a string of a length that fits), so answers can be steered towards ones a
    caller's own checks accept.
    """
    return _Instance(schema, rng, pick, prefer).make(schema)


def violating_instance(schema: Mapping[str, Any], rng: random.Random) -> Any:
    """Valid JSON that is not an instance of ``schema``: a required property is left out, or
    (for a schema with none) a value of the wrong type is given."""
    resolved = _Instance(schema, rng, "random").resolve(schema)
    value = instance_of(schema, rng)
    required = list(resolved.get("required", ()))
    if isinstance(value, dict) and required:
        del value[rng.choice(required)]
        return value
    return ["not", "an", "instance"] if not isinstance(value, list) else {"not": "an array"}


class _Instance:
    def __init__(
        self,
        root: Mapping[str, Any],
        rng: random.Random,
        pick: str,
        prefer: Mapping[str, Any] | None = None,
    ) -> None:
        self.root = root
        self.rng = rng
        self.pick = pick
        self.prefer = prefer or {}

    def resolve(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        while "$ref" in schema:
            ref = str(schema["$ref"])
            if not ref.startswith("#/"):
                raise ValueError(f"only local $ref is supported, not {ref!r}")
            target: Any = self.root
            for part in ref[2:].split("/"):
                target = target[part]
            schema = target
        return schema

    def choose(self, options: list[Any]) -> Any:
        if self.pick in ("first", "last"):
            return options[0] if self.pick == "first" else options[-1]
        return self.rng.choice(options)

    def make(self, schema: Mapping[str, Any]) -> Any:
        schema = self.resolve(schema)
        if "const" in schema:
            return schema["const"]
        if "enum" in schema:
            return self.choose(list(schema["enum"]))
        for key in ("anyOf", "oneOf"):
            if key in schema:
                return self.make(self.choose(list(schema[key])))
        if "allOf" in schema:
            merged: dict[str, Any] = {}
            for part in schema["allOf"]:
                merged.update(self.resolve(part))
            return self.make(merged)
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = self.choose([k for k in kind if k != "null"] or ["null"])
        if kind == "object" or (kind is None and "properties" in schema):
            return self.object(schema)
        if kind == "array":
            return self.array(schema)
        if kind == "string":
            return self.string(schema)
        if kind == "integer":
            low, high = _bounds(schema, integer=True)
            return self.rng.randint(int(low), int(high))
        if kind == "number":
            low, high = _bounds(schema, integer=False)
            return round(self.rng.uniform(low, high), 3)
        if kind == "boolean":
            return self.rng.random() < 0.5
        return None  # "null", or a schema that allows anything

    def object(self, schema: Mapping[str, Any]) -> dict[str, Any]:
        required = set(schema.get("required", ()))
        out: dict[str, Any] = {}
        for name, sub in dict(schema.get("properties", {})).items():
            if name in self.prefer and self.allows(sub, self.prefer[name]):
                out[name] = self.prefer[name]
            elif name in required or self.rng.random() < 0.5:
                out[name] = self.make(sub)
        return out

    def allows(self, schema: Mapping[str, Any], value: Any) -> bool:
        """Whether ``value`` is an instance of ``schema`` (for the shapes answers have)."""
        schema = self.resolve(schema)
        if "enum" in schema:
            return value in schema["enum"]
        for key in ("anyOf", "oneOf"):
            if key in schema:
                return any(self.allows(option, value) for option in schema[key])
        kind = schema.get("type")
        if value is None:
            return kind == "null"
        if kind == "string" and isinstance(value, str):
            return (
                int(schema.get("minLength", 0))
                <= len(value)
                <= int(schema.get("maxLength", len(value)))
            )
        return False

    def array(self, schema: Mapping[str, Any]) -> list[Any]:
        low = int(schema.get("minItems", 0))
        high = int(schema.get("maxItems", low + 3))
        items = schema.get("items", {})
        return [self.make(items) for _ in range(self.rng.randint(low, max(low, high)))]

    def string(self, schema: Mapping[str, Any]) -> str:
        if schema.get("format") == "date":
            return "2025-01-01"
        low = int(schema.get("minLength", 0))
        high = int(schema.get("maxLength", max(low, 24)))
        text = " ".join(self.rng.choice(_WORDS) for _ in range(3))
        text = text[:high]
        return text + "x" * (low - len(text)) if len(text) < low else text


def _bounds(schema: Mapping[str, Any], *, integer: bool) -> tuple[float, float]:
    step = 1 if integer else 1e-6
    low = float(schema.get("minimum", schema.get("exclusiveMinimum", -step) + step))
    high = float(schema.get("maximum", schema.get("exclusiveMaximum", low + 100 + step) - step))
    return low, max(low, high)


# --------------------------------------------------------------------------- fault injection


class Fault(str, Enum):
    """A way an endpoint fails (see the module docstring)."""

    RATE_LIMIT = "429"
    SERVER_ERROR = "500"
    UNAVAILABLE = "503"
    HANG = "hang"
    DROP = "drop"
    DRIP = "drip"
    MALFORMED = "malformed"
    SCHEMA_VIOLATION = "schema-violation"
    LENGTH = "finish-length"
    EMPTY_CHOICES = "empty-choices"
    ECHO_4XX = "4xx-echo"


#: Faults a client retries at the transport level (the same request body is sent again).
TRANSIENT = frozenset(
    {
        Fault.RATE_LIMIT,
        Fault.SERVER_ERROR,
        Fault.UNAVAILABLE,
        Fault.HANG,
        Fault.DROP,
        Fault.DRIP,
        Fault.MALFORMED,
    }
)


@dataclass(frozen=True)
class FaultPlan:
    """At what rate each fault is injected, and which schemas always get one.

    ``rates`` maps a fault to the probability that a request gets it (they add up to at most
    1). ``by_schema`` maps a schema name (``FigureAnswer``), and ``by_text`` a word of the
    request's messages, to a fault that every matching request gets. ``hang_seconds`` bounds
    a hang; ``retry_after`` is the 429's header value. ``pick`` and ``prefer`` steer the
    valid answers (see :func:`instance_of`).
    """

    rates: Mapping[Fault, float] = field(default_factory=dict)
    by_schema: Mapping[str, Fault] = field(default_factory=dict)
    by_text: Mapping[str, Fault] = field(default_factory=dict)
    seed: int = 0
    hang_seconds: float = 2.0
    drip_seconds: float = 0.05
    retry_after: str = "2"
    pick: str = "random"
    prefer: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        total = sum(self.rates.values())
        if total > 1.0 + 1e-9 or any(rate < 0 for rate in self.rates.values()):
            raise ValueError(f"fault rates must be >= 0 and add up to at most 1, not {total}")

    @classmethod
    def mixed(
        cls, rate: float, *, faults: tuple[Fault, ...] = tuple(Fault), **options: Any
    ) -> FaultPlan:
        """``rate`` of all requests get a fault, split evenly over ``faults``."""
        return cls(rates={fault: rate / len(faults) for fault in faults}, **options)


@dataclass(frozen=True)
class FaultStats:
    """What a :class:`FaultInjector` did: faults by kind, valid answers, and for each distinct
    request body how often it was seen and how many transient faults it got."""

    injected: Mapping[Fault, int]
    answered: int
    per_body: tuple[tuple[int, int], ...]
    #: for each body sent again with no transient fault behind it: what it asked and what
    #: each of its requests got (seconds since the first, and the fault or "answered")
    unexplained: tuple[str, ...] = ()

    @property
    def requests(self) -> int:
        """Every request seen."""
        return sum(seen for seen, _ in self.per_body)

    @property
    def faults(self) -> int:
        return sum(self.injected.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "injected": {fault.value: n for fault, n in self.injected.items()},
            "answered": self.answered,
            "per_body": [list(pair) for pair in self.per_body],
            "unexplained": list(self.unexplained),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FaultStats:
        return cls(
            injected={Fault(name): int(n) for name, n in data["injected"].items()},
            answered=int(data["answered"]),
            per_body=tuple((int(a), int(b)) for a, b in data["per_body"]),
            unexplained=tuple(str(u) for u in data.get("unexplained", ())),
        )


def _describe_body(digest: str, history: list[str]) -> str:
    """One line on a request body: its schema, the start of its last message, its history."""
    body = json.loads(digest)
    schema = ((body.get("response_format") or {}).get("json_schema") or {}).get("name", "?")
    messages = body.get("messages") or [{}]
    last = " ".join(str(messages[-1].get("content", "")).split())[:160]
    return f"{schema} ({len(messages)} messages) {last!r}: " + "; ".join(history)


class FaultInjector:
    """A responder for :class:`FakeOpenAIServer`: a valid answer, or a fault of the plan.

    Thread-safe. ``injected`` counts faults by kind, ``answered`` the valid answers, and
    ``by_body`` how often each distinct request body was seen (with ``transient_by_body``,
    how many transient faults it got), so a test can prove every retry had a cause.
    """

    def __init__(self, plan: FaultPlan) -> None:
        self.plan = plan
        self.injected: Counter[Fault] = Counter()
        self.answered = 0
        self.by_body: Counter[str] = Counter()
        self.transient_by_body: Counter[str] = Counter()
        self.history_by_body: dict[str, list[str]] = {}
        self._started = time.monotonic()
        self._rng = random.Random(plan.seed)
        self._lock = threading.Lock()

    def stats(self) -> FaultStats:
        """A snapshot of the counters."""
        with self._lock:
            return FaultStats(
                injected=dict(self.injected),
                answered=self.answered,
                per_body=tuple(
                    (seen, self.transient_by_body[body]) for body, seen in self.by_body.items()
                ),
                unexplained=tuple(
                    _describe_body(body, self.history_by_body.get(body, []))
                    for body, seen in self.by_body.items()
                    if seen - 1 > self.transient_by_body[body]
                ),
            )

    def __call__(self, body: dict[str, Any], headers: Mapping[str, str]) -> Reply:
        digest = json.dumps(body, sort_keys=True)
        schema_spec = ((body.get("response_format") or {}).get("json_schema")) or {}
        schema = schema_spec.get("schema")
        with self._lock:
            self.by_body[digest] += 1
            fault = self._fault_for(str(schema_spec.get("name", "")), body)
            if fault is None and schema is None:
                fault = Fault.SCHEMA_VIOLATION  # no schema to answer (json_object or plain mode)
            if fault is not None:
                self.injected[fault] += 1
                if fault in TRANSIENT:
                    self.transient_by_body[digest] += 1
            else:
                self.answered += 1
            self.history_by_body.setdefault(digest, []).append(
                f"{time.monotonic() - self._started:.2f}s {fault.value if fault else 'answered'}"
            )
            # Drawn under the lock: one seeded RNG gives one sequence whatever the threads do.
            content = self._content(fault, schema)
        model = str(body.get("model", ""))
        return self._reply(fault, content, model, headers)

    def _fault_for(self, schema_name: str, body: dict[str, Any]) -> Fault | None:
        if schema_name in self.plan.by_schema:
            return self.plan.by_schema[schema_name]
        if self.plan.by_text:
            messages = body.get("messages") or [{}]
            text = " ".join(str(m.get("content", "")) for m in messages)
            for word, fault in self.plan.by_text.items():
                if word in text:
                    return fault
        draw = self._rng.random()
        for fault, rate in self.plan.rates.items():
            if draw < rate:
                return fault
            draw -= rate
        return None

    def _content(self, fault: Fault | None, schema: Mapping[str, Any] | None) -> str:
        if schema is None:
            return json.dumps({"no": "schema was sent"})
        if fault is Fault.SCHEMA_VIOLATION:
            return json.dumps(violating_instance(schema, self._rng))
        return json.dumps(
            instance_of(schema, self._rng, pick=self.plan.pick, prefer=self.plan.prefer)
        )

    def _reply(
        self, fault: Fault | None, content: str, model: str, headers: Mapping[str, str]
    ) -> Reply:
        if fault is None or fault is Fault.SCHEMA_VIOLATION:
            return Reply(content=content)
        if fault is Fault.RATE_LIMIT:
            return Reply(
                status=429,
                body=error_body("rate limit reached", code="rate_limit_exceeded"),
                headers={"retry-after": self.plan.retry_after},
            )
        if fault is Fault.SERVER_ERROR:
            return Reply(status=500, body=error_body("internal error", code="server_error"))
        if fault is Fault.UNAVAILABLE:
            return Reply(status=503, body=error_body("overloaded", code="unavailable"))
        if fault is Fault.HANG:
            return Reply(content=content, delay=self.plan.hang_seconds)
        if fault is Fault.DROP:
            return Reply(drop=True)
        if fault is Fault.DRIP:
            return Reply(content=content, drip=self.plan.drip_seconds)
        if fault is Fault.MALFORMED:
            return Reply(raw=b'{"choices": [{"message": {"content": "' + content.encode()[:7])
        if fault is Fault.LENGTH:
            return Reply(body=chat_completion(content[:5], model=model, finish_reason="length"))
        if fault is Fault.EMPTY_CHOICES:
            cut = chat_completion(content, model=model)
            cut["choices"] = []
            return Reply(body=cut)
        # ECHO_4XX: a proxy that echoes what it was sent, key and all. Its words must not
        # mention the response format, or the client would (rightly) fall back to another mode.
        echoed = "; ".join(f"{name}: {value}" for name, value in sorted(headers.items()))
        return Reply(status=400, body=error_body(f"refused; you sent {echoed}", code="refused"))


# --------------------------------------------------------------------------- in a child process


class FaultServerProcess:
    """A fault server in a child process (loopback), for soak runs.

    In the test's own process the server's threads share one interpreter lock with the
    code under test; on a busy machine a valid answer could then be sent late enough to
    time out, and the client's retry would look like one without a fault. A child process
    answers on time. ``stats()`` fetches the injector's counters over HTTP.
    """

    def __init__(self, plan: FaultPlan) -> None:
        context = multiprocessing.get_context("spawn")
        urls: multiprocessing.queues.Queue[str] = context.Queue()
        self._stop = context.Event()
        self._process = context.Process(
            target=_serve,
            args=(plan, urls, self._stop, os.getpid()),
            name="fault-server",
            daemon=True,
        )
        self._process.start()
        self.url: str = urls.get(timeout=60)

    def stats(self) -> FaultStats:
        base = self.url.removesuffix("/v1")
        with urllib.request.urlopen(base + STATS_PATH, timeout=30) as response:
            return FaultStats.from_dict(json.loads(response.read()))

    def close(self) -> None:
        self._stop.set()
        self._process.join(timeout=10)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(timeout=5)

    def __enter__(self) -> FaultServerProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _serve(plan: FaultPlan, urls: Any, stop: Any, parent: int) -> None:
    server = FakeOpenAIServer(keep_requests=False)
    server.responder = FaultInjector(plan)
    urls.put(server.url)
    # Bounded by the parent's life too: a test process killed with -9 leaves no server behind.
    while not stop.wait(1.0) and os.getppid() == parent:
        pass
    server.close()
