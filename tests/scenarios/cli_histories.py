"""Synthetic histories shared by the CLI forecasting tests."""

import numpy as np
import pandas as pd


def counts(days=35, channels=("voice", "chat"), seed=1):
    """Counts per 30 min with a known daily shape: open 08:00-20:00, a midday peak."""
    rng = np.random.default_rng(seed)
    starts = pd.date_range("2026-01-05", periods=48 * days, freq="30min")
    hours = starts.hour + starts.minute / 60
    shape = np.where((hours >= 8) & (hours < 20), 10 + 20 * np.sin(np.pi * (hours - 8) / 12), 0)
    frames = [pd.DataFrame({"channel": name, "interval_start": starts,
                            "offered": rng.poisson(shape * scale)})
              for name, scale in zip(channels, (1.0, 0.5), strict=False)]
    return pd.concat(frames, ignore_index=True)


def one_line_error(result, *needles):
    """A CLI failure: exit 2, one ``ccplan: error:`` line holding every needle, no traceback."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ccplan: error: "), result.stderr
    for needle in needles:
        assert str(needle) in lines[0], (needle, lines[0])
