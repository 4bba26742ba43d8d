"""Two `ccplan run` result folders of the same scenario file: which tables moved, and do
the simulated KPIs agree within the replications' confidence intervals?

Run from the project root::

    python docs/scripts/engine_unification_check.py OLD_DIR NEW_DIR [OLD_DIR NEW_DIR ...]

Written for issue 15 (one simulator engine, one staffing rule for every group; see
docs/validation.md, section 2), where the before/after folders are
``ccplan run FILE --out DIR --workers 1`` of every bundled example with the code before
and after the change. For each pair of folders it prints

* every file that differs, and for the tables (``*.csv``) the columns whose values
  differ (exactly) and in how many rows;
* for every KPI with a confidence interval (a column ``k`` with ``k_low`` and ``k_high``:
  service level, ASA and abandon rate, per channel in ``channels.csv`` and per channel
  and interval in ``intervals.csv``; in ``totals.csv`` for the scenarios with one channel,
  whose totals are that channel's KPIs, with its intervals), matched row by row on the
  tables' keys, where both runs estimate it:

  - ``both ways``: the new estimate lies inside the old run's interval and the old estimate
    inside the new run's (the check asked for in the issue);
  - ``combined``: the difference is within the combined half-widths,
    ``|new - old| <= sqrt(h_old^2 + h_new^2)`` (the half-widths on the side of the
    difference, since intervals are clipped to the KPI's range). For two independent runs
    of the same model this fails about 5% of the time at 95%; "both ways" fails about 17%
    of the time then (the difference of two independent estimates has sqrt(2) times the
    spread of one). The runs compared here share their demand streams (the same contacts),
    so both should fail far less often.

Rows where one run has an estimate and the other has none (NaN: no contact offered in
that interval in any replication), and estimates without an interval (one replication
with contacts; totals of several channels), are counted apart. The last line per folder pair is a
markdown row for docs/validation.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

KEYS = {"channels.csv": ["scenario", "channel"], "totals.csv": ["scenario"],
        "intervals.csv": ["scenario", "channel", "interval_start"],
        "shifts.csv": None, "cost_breakdown.csv": None}


def changed_files(old: Path, new: Path) -> list[str]:
    """Names of the files present in either folder whose bytes differ."""
    names = sorted({p.name for p in old.iterdir()} | {p.name for p in new.iterdir()})
    return [n for n in names
            if not ((old / n).exists() and (new / n).exists()
                    and (old / n).read_bytes() == (new / n).read_bytes())]


def changed_columns(a: pd.DataFrame, b: pd.DataFrame) -> dict[str, int]:
    """Column -> rows whose value differs (NaN equal to NaN); the frames have the same shape."""
    out = {}
    for col in a.columns:
        x, y = a[col], b[col]
        same = (x == y) | (x.isna() & y.isna())
        if not same.all():
            out[col] = int((~same).sum())
    return out


def _largest_change(x: pd.Series, y: pd.Series) -> str:
    """The largest |new - old| / |old| over the rows where both are numbers, as text."""
    if not (pd.api.types.is_numeric_dtype(x) and pd.api.types.is_numeric_dtype(y)):
        return "text"
    x, y = x.to_numpy(float), y.to_numpy(float)
    ok = np.isfinite(x) & np.isfinite(y) & (x != y)
    if not ok.any():
        return "NaN moved"
    with np.errstate(divide="ignore"):
        rel = np.abs(y[ok] - x[ok]) / np.abs(x[ok])
    return f"{rel.max():.1%}"


def ci_check(a: pd.DataFrame, b: pd.DataFrame, keys: list[str]) -> tuple[dict, list]:
    """Per KPI with an interval: counts (checked, both ways, combined, one-sided NaN) and the
    rows outside, as (key values, kpi, old (est, low, high), new (est, low, high))."""
    kpis = [c[:-4] for c in a.columns if c.endswith("_low") and c[:-4] + "_high" in a.columns]
    m = a.merge(b, on=keys, suffixes=("_old", "_new"), validate="one_to_one")
    counts, outside = {}, []
    for k in kpis:
        o, n = m[k + "_old"].to_numpy(float), m[k + "_new"].to_numpy(float)
        ol, oh = m[k + "_low_old"].to_numpy(float), m[k + "_high_old"].to_numpy(float)
        nl, nh = m[k + "_low_new"].to_numpy(float), m[k + "_high_new"].to_numpy(float)
        estimated = np.isfinite(o) & np.isfinite(n)
        banded = np.isfinite(ol) & np.isfinite(oh) & np.isfinite(nl) & np.isfinite(nh)
        both = estimated & banded
        lonely = int((np.isfinite(o) != np.isfinite(n)).sum())
        with np.errstate(invalid="ignore"):
            ways = (ol <= n) & (n <= oh) & (nl <= o) & (o <= nh)
            up = n >= o  # new above old: old's upper half-width, new's lower one
            h = np.sqrt(np.where(up, oh - o, o - ol) ** 2 + np.where(up, n - nl, nh - n) ** 2)
            combined = np.abs(n - o) <= h + 1e-12
        counts[k] = {"checked": int(both.sum()), "both_ways": int((ways & both).sum()),
                     "combined": int((combined & both).sum()), "one_sided_nan": lonely,
                     "no_interval": int((estimated & ~banded).sum())}
        for i in np.flatnonzero(both & ~ways):
            outside.append((tuple(m.loc[i, keys]), k, (o[i], ol[i], oh[i]),
                            (n[i], nl[i], nh[i]), bool(combined[i])))
    return counts, outside


def _with_channel_bands(totals: pd.DataFrame, folder: Path) -> pd.DataFrame:
    """The totals with the intervals of their channel where a scenario has one channel
    (then its totals are that channel's KPIs; totals of several channels have no interval)."""
    channels = pd.read_csv(folder / "channels.csv")
    bands = [c for c in channels.columns if c.endswith(("_low", "_high"))]
    one = channels.groupby("scenario").filter(lambda g: len(g) == 1)
    return totals.merge(one[["scenario", *bands]], on="scenario", how="left")


def check(old: Path, new: Path) -> str:
    print(f"== {old} -> {new}")
    files = changed_files(old, new)
    print("files that differ:", ", ".join(files) if files else "none")
    row = {}
    for name, keys in KEYS.items():
        if name not in files or not (old / name).exists() or not (new / name).exists():
            continue
        a, b = pd.read_csv(old / name), pd.read_csv(new / name)
        if a.shape != b.shape or list(a.columns) != list(b.columns):
            print(f"  {name}: shape or columns differ ({a.shape} -> {b.shape})")
            continue
        cols = changed_columns(a, b)
        print(f"  {name}: {len(a)} rows; columns that differ (rows, largest relative change): "
              + ", ".join(f"{c} ({r}, {_largest_change(a[c], b[c])})"
                          for c, r in cols.items()))
        if name == "totals.csv":
            a, b = _with_channel_bands(a, old), _with_channel_bands(b, new)
        if keys is None or not any(c.endswith("_low") for c in a.columns):
            continue
        counts, outside = ci_check(a, b, keys)
        total = {f: sum(c[f] for c in counts.values()) for f in
                 ("checked", "both_ways", "combined", "one_sided_nan", "no_interval")}
        for k, c in counts.items():
            print(f"    {k:14s} checked {c['checked']:5d}  inside both ways {c['both_ways']:5d}"
                  f"  within combined {c['combined']:5d}  estimate in one run only "
                  f"{c['one_sided_nan']}  estimates without an interval {c['no_interval']}")
        for key, k, (o, ol, oh), (n, nl, nh), comb in outside:
            print(f"    outside: {' | '.join(map(str, key))} {k}: old {o:.4g} [{ol:.4g}, "
                  f"{oh:.4g}], new {n:.4g} [{nl:.4g}, {nh:.4g}]"
                  f"{'' if comb else '  (outside the combined interval too)'}")
        row[name] = total
    cells = []
    for name in ("channels.csv", "totals.csv", "intervals.csv"):
        t = row.get(name)
        cells.append("unchanged" if t is None else
                     f"{t['both_ways']} / {t['combined']} of {t['checked']}"
                     + (f" (+{t['one_sided_nan']} estimated in one run only)"
                        if t["one_sided_nan"] else "")
                     + (f" (+{t['no_interval']} without an interval)"
                        if t["no_interval"] else ""))
    line = f"| {new.name} | {', '.join(files) if files else 'none'} | {' | '.join(cells)} |"
    print(line)
    return line


def main(argv: list[str]) -> int:
    if len(argv) < 2 or len(argv) % 2:
        print(__doc__)
        return 2
    lines = [check(Path(argv[i]), Path(argv[i + 1])) for i in range(0, len(argv), 2)]
    print()
    print("| example | files that differ | channels: inside both ways / combined | "
          "totals (one-channel scenarios) | intervals: inside both ways / combined |")
    print("|---|---|---|---|---|")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
