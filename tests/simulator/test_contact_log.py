"""The per-contact Parquet log agrees with the aggregated table and is written atomically."""

import numpy as np
import pandas as pd
import pytest

from simulator import ChannelModel, GroupModel, simulate


def _tables():
    starts = pd.date_range("2026-03-02 08:00", periods=4, freq="15min")
    forecast = pd.DataFrame({"channel": ["voice"] * 4 + ["chat"] * 4,
                             "interval_start": list(starts) * 2,
                             "offered": [40.0, 80, 60, 10, 20, 30, 25, 5], "aht_s": 240.0})
    coverage = forecast[["channel", "interval_start"]].assign(
        agents_scheduled=[8, 10, 9, 1, 4, 5, 5, 1])
    return forecast, coverage


def test_log_rows_match_the_interval_table(tmp_path):
    forecast, coverage = _tables()
    path = tmp_path / "logs" / "contacts.parquet"
    intervals, _ = simulate(forecast, coverage, interval_s=900, n_replications=2, seed=4,
                            channels={"voice": ChannelModel(mean_patience_s=60.0)},
                            contact_log=path)
    log = pd.read_parquet(path)
    assert list(log.columns) == ["replication", "channel", "interval", "arrival_s", "wait_s",
                                 "outcome", "handle_s", "priority_class", "attempt", "customer",
                                 "pickup_s"]
    counts = log.groupby(["replication", "channel", "interval", "outcome"]).size()
    for row in intervals.itertuples():
        iv = int((row.interval_start - forecast.interval_start.min()) / pd.Timedelta("15min"))
        for outcome, expected in (("answered", row.answered), ("abandoned", row.abandoned),
                                  ("waiting_at_end", row.waiting_at_end)):
            got = counts.get((row.replication, row.channel, iv, outcome), 0)
            assert got == expected
    answered = log[log.outcome == "answered"]
    assert np.all(answered.wait_s >= 0) and np.all(answered.handle_s > 0)
    assert not list(path.parent.glob("*.tmp"))


def test_no_log_file_is_left_when_the_run_fails(tmp_path):
    forecast, coverage = _tables()
    path = tmp_path / "contacts.parquet"
    with pytest.raises(KeyboardInterrupt):
        simulate(forecast, coverage, interval_s=900, n_replications=2, contact_log=path,
                 on_replication=lambda done: (_ for _ in ()).throw(KeyboardInterrupt()))
    assert not path.exists() and not list(tmp_path.glob("*"))


def test_shared_groups_log_every_contact_under_its_own_channel(tmp_path):
    # One team with both skills (voice first): the channels resolve their contacts
    # interleaved. The log, counted by hand, gives the interval table's answered, abandoned
    # and still-waiting counts, answered within the target and the ASA, per replication,
    # channel and interval: two accountings of the same contacts.
    forecast, coverage = _tables()
    team = coverage.groupby("interval_start", as_index=False)["agents_scheduled"].sum()
    team = team.assign(group="team")[["group", "interval_start", "agents_scheduled"]]
    path = tmp_path / "contacts.parquet"
    within = {"voice": 20.0, "chat": 60.0}
    intervals, _ = simulate(
        forecast, team, interval_s=900, n_replications=3, seed=7,
        channels={"voice": ChannelModel(answer_within_s=20.0, mean_patience_s=60.0),
                  "chat": ChannelModel(answer_within_s=60.0, mean_patience_s=300.0)},
        groups={"team": GroupModel(skills=("voice", "chat"))},
        channel_priority=["voice", "chat"], contact_log=path)
    log = pd.read_parquet(path)
    assert set(log["channel"]) == {"voice", "chat"}
    assert set(log["replication"]) == {0, 1, 2}
    assert (log["wait_s"] >= 0).all()
    start = forecast.interval_start.min()
    for row in intervals.itertuples():
        iv = int((row.interval_start - start) / pd.Timedelta("15min"))
        mine = log[(log.replication == row.replication) & (log.channel == row.channel)
                   & (log.interval == iv)]
        assert ((mine.arrival_s >= iv * 900) & (mine.arrival_s < (iv + 1) * 900)).all()
        answered = mine[mine.outcome == "answered"]
        assert len(answered) == row.answered
        assert (mine.outcome == "abandoned").sum() == row.abandoned
        assert (mine.outcome == "waiting_at_end").sum() == row.waiting_at_end
        assert (answered.wait_s <= within[row.channel]).sum() == row.answered_within_target
        if len(answered):
            assert answered.wait_s.mean() == pytest.approx(row.asa_s, rel=1e-9, abs=1e-9)


def test_the_log_does_not_change_the_results(tmp_path):
    # Logging only watches: the same run with and without the log gives the same tables.
    forecast, coverage = _tables()
    team = coverage.groupby("interval_start", as_index=False)["agents_scheduled"].sum()
    team = team.assign(group="team")[["group", "interval_start", "agents_scheduled"]]
    kwargs = {"interval_s": 900, "n_replications": 2, "seed": 3,
              "channels": {"voice": ChannelModel(mean_patience_s=60.0)},
              "groups": {"team": GroupModel(skills=("voice", "chat"))}}
    plain = simulate(forecast, team, **kwargs)
    logged = simulate(forecast, team, contact_log=tmp_path / "c.parquet", **kwargs)
    pd.testing.assert_frame_equal(plain[0], logged[0])
    pd.testing.assert_frame_equal(plain[1], logged[1])
