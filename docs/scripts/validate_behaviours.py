"""Real-data check of the issue-16 behaviours: calibrate on one month, simulate another.

Run from the project root (reads ../shared/data, which only docs and benchmark
scripts may do)::

    python docs/scripts/validate_behaviours.py [--calibrate 1999-01] [--test 1999-02]
        [--replications 10] [--data-dir DIR]

Prints the markdown tables of docs/validation.md, section 4b ("Real data: customer
behaviour calibrated on one month, checked on another"), and writes
docs/img/anonymous_bank_behaviours.svg and docs/img/anonymous_bank_behaviours_abandon.svg.

Calibration (``ccplan calibrate``'s estimators, ``forecasting.behaviour.calibrate``)
on the calibration month's offered calls in the generic columns
(``docs/scripts/anonymous_bank_calls.py``; bad rows left out, as
``--skip-bad-rows`` does). The test month is simulated day by day (Sunday to
Thursday, 07:00-24:00, 30-minute intervals, as section 4), with that month's
volumes per interval, its mean talk time per interval, and the agents on duty
inferred from its records as section 4 does (the most agents talking at the same
moment of the interval: the lower estimate, the closer one there). Three runs, the
same for everything else (handle-time law: the calibration month's talk times,
rescaled to each interval's mean):

* ``today``: ccplan before issue 16: exponential patience with the censored MLE
  (all waits), every offered call an arrival;
* ``behaviours``: patience from the Kaplan-Meier curve (the exponential tail
  beyond the longest wait), instant hang-ups, the pick-up delay drawn from the
  waits of calls answered by an idle agent, and redials (probability by wait band,
  delay law); the arrivals are the offered calls less the redials found in the
  records (the simulator makes its own redials);
* ``behaviours, gap``: the same with the pick-up delay drawn from the gaps between
  an agent's calls under load (pick-up delay plus after-call work).

Compared by hour of day, pooled over the test month's working days: the share of
offered calls answered within 20 s and within 10 s, abandoned, redials among
offered, and the mean wait over offered. The actual waits are ``ser_start`` minus
the offer time (answered) and ``q_time`` (abandoned), as in the calibration.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import calibrate_anonymous_bank
import numpy as np
import pandas as pd
from _svg import line_chart
from anonymous_bank_calls import generic_calls
from make_example_week import DEFAULT_DATA

from forecasting.behaviour import calibrate, exponential_patience, law_values, redials
from scenarios.files.calls import parse_call_columns, read_calls
from simulator import ChannelModel, simulate

INTERVAL = pd.Timedelta(minutes=30)
OPEN_H, CLOSE_H = 7, 24
N_IV = (CLOSE_H - OPEN_H) * 2
WORKDAYS = {6, 0, 1, 2, 3}  # Sunday .. Thursday (pandas: Monday = 0)
THRESHOLDS_S = (10.0, 20.0)
OUT = Path("docs/img/anonymous_bank_behaviours.svg")
OUT_ABANDON = Path("docs/img/anonymous_bank_behaviours_abandon.svg")
N_PATIENCE_VALUES = 200
RUNS = ("today", "behaviours", "behaviours, gap")
METRICS = (("within_20s", "answered within 20 s"), ("within_10s", "answered within 10 s"),
           ("abandon", "abandoned"), ("redial", "redials among offered"),
           ("mean_wait_s", "mean wait, s"))


def records(month: str, data_dir: Path) -> pd.DataFrame:
    """The month's offered calls through ccplan calibrate's reader (bad rows left out)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"calls_{month}.csv"
        generic_calls(month, data_dir).to_csv(path, index=False)
        mapping, outcomes = parse_call_columns("answered=AGENT,abandoned=HANG")
        read = read_calls(path, columns=mapping, outcomes=outcomes)
    print(f"{month}: {read.n_rows:,} offered calls, {read.bad_rows['row'].nunique()} bad rows "
          "left out")
    return read.records.drop(columns="row")


def km_values(curve: pd.DataFrame, mean_s: float, n: int = N_PATIENCE_VALUES) -> list[float]:
    """Equally likely patience values read off a Kaplan-Meier curve (mid-rank quantiles).

    Beyond the curve's last point the mass left (callers who would wait longer than anyone
    did) follows the fitted exponential: memoryless from the last time.
    """
    times, survival = curve["time_s"].to_numpy(float), curve["survival"].to_numpy(float)
    probs = (np.arange(n) + 0.5) / n
    idx = np.searchsorted(1.0 - survival, probs, side="left")
    last_time, last_survival = times[-1], survival[-1]
    with np.errstate(divide="ignore"):
        tail = last_time + mean_s * np.log(last_survival / (1.0 - probs))
    return np.where(idx < times.size, times[np.minimum(idx, times.size - 1)], tail).tolist()


def channel_models(cal_records: pd.DataFrame) -> tuple[dict[str, ChannelModel], dict]:
    """The three runs' channel models, and the fitted numbers for the report."""
    result = calibrate(cal_records)
    fits = result.fits.set_index("quantity")["value"]
    samples = result.samples

    def sample(kind: str) -> np.ndarray:
        return samples.loc[samples["kind"] == kind, "value_s"].to_numpy(float)

    handle = {"kind": "empirical", "values_s": sample("handle_s").tolist()}
    everyone = exponential_patience(cal_records["wait_s"].to_numpy(float),
                                    (cal_records["outcome"] == "abandoned").to_numpy())
    bands = result.redial_bands
    redial_table = [(float(b.wait_up_to_s), float(b.probability)) for b in bands.itertuples()]
    common = {
        "patience": {"kind": "empirical",
                     "values_s": km_values(result.survival, float(fits["mean_patience_s"]))},
        "handle_time": handle,
        "hang_up_share": float(fits["hang_up_share"]),
        "redial_probability": redial_table,
        "redial_delay": {"kind": "empirical",
                         "values_s": law_values(sample("redial_delay_s")).tolist()},
    }
    models = {
        "today": ChannelModel(mean_patience_s=everyone.value, handle_time=handle),
        "behaviours": ChannelModel(**common, pickup_delay={
            "kind": "empirical", "values_s": law_values(sample("pickup_delay_s")).tolist()}),
        "behaviours, gap": ChannelModel(**common, pickup_delay={
            "kind": "empirical", "values_s": law_values(sample("after_contact_gap_s")).tolist()}),
    }
    numbers = {"patience_exp_all_s": everyone.value, **fits.to_dict(),
               "redial_bands": bands, "n_calls": len(cal_records)}
    return models, numbers


def test_month(records_: pd.DataFrame) -> pd.DataFrame:
    """The test month's calls in the compared hours, with day, interval and redial flags."""
    arrival = pd.to_datetime(records_["arrival"])
    seconds = (arrival - arrival.min()).dt.total_seconds().to_numpy()
    customer = pd.factorize(records_["customer_id"], use_na_sentinel=True)[0]
    abandoned = (records_["outcome"] == "abandoned").to_numpy()
    found = redials(seconds, records_["wait_s"].to_numpy(float), abandoned, customer)
    calls = records_.assign(is_redial=found.is_redial, abandoned=abandoned,
                            day=arrival.dt.normalize())
    calls = calls[calls["day"].dt.day_of_week.isin(WORKDAYS)]
    opening = calls["day"] + pd.Timedelta(hours=OPEN_H)
    calls = calls.assign(iv=((pd.to_datetime(calls["arrival"]) - opening) // INTERVAL))
    return calls[(calls["iv"] >= 0) & (calls["iv"] < N_IV)].copy()


def actual_by_hour(calls: pd.DataFrame) -> pd.DataFrame:
    answered = ~calls["abandoned"]
    calls = calls.assign(hour=OPEN_H + calls["iv"] // 2,
                         within_10s=(answered & (calls["wait_s"] <= 10)).astype(int),
                         within_20s=(answered & (calls["wait_s"] <= 20)).astype(int))
    g = calls.groupby("hour")
    return pd.DataFrame({"offered": g.size(), "within_20s": g["within_20s"].mean(),
                         "within_10s": g["within_10s"].mean(), "abandon": g["abandoned"].mean(),
                         "redial": g["is_redial"].mean(), "mean_wait_s": g["wait_s"].mean()})


def simulated_by_hour(calls: pd.DataFrame, model: ChannelModel, on_duty: pd.Series,
                      days: list, *, fresh_only: bool, replications: int) -> pd.DataFrame:
    mean_talk = calls.loc[~calls["abandoned"], "handle_s"].mean()
    frames = []
    for k, day in enumerate(days):
        today = calls[calls["day"] == day]
        arrivals = today[~today["is_redial"]] if fresh_only else today
        starts = pd.date_range(day + pd.Timedelta(hours=OPEN_H), periods=N_IV, freq=INTERVAL)
        offered = arrivals.groupby("iv").size().reindex(range(N_IV), fill_value=0)
        aht = (today[~today["abandoned"]].groupby("iv")["handle_s"].mean()
               .reindex(range(N_IV)).fillna(mean_talk))
        agents = on_duty.loc[day].reindex(range(N_IV), fill_value=0) if day in on_duty.index \
            else pd.Series(0, index=range(N_IV))
        forecast = pd.DataFrame({"channel": "voice", "interval_start": starts,
                                 "offered": offered.to_numpy(float), "aht_s": aht.to_numpy()})
        coverage = pd.DataFrame({"channel": "voice", "interval_start": starts,
                                 "agents_on_queue": agents.to_numpy(float)})
        intervals, _ = simulate(forecast, coverage, interval_s=INTERVAL.total_seconds(),
                                n_replications=replications, seed=1000 + k,
                                channels={"voice": model}, answer_within_bands_s=THRESHOLDS_S)
        frames.append(intervals)
    sim = pd.concat(frames, ignore_index=True)
    sim["hour"] = sim["interval_start"].dt.hour
    sim["wait_total"] = sim["mean_wait_s"].fillna(0) * sim["offered"]
    g = sim.groupby("hour")
    total = g["offered"].sum()
    return pd.DataFrame({"within_20s": g["answered_within_20s"].sum() / total,
                         "within_10s": g["answered_within_10s"].sum() / total,
                         "abandon": g["abandoned"].sum() / total,
                         "redial": g["redials"].sum() / total,
                         "mean_wait_s": g["wait_total"].sum() / total,
                         "offered_per_rep": total / replications})


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def print_tables(actual: pd.DataFrame, sims: dict[str, pd.DataFrame], days: list) -> None:
    print("\n| hour | offered/day | within 20 s: actual / today / behaviours / gap | "
          "within 10 s | abandoned | redials among offered | mean wait s |")
    print("|---|---|---|---|---|---|---|")
    for hour in actual.index:
        a = actual.loc[hour]
        cells = []
        for key, _ in METRICS:
            values = [a[key]] + [sims[run].loc[hour, key] for run in RUNS]
            fmt = (lambda v: f"{v:.0f}") if key == "mean_wait_s" else _pct
            cells.append(" / ".join(fmt(v) for v in values))
        print(f"| {hour:02d}:00 | {a.offered / len(days):.0f} | " + " | ".join(cells) + " |")
    weights = actual["offered"]
    print("\nMean absolute error over the hours (weighted by offered calls), and the whole "
          "month:\n")
    print("| measure | actual (month) | " + " | ".join(f"{run}: month / MAE by hour"
                                                    for run in RUNS) + " |")
    print("|---|---|" + "---|" * len(RUNS))
    for key, label in METRICS:
        scale, unit = (1.0, " s") if key == "mean_wait_s" else (100.0, " pt")
        month = np.average(actual[key], weights=weights)
        row = [f"{label}", f"{month * scale:.1f}"]
        for run in RUNS:
            sim_month = np.average(sims[run][key], weights=weights)
            mae = np.average(np.abs(sims[run][key] - actual[key]), weights=weights)
            row.append(f"{sim_month * scale:.1f} / {mae * scale:.1f}{unit}")
        print("| " + " | ".join(row) + " |")


def charts(actual: pd.DataFrame, sims: dict[str, pd.DataFrame], title: str) -> None:
    hours = [f"{h:02d}:00" for h in actual.index]
    colours = {"within_20s": "#1f77b4", "within_10s": "#2ca02c"}
    lines = []
    for key in ("within_20s", "within_10s"):
        label = dict(METRICS)[key]
        lines += [{"values": actual[key].to_numpy(), "label": f"{label}, actual",
                   "colour": colours[key]},
                  {"values": sims["today"][key].to_numpy(),
                   "label": f"{label}, simulated: today's ccplan", "colour": colours[key],
                   "dash": "2,3"},
                  {"values": sims["behaviours, gap"][key].to_numpy(),
                   "label": f"{label}, simulated: with behaviours (gap pick-up)",
                   "colour": colours[key], "dash": "6,4"}]
    line_chart(OUT, f"{title}: service level by hour", hours, lines,
               y_label="share of offered calls", x_label="hour of day (local time)")
    lines = [{"values": actual["abandon"].to_numpy(), "label": "abandoned, actual",
              "colour": "#d62728"},
             {"values": sims["today"]["abandon"].to_numpy(),
              "label": "abandoned, simulated: today's ccplan", "colour": "#d62728", "dash": "2,3"},
             {"values": sims["behaviours, gap"]["abandon"].to_numpy(),
              "label": "abandoned, simulated: with behaviours (gap pick-up)",
              "colour": "#d62728", "dash": "6,4"},
             {"values": actual["redial"].to_numpy(), "label": "redials among offered, actual "
              "(identified customers only)", "colour": "#9467bd"},
             {"values": sims["behaviours, gap"]["redial"].to_numpy(),
              "label": "redials among offered, simulated", "colour": "#9467bd", "dash": "6,4"}]
    line_chart(OUT_ABANDON, f"{title}: abandonment and redials by hour", hours, lines,
               y_label="share of offered calls", x_label="hour of day (local time)",
               y_max=0.25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calibrate", default="1999-01")
    parser.add_argument("--test", default="1999-02")
    parser.add_argument("--replications", type=int, default=10)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    calibrate_anonymous_bank.DEFAULT_DATA = args.data_dir  # section 4's agents, same folder
    models, fitted = channel_models(records(args.calibrate, args.data_dir))
    calls = test_month(records(args.test, args.data_dir))
    _, _, _, estimates, _, _ = calibrate_anonymous_bank.prepare(args.test)
    days = sorted(calls["day"].unique())
    print(f"calibrated on {args.calibrate} ({fitted['n_calls']:,} calls): patience "
          f"exponential (all waits) {fitted['patience_exp_all_s']:.0f} s, beyond 5 s "
          f"{fitted['mean_patience_s']:.0f} s, naive {fitted['naive_mean_patience_s']:.0f} s; "
          f"hang-ups {_pct(fitted['hang_up_share'])}; pick-up delay at idle answers "
          f"{fitted['pickup_delay_mean_s']:.1f} s, gap under load "
          f"{fitted['after_contact_gap_mean_s']:.1f} s; redial probability "
          f"{_pct(fitted['redial_probability'])} (bands "
          + ", ".join(f"{b.wait_up_to_s:g}: {_pct(b.probability)}"
                      for b in fitted["redial_bands"].itertuples())
          + f"), mean delay {fitted['redial_delay_mean_s']:.0f} s")
    print(f"tested on {args.test}: {len(days)} working days, {len(calls):,} offered calls, "
          f"{int(calls['is_redial'].sum()):,} of them redials found in the records")
    on_duty = estimates["lower"]
    sims = {run: simulated_by_hour(calls, models[run], on_duty, days,
                                   fresh_only=run != "today", replications=args.replications)
            for run in RUNS}
    actual = actual_by_hour(calls)
    print_tables(actual, sims, days)
    charts(actual, sims, f"Anonymous Bank, calibrated on {args.calibrate}, tested on "
           f"{args.test}")
    print(f"Wrote {OUT} and {OUT_ABANDON}")


if __name__ == "__main__":
    main()
