"""Reports: the self-contained HTML reports, every figure (used by the CLI and
the dashboard alike), and the results folder written by ``ccplan run``."""
