"""``python -m netfolio``: the same as the ``netfolio`` command."""

from netfolio.cli.app import main

main()
