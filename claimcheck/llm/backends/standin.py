"""A stand-in for the embedded model server, for tests and benchmarks: no model, same child.

``python -m claimcheck.llm.backends.standin`` takes the arguments the real child takes
(:func:`claimcheck.llm.backends.child.child_parser`) and runs the same child code
(:func:`claimcheck.llm.backends.child.run_child`: the parent watchdog, the published address),
but the server it starts is a small HTTP server that answers ``/health`` and
``/v1/chat/completions`` with a fixed text. So a test can start, count and kill embedded
servers, and a benchmark can show that a cached run starts none, without loading a model.

Example::

    command = [sys.executable, "-m", "claimcheck.llm.backends.standin", "--record", "spawns.txt"]
    backend = EmbeddedBackend(model_path="dummy.gguf", server_command=command)

Its own options: ``--record FILE`` appends the child's pid to FILE when it starts (one line
per start), ``--answer TEXT`` is the content of every chat completion (default ``{}``),
``--delay SECONDS`` holds every completion that long first (a model busy computing).
"""

from __future__ import annotations

import argparse
import json
import os
import threading
import time
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NoReturn

from claimcheck.llm.backends.child import child_parser, run_child


def _handler(answer: str, model: str, delay: float) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path.rstrip("/") == "/health":
                self._send(200, {"status": "ok"})
            else:
                self._send(404, {"error": {"message": f"no {self.path} here"}})

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            self.rfile.read(length)
            time.sleep(delay)
            self._send(
                200,
                {
                    "id": "standin",
                    "object": "chat.completion",
                    "created": 0,
                    "model": model,
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": answer},
                            "finish_reason": "stop",
                        }
                    ],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                },
            )

        def _send(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode("utf-8")
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the real server's log is not this one's business either

    return Handler


def _start(args: argparse.Namespace) -> str:
    if args.record:
        with Path(args.record).open("a", encoding="utf-8") as record:
            record.write(f"{os.getpid()}\n")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(args.answer, args.alias, args.delay))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="standin-http", daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Parse the real child's arguments plus ``--record`` / ``--answer`` and serve."""
    parser = child_parser("python -m claimcheck.llm.backends.standin")
    parser.add_argument("--record", default=None, help="append this process's pid to FILE")
    parser.add_argument("--answer", default="{}", help="content of every chat completion")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before each answer")
    run_child(parser.parse_args(argv), _start)


if __name__ == "__main__":
    main()
