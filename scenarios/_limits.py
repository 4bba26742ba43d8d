"""What one scenario file may ask: bounds that keep a run finite and its numbers finite.

A file is refused, with the limit in the message, before any work starts:

* at load (:func:`scenarios.load_scenarios`): ``MAX_CHANNEL_INTERVALS`` (intervals of
  the horizon x channels), ``MAX_REPLICATIONS``, ``MAX_SCALE`` (``volume_scale``
  and ``aht_scale``), ``MAX_HOURLY_RATE`` (pay rates and overhead per hour) and
  ``MAX_PREMIUM`` (night, weekend and holiday premiums), ``MAX_AHT_S`` (a channel's
  handle time after ``aht_scale``) and ``MAX_PATIENCE_S``; a channel's customer
  behaviour: ``MAX_PICKUP_DELAY_S``, ``MAX_REDIAL_DELAY_S``, ``MAX_CALLBACK_S`` and
  ``MAX_LAW_CV``;
* once the demand is known (:func:`scenarios.run_scenario`, before staffing):
  ``MAX_OFFERED_PER_INTERVAL`` contacts in one channel's interval, and
  ``MAX_SIMULATED_CONTACTS`` contacts the simulation would generate (offered over
  the horizon x replications x rounds of ``method: simulation``), and a horizon
  starting more than ``MAX_FORECAST_GAP_DAYS`` after the end of a channel's history.

The limits are far above any contact centre's plan (a year of 15-minute intervals
for five channels is 178,080 channel-intervals; a 10,000-agent centre answers about
200,000 calls in a busy half-hour) and far below what hangs a machine or exhausts
its memory (docs/scenarios.md, "Limits").
"""

from __future__ import annotations

import datetime as dt

#: The planning range: a horizon's start and a history's dates must fall in it (far-off
#: years are typos such as 9999-12-31 or 0001-01-01, and pandas' timestamps end in 2262;
#: forecasting.clean_history keeps the same range for its own callers).
PLANNING_FIRST_DAY = dt.date(1970, 1, 1)
PLANNING_LAST_DAY = dt.date(2200, 12, 31)

#: Intervals of the horizon x channels.
MAX_CHANNEL_INTERVALS = 200_000
#: ``simulation.replications``.
MAX_REPLICATIONS = 1_000
#: ``volume_scale`` and ``aht_scale``.
MAX_SCALE = 1_000.0
#: Offered contacts in one interval of one channel.
MAX_OFFERED_PER_INTERVAL = 1_000_000.0
#: Contacts the simulation would generate: offered over the horizon x replications x rounds.
MAX_SIMULATED_CONTACTS = 20_000_000.0
#: Days between the end of a history and the start of the horizon it is forecast over.
MAX_FORECAST_GAP_DAYS = 731
#: Pay per paid hour (a rate or the overhead), in the scenario's currency: high enough for
#: currencies of small units, low enough that a year's cost of 100,000 agents stays finite.
MAX_HOURLY_RATE = 1_000_000_000.0
#: Night, weekend and holiday premiums (fractions added to the rate).
MAX_PREMIUM = 100.0
#: A channel's mean handle time (after ``aht_scale``), seconds.
MAX_AHT_S = 86_400.0
#: A channel's mean patience, seconds (30 days: longer is callers who never hang up).
MAX_PATIENCE_S = 30 * 86_400.0
#: A pick-up delay (a fixed value, a mean, each empirical value or band bound), seconds: an
#: hour is far above any ring time or system delay.
MAX_PICKUP_DELAY_S = 3_600.0
#: A redial's delay after the abandon (its mean, each empirical value or band bound), seconds.
MAX_REDIAL_DELAY_S = 30 * 86_400.0
#: A callback's offer threshold (``offer_above``) and promise, seconds.
MAX_CALLBACK_S = 30 * 86_400.0
#: Coefficient of variation of a lognormal delay (beyond, its draws overflow to infinity).
MAX_LAW_CV = 20.0
