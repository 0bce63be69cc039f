"""The ``claimcheck`` command: parse options, call one library function, render, exit.

Exit codes (also in ``docs/cli.md``):

    0  no finding at or above --fail-on
    1  at least one finding at or above --fail-on
    2  usage, configuration or input error (bad option, missing source, no readable
       article at all, knowledge file)
    3  the LLM backend failed, or an article could not be read or checked (the others are
       still reported; the skipped inputs are named on stderr and in the report's errors)
  130  interrupted (Ctrl-C); the same command resumes from the response cache
  143  terminated (SIGTERM), after the same cleanup as Ctrl-C; it resumes the same way

Machine output (the report, claims JSON) goes to stdout or ``--output``; progress, the
summary line, warnings and errors go to stderr, so ``claimcheck check … > report.json`` stays
clean. No command takes an API key as an option (it would end up in shell history and process
lists); the key is read from ``OPENAI_API_KEY`` and never printed.

Startup: ``claimcheck --help`` costs about a quarter of a second of CPU because only click
and the standard library load with this module. The library (pydantic models, spaCy, the
gazetteers, the model SDK: seconds of imports) is imported inside the command that uses it.
SIGTERM ends a run like Ctrl-C does, so the embedded model server is stopped and the
response cache closed (exit 143).

The package: ``app`` holds the group, the exit codes and the error handling, ``options``
the options several commands share, ``running`` what commands share between parsing and
exiting (the LLM, progress, rendering, the summary line, the exit code); then one module per
command group (``check``: check, verify, extract, compare, schema; ``batch``; ``kb``;
``baseline``; ``cache``; ``serve``). The names below are the package's interface.
"""

from __future__ import annotations

# The commands register themselves on ``main`` when their module is imported.
from claimcheck.cli import baseline, batch, cache, check, kb, serve  # noqa: F401
from claimcheck.cli.app import (
    EXIT_BACKEND,
    EXIT_FINDINGS,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_TERMINATED,
    EXIT_USAGE,
    FORMATS,
    SEVERITIES,
    Runtime,
    main,
)
from claimcheck.cli.check import read_claims
from claimcheck.cli.running import exit_code

__all__ = [
    "EXIT_BACKEND",
    "EXIT_FINDINGS",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_TERMINATED",
    "EXIT_USAGE",
    "FORMATS",
    "SEVERITIES",
    "Runtime",
    "exit_code",
    "main",
    "read_claims",
]
