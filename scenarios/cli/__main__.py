"""``python -m scenarios.cli``: the ``ccplan`` command."""

from ._app import main

main()
