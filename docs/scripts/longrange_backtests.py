"""Backtests of the long-range weekly forecast at 13, 26 and 52 weeks ahead on real data.

Run from the project root (reads ../shared/data, writes docs/longrange_backtests.md)::

    python docs/scripts/longrange_backtests.py [--data ../shared/data]

Protocol: per series, origins every ``STEP_WEEKS`` weeks from the first with
``forecasting.longrange.MIN_HISTORY_WEEKS`` weeks of history before it; at
each origin ``long_range_forecast`` (defaults, the series' holiday calendar)
and ``seasonal_naive_weekly`` are run on all weeks before the origin, and the
week exactly 13, 26 and 52 weeks after it is scored where it is inside the
data. Both methods are scored on the same origins and weeks. WAPE = sum of
absolute errors over the sum of actuals, pooled over origins (and channels);
coverage = share of actuals inside the 80% interval. Nothing was tuned to
these series: the model runs with its defaults.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from forecast_backtests import git_commit  # the same script folder

from forecasting.errors import HistoryError
from forecasting.longrange import MIN_HISTORY_WEEKS, long_range_forecast, seasonal_naive_weekly

DATA = Path("../shared/data")
OUT = Path("docs/longrange_backtests.md")
LEADS = (13, 26, 52)
STEP_WEEKS = 4


def load_vancouver() -> pd.DataFrame:
    """Calls offered per day, from the Monday after the last missing day (2013-03-08)."""
    raw = pd.read_csv(DATA / "vancouver-311-daily-metrics/contact_centre_metrics_daily.csv.gz",
                      parse_dates=["Date"])
    raw = raw[raw["Date"] >= "2013-03-11"]
    return pd.DataFrame({"channel": "vancouver_311", "date": raw["Date"],
                         "offered": raw["CallsOffered"]})


def load_welsh() -> pd.DataFrame:
    """Attended incidents per day, all boards, categories and natures (absent rows are 0)."""
    raw = pd.read_csv(DATA / "welsh-ambulance-daily-incidents/attended_incidents_daily_nonzero"
                      ".csv.gz", parse_dates=["date"])
    daily = raw.groupby("date")["incidents"].sum()
    daily = daily.reindex(pd.date_range(daily.index.min(), daily.index.max()), fill_value=0)
    return pd.DataFrame({"channel": "welsh_ambulance", "date": daily.index,
                         "offered": daily.to_numpy()})


def load_axa() -> pd.DataFrame:
    """The 8 largest AXA queues, calls per day 2011-01-01..2012-12-27.

    Missing half hours (DST nights and 56 short export gaps, 78 slots before the
    held-out weeks) take the same half hour one week earlier (later in the first
    week), so that every day has a total; the held-out weeks from 2012-12-28 are
    left out.
    """
    wide = pd.read_csv(DATA / "axa-assistance-30min/received_calls_30min_by_assignment.csv.gz",
                       parse_dates=["interval_start"]).set_index("interval_start")
    wide = wide[wide.index < "2012-12-28"]
    grid = pd.date_range("2011-01-01", "2012-12-28", freq="30min", inclusive="left")
    queues = wide.sum().sort_values(ascending=False).index[:8]
    wide = wide.reindex(grid)[queues]
    filled = wide.fillna(wide.shift(336)).fillna(wide.shift(-336))
    daily = filled.groupby(filled.index.normalize()).sum(min_count=48)
    return daily.rename_axis("date").reset_index().melt(id_vars="date", var_name="channel",
                                                        value_name="offered")


def load_bank() -> pd.DataFrame:
    """Anonymous Bank arrivals per day, 1999 (one year; 1999-05-23 missing in the source)."""
    raw = pd.read_csv(DATA / "anonymous-bank-israel-1999/arrivals_6min_1999.csv.gz",
                      parse_dates=["interval_start"])
    daily = raw.groupby(raw["interval_start"].dt.normalize())["calls"].sum()
    daily = daily[daily.index > "1999-05-23"]  # history after the missing day
    return pd.DataFrame({"channel": "anonymous_bank", "date": daily.index,
                         "offered": daily.to_numpy()})


SERIES = {  # name: (loader, holiday country, subdivision)
    "Vancouver 3-1-1 (calls offered)": (load_vancouver, "CA", "BC"),
    "AXA assistance, 8 largest queues": (load_axa, "FR", None),
    "Welsh ambulance (attended incidents)": (load_welsh, "GB", "WLS"),
    "Anonymous Bank 1999 (arrivals)": (load_bank, "IL", None),
}


def weekly(daily: pd.DataFrame) -> pd.DataFrame:
    """Whole Monday-Sunday weeks per channel (the rule long_range_forecast applies)."""
    monday = daily["date"] - pd.to_timedelta(daily["date"].dt.day_of_week, unit="D")
    grouped = daily.groupby(["channel", monday])["offered"]
    weeks = grouped.sum()[grouped.size() == 7]
    return weeks.rename_axis(["channel", "week_start"]).reset_index()


def backtest(weeks: pd.DataFrame, country, subdivision) -> pd.DataFrame:
    """Rows: method, channel, origin, lead, actual, offered, offered_lo, offered_hi."""
    rows = []
    for channel, part in weeks.groupby("channel"):
        part = part.reset_index(drop=True)
        for cut in range(MIN_HISTORY_WEEKS, len(part) - min(LEADS) + 1, STEP_WEEKS):
            train = part.iloc[:cut]
            reach = min(max(LEADS), len(part) - cut)
            fits = {"long_range": long_range_forecast(train, horizon_weeks=reach, country=country,
                                                      subdivision=subdivision).table,
                    "seasonal_naive": seasonal_naive_weekly(train, horizon_weeks=reach)}
            for lead in LEADS:
                if lead > reach:
                    continue
                actual = float(part["offered"].iloc[cut + lead - 1])
                for method, table in fits.items():
                    row = table.iloc[lead - 1]
                    rows.append({"method": method, "channel": channel,
                                 "origin": part["week_start"].iloc[cut], "lead": lead,
                                 "actual": actual, "offered": row["offered"],
                                 "offered_lo": row["offered_lo"], "offered_hi": row["offered_hi"]})
    return pd.DataFrame(rows)


def score(table: pd.DataFrame) -> pd.DataFrame:
    err = (table["offered"] - table["actual"]).abs()
    inside = (table["actual"] >= table["offered_lo"]) & (table["actual"] <= table["offered_hi"])
    frame = table.assign(err=err, inside=inside, signed=table["offered"] - table["actual"])
    grouped = frame.groupby(["lead", "method"])
    out = pd.DataFrame({"n": grouped.size(),
                        "wape": grouped["err"].sum() / grouped["actual"].sum(),
                        "bias": grouped["signed"].sum() / grouped["actual"].sum(),
                        "coverage": grouped["inside"].mean()})
    return out.reset_index()


def section(name: str, weeks: pd.DataFrame, table: pd.DataFrame | None, note: str) -> list[str]:
    span = f"{weeks['week_start'].min().date()} to {weeks['week_start'].max().date()}"
    n_weeks = weeks.groupby("channel").size()
    lines = [f"### {name}", "",
             f"{len(n_weeks)} channel(s), whole weeks {span} ({n_weeks.min()}"
             f"{'' if n_weeks.min() == n_weeks.max() else f'-{n_weeks.max()}'} weeks). {note}", ""]
    if table is None or table.empty:
        return lines + [f"No backtest: fewer than {MIN_HISTORY_WEEKS} + {min(LEADS)} weeks.", ""]
    origins = table["origin"].drop_duplicates().sort_values()
    lines += [f"{len(origins)} origins every {STEP_WEEKS} weeks, {origins.iloc[0].date()} to "
              f"{origins.iloc[-1].date()}.", "",
              "| lead (weeks) | method | n | WAPE | bias | 80% coverage |",
              "|---:|---|---:|---:|---:|---:|"]
    for r in score(table).itertuples():
        lines.append(f"| {r.lead} | {r.method} | {r.n} | {r.wape:.3f} | {r.bias:+.3f} | "
                     f"{r.coverage:.2f} |")
    if table["channel"].nunique() > 1:
        err = (table["offered"] - table["actual"]).abs()
        grouped = table.assign(err=err).groupby(["method", "channel"])
        wape = (grouped["err"].sum() / grouped["actual"].sum()).unstack()
        lines += ["", "WAPE by channel, all leads:", "",
                  "| method | " + " | ".join(wape.columns) + " |",
                  "|---|" + "---:|" * len(wape.columns)]
        lines += [f"| {method} | " + " | ".join(f"{v:.3f}" for v in row) + " |"
                  for method, row in wape.iterrows()]
    return lines + [""]


def write_page(text: str) -> None:
    new = text.rstrip() + "\n"
    fd, tmp = tempfile.mkstemp(dir=OUT.parent, prefix=f".{OUT.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(new)
    os.replace(tmp, OUT)


def main() -> None:
    global DATA
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA,
                        help="folder holding the shared data sets (default ../shared/data)")
    DATA = parser.parse_args().data
    began, commit = time.time(), git_commit()
    parts = []
    for name, (loader, country, subdivision) in SERIES.items():
        weeks = weekly(loader())
        note = f"Holidays: country={country!r}" + (f", subdivision={subdivision!r}."
                                                     if subdivision else ".")
        try:
            table = backtest(weeks, country, subdivision)
        except HistoryError as err:
            table, note = None, f"{note} The forecast refuses it: {err}"
        parts += section(name, weeks, table, note)
        print(name, "done", f"{time.time() - began:.0f} s", file=sys.stderr)
    head = [
        "# Long-range weekly forecast: WAPE by lead time", "",
        "Generated by `python docs/scripts/longrange_backtests.py` (from the project root; do "
        f"not edit by hand). Code at commit `{commit}`, {time.time() - began:.0f} s on 2 cores.",
        "",
        "`forecasting.longrange.long_range_forecast` (SARIMAX on log weekly volumes: drift, "
        "6 yearly Fourier pairs, working-day public holidays per week, ARIMA(0,1,1) errors; "
        "defaults, nothing tuned to these series) against `seasonal_naive_weekly` (the same "
        "week last year), on the same origins. Daily data are summed into Monday-Sunday weeks. "
        "At each origin both are fitted on every week before it, and the single week "
        f"{', '.join(map(str, LEADS))} weeks ahead is scored where it lies inside the data. "
        "WAPE = sum |forecast - actual| / "
        "sum actual over origins and channels; bias = sum (forecast - actual) / sum actual; "
        "coverage = share of actual weeks inside the 80% interval.", ""]
    write_page("\n".join(head + parts))
    print(f"wrote {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
