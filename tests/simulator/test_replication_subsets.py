"""simulate(replications=...): a run split into parts gives the tables of the whole run."""

from __future__ import annotations

import pandas as pd
import pytest

from simulator import ChannelModel, GroupModel, SimulationInputError, simulate

STARTS = pd.date_range("2026-03-02 08:00", periods=6, freq="30min", tz="Europe/Paris")


def tables(groups: bool):
    forecast = pd.concat([
        pd.DataFrame({"channel": "voice", "interval_start": STARTS, "offered": 40.0,
                      "aht_s": 180.0}),
        pd.DataFrame({"channel": "chat", "interval_start": STARTS, "offered": 20.0,
                      "aht_s": 300.0})], ignore_index=True)
    key = "group" if groups else "channel"
    owners = ["team"] if groups else ["chat", "voice"]
    coverage = pd.concat([pd.DataFrame({key: o, "interval_start": STARTS,
                                        "agents_scheduled": 9 if groups else 5})
                          for o in owners], ignore_index=True)
    kwargs = {"interval_s": 1800, "n_replications": 5, "seed": 11,
              "channels": {"voice": ChannelModel(mean_patience_s=120.0), "chat": ChannelModel()}}
    if groups:
        kwargs["groups"] = {"team": GroupModel(skills=["voice", "chat"])}
    return forecast, coverage, kwargs


@pytest.mark.parametrize("groups", [False, True], ids=["dedicated", "shared"])
def test_parts_put_together_equal_the_whole(groups):
    forecast, coverage, kwargs = tables(groups)
    whole, _ = simulate(forecast, coverage, **kwargs)
    parts = [simulate(forecast, coverage, replications=part, **kwargs)[0]
             for part in ([3, 0], [4], [1, 2])]
    joined = pd.concat(parts, ignore_index=True).sort_values("replication", kind="stable")
    # Within a replication the rows keep the simulator's order (channel, then interval).
    joined = pd.concat([joined[joined["replication"] == r] for r in range(5)],
                       ignore_index=True)
    pd.testing.assert_frame_equal(joined, whole.reset_index(drop=True))
    assert sorted(parts[0]["replication"].unique()) == [0, 3]


@pytest.mark.parametrize("bad", [[5], [-1], [1, 1], []])
def test_bad_replication_indices_are_refused(bad):
    forecast, coverage, kwargs = tables(False)
    with pytest.raises(SimulationInputError, match=r"replications must be distinct indices in "
                                                   r"\[0, 5\)"):
        simulate(forecast, coverage, replications=bad, **kwargs)
