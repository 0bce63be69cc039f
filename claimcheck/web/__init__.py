"""The editor's desk: a local review page (``claimcheck serve``), from the ``web`` extra.

An editor pastes or uploads a draft and its sources (or picks files of the folder given
with ``--root``), runs the check as a background job with progress per article, reads the
draft with its disputed spans highlighted beside the findings, and accepts or dismisses
each finding with a reason; the decision goes to the baseline file that
``claimcheck check|verify --baseline`` reads (:mod:`claimcheck.baseline`).

It calls the same :func:`claimcheck.pipeline.verify` as the CLI, with the backend built by
the same factory. Install with ``pip install 'claimcheck[web]'`` (Starlette and uvicorn).

Example::

    import uvicorn
    from claimcheck.llm.backends import make_backend
    from claimcheck.web import Settings, create_app

    app = create_app(Settings(baseline_file=Path("reviewed.json"), backend_factory=make_backend))
    uvicorn.run(app, host="127.0.0.1", port=8765)
"""

from __future__ import annotations

from claimcheck.web.app import create_app, is_loopback
from claimcheck.web.jobs import Job, JobBoard, Settings

__all__ = ["Job", "JobBoard", "Settings", "create_app", "is_loopback"]
