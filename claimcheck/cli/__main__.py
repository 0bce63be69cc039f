"""``python -m claimcheck.cli``: the ``claimcheck`` command."""

from claimcheck.cli import main

main()
