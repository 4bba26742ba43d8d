"""A first, small backtest of the forecasting models on the AXA assistance data.

Run from the project root (reads ../shared/data)::

    python docs/scripts/axa_first_backtest.py

The 8 largest queues, 8 weekly origins (Mondays from 2012-09-03), one year of
30-minute history before each origin, a one-week horizon; interval WAPE (sum of
absolute errors over the sum of actuals), missing cells skipped. Not yet the
issue's full protocol (more origins, holidays, the auto pick): a first check
that the models rank as expected.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from forecasting import DailyProfileETS, SeasonalNaive, WeeklyAverage, forecast

DATA = "../shared/data/axa-assistance-30min/received_calls_30min_by_assignment.csv.gz"


def main() -> None:
    warnings.simplefilter("ignore")
    wide = pd.read_csv(DATA, parse_dates=["interval_start"])
    queues = (wide.drop(columns="interval_start").sum().sort_values(ascending=False)
              .index[:8].tolist())
    origins = pd.date_range("2012-09-03", periods=8, freq="7D")
    models = {"seasonal naive": lambda: SeasonalNaive(1800),
              "weekly average (4 weeks)": lambda: WeeklyAverage(1800),
              "daily ETS x profile": lambda: DailyProfileETS(1800),
              "forecast(method='auto', country='FR')": None}
    errors = {name: [0.0, 0.0] for name in models}
    for queue in queues:
        history = pd.DataFrame({"channel": queue, "interval_start": wide.interval_start,
                                "offered": wide[queue]})
        for origin in origins:
            train = history[(history.interval_start < origin)
                            & (history.interval_start >= origin - pd.Timedelta(days=365))]
            test = history[(history.interval_start >= origin)
                           & (history.interval_start < origin + pd.Timedelta(days=7))]
            actual = test.offered.to_numpy()
            for name, make in models.items():
                if make is None:
                    predicted = forecast(train, len(test), interval_s=1800,
                                         country="FR")["offered"].to_numpy()
                else:
                    predicted = make().fit(train).predict(len(test)).offered.to_numpy()
                ok = np.isfinite(actual) & np.isfinite(predicted)
                errors[name][0] += np.abs(predicted[ok] - actual[ok]).sum()
                errors[name][1] += actual[ok].sum()
    print("| model | interval WAPE |")
    print("|---|---|")
    for name, (abs_error, total) in errors.items():
        print(f"| {name} | {abs_error / total:.3f} |")
    print(f"\n{len(queues)} queues x {len(origins)} weekly origins: {', '.join(queues)}")


if __name__ == "__main__":
    main()
