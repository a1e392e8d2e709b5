"""The demo data set: a believable customer-service team with history, written through the services.

One generator serves ``supervisor-tui --demo``, ``supervisor-tui demo``, the tests and the benchmarks.
It is deterministic for a seed and a 'today', and writes through the same services as the app, so the
demo file verifies like any real one.
"""

from __future__ import annotations

import os
import random
import secrets
import stat
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from supervisor_tui.storage import Store, StoreError, UnusableFileError
from supervisor_tui.storage.files import resolve_record_path
from supervisor_tui.storage.journal import journal_name
from supervisor_tui.storage.jsonfile import lock_path
from supervisor_tui.storage.signing import own_key, publish

from ..domain.clock import Clock
from ..domain.dates import local_to_utc
from ..services import Records
from . import complaints, data_protection, improvement, one_to_ones, quality, shifts, team


@dataclass
class DemoClock:
    """A clock the generator moves through the past, so the audit shows history as it happened.

    It only moves forward and never past ``limit`` (the moment the demo runs): the record never holds
    an entry dated after it was written, and a rota made for next week is stamped with today.
    """

    now: datetime
    limit: datetime

    def __call__(self) -> datetime:
        return self.now

    def move(self, moment: datetime) -> None:
        self.now = min(max(self.now, moment), self.limit)

    def at(self, day: date, hh: int = 9, mm: int = 0) -> None:
        self.move(local_to_utc(day, time(hh, mm)))


@dataclass
class DemoContext:
    records: Records
    rng: random.Random
    today: date
    clock: DemoClock
    team_size: int
    months: int


def build_demo(
    path: str | Path,
    *,
    seed: int = 1,
    clock: Clock | None = None,
    today: date | None = None,
    team_size: int = 12,
    months: int = 4,
    shared: bool = False,
) -> Records:
    """Write the demo data set into a new (or empty) file and return it opened on ``clock``.

    ``today`` is the demo's today (default: the clock's); nothing is stamped after the clock's now.
    All or nothing: it is built in a temporary file beside ``path`` and put in place only when whole,
    so a demo killed half way leaves nothing that blocks running it again.
    """
    path = resolve_record_path(path)  # a link the user gave names the real file, as for every command
    clock = clock or Clock()
    if path.exists() and path.stat().st_size > 0:
        raise UnusableFileError(f"{path} already has data; the demo only writes into a new or empty file.")
    today = today or clock.today()
    start = today - timedelta(days=months * 31)
    limit = min(clock.now(), local_to_utc(today, time(23, 59)))
    demo_clock = DemoClock(datetime.combine(start - timedelta(days=30), time(8), tzinfo=UTC), limit)
    # No dot inside the stem, so the journal built beside it is named for this build alone.
    building = path.with_name(f".{path.stem}-demo-{secrets.token_hex(4)}.json")
    signer = own_key()
    try:
        store = Store(str(building), clock=demo_clock, shared=shared, signer=signer, publish_key=False)
        records = Records(store, Clock(clock.tz, demo_clock))
        ctx = DemoContext(records, random.Random(seed), today, demo_clock, team_size, months)
        # The audit clock only moves forward, so the history whose timing is checked comes first:
        # one-to-one notes are judged on how soon after the meeting they were written.
        team.build(ctx)
        one_to_ones.build(ctx)
        complaints.build(ctx)
        shifts.build(ctx)
        quality.build(ctx)
        one_to_ones.build_plan(ctx)
        improvement.build(ctx)
        data_protection.build(ctx)
        store.checkpoint()  # the snapshot holds everything: the journal beside it is read only if it grows
        built, journal = store.file.signature(), store.file.folder.signature(store.journal.name)
        put_in_place(store.journal.path, path.with_name(journal_name(path.name)), journal[0] if journal else -1)
        try:
            put_in_place(building, path, built[0] if built else -1)
        except BaseException:
            path.with_name(journal_name(path.name)).unlink(missing_ok=True)  # ours: put in place just now
            raise
    finally:
        for leftover in (building, lock_path(building), building.with_name(journal_name(building.name))):
            leftover.unlink(missing_ok=True)
    try:
        publish(path, store.actor.login, signer.public)
    except StoreError:
        pass  # the record is whole; the first save publishes again, and verify says if it never was
    return Records.open(str(path), clock=clock)


def put_in_place(built: Path, path: Path, inode: int) -> None:
    """Give the finished file (``inode``) its real name, unless someone created a non-empty file (or
    anything else) there meanwhile. Nothing is followed, and only the file the demo wrote is given
    the name: both names are in a folder others may write to, and may be swapped at any moment."""
    swapped = UnusableFileError(
        f"The demo file being built beside {path} was replaced by someone else; nothing was put in place."
    )
    if not _is_file(built, inode):
        raise swapped
    try:
        os.link(built, path, follow_symlinks=False)
    except FileExistsError:
        there = os.lstat(path)
        if not stat.S_ISREG(there.st_mode) or there.st_size > 0:
            raise UnusableFileError(
                f"{path} was filled or replaced by someone else while the demo was built; nothing was changed."
            ) from None
        os.replace(built, path)
    if not _is_file(path, inode):  # swapped between the look and the link: take the name back
        os.unlink(path)
        raise swapped


def _is_file(path: Path, inode: int) -> bool:
    st = os.lstat(path)
    return stat.S_ISREG(st.st_mode) and st.st_ino == inode
