"""Honest time: every entry records when it really happened by the machine's clock.

Time is never rewritten to look tidy (a fast clock or a forged entry used to push every later change
into the future); order comes from the sequence and the chain, and a clock problem is made visible.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from supervisor_tui.storage import Store, verify_record

from .conftest import journal_entries

NOON = datetime(2026, 11, 22, 12, tzinfo=UTC)


def test_each_entry_keeps_the_time_the_clock_gave_even_when_it_goes_backwards(store_path):
    moments = [NOON, NOON + timedelta(minutes=5), NOON - timedelta(minutes=30), NOON + timedelta(minutes=6)]
    # The first two ticks stamp the new file itself and the registration of its creator's signing key.
    ticks = iter([NOON - timedelta(hours=1), NOON - timedelta(hours=1), *moments])
    store = Store(str(store_path), clock=lambda: next(ticks))
    for i in range(4):
        store.create("members", "M", {"name": f"p{i}"})
    stamps = [e["at"] for e in journal_entries(store_path) if e["table"] == "members"]
    assert stamps == [m.strftime("%Y-%m-%dT%H:%M:%S.%fZ") for m in moments]  # as given, never clamped
    report = verify_record(store_path)
    assert report.ok  # the chain holds: a wrong clock is not tampering
    assert len(report.warnings) == 1 and report.warnings[0].startswith("journal entry 5 ")
    assert "before entry 4" in report.warnings[0]


def test_one_fast_clock_does_not_push_everyone_elses_changes_into_the_future(store_path):
    fast = Store(str(store_path), clock=lambda: NOON + timedelta(days=30))  # a month ahead
    fast.create("members", "M", {"name": "from the future"})
    honest = Store(str(store_path), clock=lambda: NOON)
    assert honest.clock_behind() == timedelta(days=30).total_seconds()  # the app and the CLI say so
    honest.create("members", "M", {"name": "written today"})
    assert journal_entries(store_path)[-1]["at"].startswith("2026-11-22T12:00")  # stamped as it is


def test_a_clock_in_step_with_the_record_raises_no_warning(store_path):
    store = Store(str(store_path), clock=lambda: NOON)
    store.create("members", "M", {"name": "Sam"})
    assert store.clock_behind() == 0 and not verify_record(store_path).warnings
