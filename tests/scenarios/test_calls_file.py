"""Reading a calls file for ``ccplan calibrate`` (scenarios.files.calls): columns renamed,
outcome spellings mapped, unknown customers, and every kind of bad row reported by its row
number and reason, never dropped silently."""

from __future__ import annotations

import pandas as pd
import pytest

from scenarios import InputFileError
from scenarios.files.calls import bad_rows_message, parse_call_columns, read_calls

HEADER = "start,q_time,status,talk,cust,who\n"


def _write(tmp_path, lines, header=HEADER, name="calls.csv"):
    path = tmp_path / name
    path.write_text(header + "".join(line + "\n" for line in lines))
    return path


def _read(path, text="arrival=start,wait_s=q_time,outcome=status,handle_s=talk,"
                     "customer_id=cust,agent=who,answered=AGENT,abandoned=HANG|ABN"):
    mapping, outcomes = parse_call_columns(text)
    return read_calls(path, columns=mapping, outcomes=outcomes)


def test_good_file_read_with_mapped_columns_and_spellings(tmp_path):
    path = _write(tmp_path, ["2026-01-05 08:00:00,12,AGENT,200,55,ANNA",
                             "2026-01-05 08:00:30,40,hang,,0,",
                             "2026-01-05 08:01:00,3,abn,,,",
                             "2026-01-05 08:02:00,0,Agent,150,56,BEN"])
    calls = _read(path)
    assert calls.bad_rows.empty and calls.n_rows == 4
    records = calls.records
    assert records["outcome"].tolist() == ["answered", "abandoned", "abandoned", "answered"]
    assert records["channel"].tolist() == ["voice"] * 4  # no channel column
    assert records["wait_s"].tolist() == [12, 40, 3, 0]
    assert records["handle_s"].isna().tolist() == [False, True, True, False]
    # customer 0 and blank are unknown, not a customer called "0"
    assert records["customer_id"].tolist()[0] == "55"
    assert records["customer_id"].isna().tolist() == [False, True, True, False]
    assert records["agent"].isna().tolist() == [False, True, True, False]


def test_each_kind_of_bad_row_is_reported_by_row_and_reason(tmp_path):
    path = _write(tmp_path, [
        "2026-01-05 08:00:00,12,AGENT,200,1,A",     # row 2 good
        "2026-01-05 08:01:00,-4,AGENT,200,1,A",     # row 3 negative wait
        "2026-01-05 08:02:00,5,AGENT,,1,A",         # row 4 answered, no handle time
        "2026-01-05 08:03:00,5,PHANTOM,,1,A",       # row 5 unknown outcome
        "not a time,5,HANG,,1,A",                   # row 6 unparseable time
        "2026-01-05 08:04:00,,HANG,,1,A",           # row 7 no wait
        "2026-01-05 08:05:00,5,AGENT,0,1,A",        # row 8 handle time 0
        "2026-01-05 09:06:00,5,HANG,,1,A",
        "2026-01-05 08:06:30,5,HANG,,1,A",          # row 10 the clock went back an hour
        "2026-01-05 09:07:00,5,HANG,,1,A",
    ])
    calls = _read(path)
    found = {(row, reason.split(" (")[0]) for row, reason in
             zip(calls.bad_rows["row"], calls.bad_rows["reason"], strict=True)}
    assert found == {(3, "negative wait"), (4, "answered with no handle time"),
                     (5, "unknown outcome"), (6, "not a time"),
                     (7, "no wait in seconds"), (8, "answered with no handle time"),
                     (10, "goes back 59m30s from an earlier row in a file in time order")}
    assert calls.records["row"].tolist() == [2, 9, 11]  # the bad ones only are left out
    bad = calls.bad_rows.set_index("row")
    assert bad.loc[3, "column"] == "wait_s (file column 'q_time')"
    assert bad.loc[3, "value"] == "-4"
    assert "answered: agent" in bad.loc[5, "reason"]  # names the spellings it knows
    message = bad_rows_message(path, calls, limit=2)
    assert message.startswith(f"{path}: 7 bad rows of 10: row 3 column wait_s")
    assert "(5 more)" in message and "1 negative wait" in message


def test_gzipped_file_reads_the_same(tmp_path):
    import gzip

    lines = ["2026-01-05 08:00:00,12,AGENT,200,55,ANNA", "2026-01-05 08:00:30,-1,HANG,,0,"]
    plain = _read(_write(tmp_path, lines))
    packed = tmp_path / "calls.csv.gz"
    packed.write_bytes(gzip.compress((HEADER + "\n".join(lines) + "\n").encode()))
    zipped = _read(packed)
    pd.testing.assert_frame_equal(plain.records, zipped.records)
    pd.testing.assert_frame_equal(plain.bad_rows, zipped.bad_rows)
    (tmp_path / "calls.txt").write_text(HEADER)
    with pytest.raises(InputFileError, match="unknown file type"):
        read_calls(tmp_path / "calls.txt")


def test_a_file_not_in_time_order_is_not_checked_for_clock_changes(tmp_path):
    # rows grouped by line, not by time: going back is normal here, not a clock change
    lines = [f"2026-01-05 {h:02d}:00:00,5,AGENT,100,1,A" for h in (8, 9, 10)] * 3
    calls = _read(_write(tmp_path, lines))
    assert calls.bad_rows.empty


def test_missing_column_names_the_fix(tmp_path):
    path = _write(tmp_path, ["2026-01-05 08:00:00,12,AGENT,200,1,A"])
    with pytest.raises(InputFileError, match=r"no column 'arrival' .*--columns arrival="):
        read_calls(path)
    with pytest.raises(InputFileError, match="maps wait_s to 'wait'"):
        _read(path, "arrival=start,wait_s=wait")
    with pytest.raises(InputFileError, match="'queue' is not a name --columns maps"):
        parse_call_columns("queue=q")
    with pytest.raises(InputFileError, match="both an answered and an abandoned"):
        parse_call_columns("answered=X,abandoned=x")


def test_channel_column_and_empty_channel(tmp_path):
    path = _write(tmp_path, ["2026-01-05 08:00:00,voice,1,answered,90",
                             "2026-01-05 08:00:05, ,1,answered,90",
                             "2026-01-05 08:00:09,'=chat,1,abandoned,"],
                  header="arrival,channel,wait_s,outcome,handle_s\n")
    calls = read_calls(path)
    assert calls.bad_rows[["row", "reason"]].values.tolist() == [[3, "empty channel"]]
    assert calls.records["channel"].tolist() == ["voice", "=chat"]  # formula guard taken off
    assert "customer_id" not in calls.records and "agent" not in calls.records


def test_aware_times_across_a_clock_change_are_not_bad(tmp_path):
    # offsets in the file: the autumn hour is told apart, nothing goes back
    path = _write(tmp_path, ["2026-10-25 02:50:00+02:00,1,answered,90",
                             "2026-10-25 02:10:00+01:00,1,answered,90"],
                  header="arrival,wait_s,outcome,handle_s\n")
    calls = read_calls(path)
    assert calls.bad_rows.empty
    assert pd.Series(calls.records["arrival"]).is_monotonic_increasing
