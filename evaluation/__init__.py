"""Accuracy of claimcheck against the fixtures' gold data: not part of the installed package.

- :mod:`evaluation.claims` scores extracted claims against gold claims (precision and recall
  per claim type, per story type);
- :mod:`evaluation.findings` scores a report's findings against gold findings;
- ``eval_extraction.py`` and ``eval_findings.py`` are the command-line scripts over them.

The figures and their history are in ``evaluation/README.md``.
"""
