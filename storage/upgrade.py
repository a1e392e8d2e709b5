"""Upgrading a v1 record (one JSON file with its audit table) to v2 (snapshot + journal).

Every v1 audit entry is converted, one for one and with the same ``seq``, into a v2 entry that stores
what changed instead of whole copies; each keeps the v1 entry's hash (``v1_hash``), so a head printed
on an export before the upgrade (``verify --head 42:3f9a…``) is still proved after it. The converted
entries are replayed and must rebuild exactly the records of the v1 file, or nothing is written. They
are signed by whoever upgrades (``signer``): the people who made the changes never signed them, and
``verify`` says so. An ``upgrade`` entry closes the conversion, naming the v1 head it continues, and
the v1 file is kept beside the record, read-only, as ``team.v1.json``: ``verify`` checks its chain and
that the conversion matches it.

All of it is one journal transaction followed by the new snapshot, under the record's lock. A crash
before the transaction is whole leaves the v1 file as it was (the torn transaction is removed by the
next save); a crash after it but before the snapshot is finished by the next writer to open it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .audit import AUDIT, META, canonical
from .audit import verify as verify_v1
from .entries import Tables, field_changes, fields_of, new_entry, replay, replay_problem, shape_problem
from .errors import UnusableFileError
from .files import Folder, write_error
from .identity import Actor
from .journal import GENESIS, Journal, journal_name

if TYPE_CHECKING:
    from .store import RawTables, Store

V1_SUFFIX = ".v1.json"
READ_ONLY_MODE = 0o440


def v1_name(record_name: str) -> str:
    """``team.json`` -> ``team.v1.json``: where the v1 file is kept after the upgrade."""
    stem = record_name.rsplit(".", 1)[0] if "." in record_name.lstrip(".") else record_name
    return stem + V1_SUFFIX


def upgrade_likely(path: str | os.PathLike[str]) -> bool:
    """Whether opening ``path`` to write will most likely upgrade it first (a non-empty record with no
    journal beside it, that this user may write): only a hint, from two stats, for a screen to say
    "Upgrading…" rather than "Opening…" while a years-long v1 history is converted."""
    record = Path(path)
    try:
        size = record.stat().st_size
        journal = record.with_name(journal_name(record.name))
        return size > 0 and not journal.exists() and os.access(record, os.W_OK)
    except (OSError, ValueError):
        return False


def v1_head(data: RawTables) -> str:
    log = data.get(AUDIT, {})
    last = log.get(str(len(log)), {})
    return f"{last.get('seq', 0)}:{last.get('hash', '')}"


def journal_continues_v1(store: Store, data: RawTables) -> bool:
    """Whether the journal beside a v1 file is that file's upgrade, whole, with only the snapshot left to
    write (a crash came between the two). Anything else in it is not this file's upgrade."""
    return journal_upgrades(store.file.folder, store.journal.name, data)


def journal_upgrades(folder: Folder, journal_name: str, data: RawTables) -> bool:
    """:func:`journal_continues_v1` for the journal called ``journal_name`` in ``folder``."""
    journal = Journal(folder, journal_name)
    try:
        entries, _end = journal.read_from(0)
    except UnusableFileError:
        return False
    upgrade = next((e for e in entries if e.get("action") == "upgrade"), None)
    return upgrade is not None and upgrade.get("v1_head") == v1_head(data)


def convert(log: dict[str, Any], signer: str) -> list[dict[str, Any]]:
    """The v1 audit entries as v2 entries (before the journal numbers them: in order, so each gets the
    ``seq`` its v1 entry had)."""
    converted = []
    for seq in range(1, len(log) + 1):
        old = log[str(seq)]
        before, after = old.get("before"), old.get("after") or {}
        if old["action"] == "init":
            changes = field_changes(None, after)
        else:
            changes = field_changes(fields_of(before) if before is not None else None, fields_of(after))
        converted.append(
            new_entry(
                table=old["table"],
                record=old["record"],
                action=old["action"],
                at=old["at"],
                actor=Actor(old["actor"], old["uid"], old.get("ssh")),
                reason=old.get("reason"),
                changes=changes,
                v1_hash=old["hash"],
                signer=signer,
            )
        )
    return converted


def rebuilt_problem(converted: list[dict[str, Any]], data: RawTables) -> str | None:
    """Replay the converted entries; what differs from the v1 file's records, or None."""
    tables: Tables = {}
    for entry in converted:
        problem = shape_problem(entry) or replay_problem(tables, entry)
        if problem:
            return f"v1 entry {entry.get('v1_hash', '')[:12]}… cannot be converted: {problem}"
        replay(tables, entry)
    for name, rows in data.items():
        if name in (AUDIT, META):
            continue
        mine = tables.get(name, {})
        for key, row in rows.items():
            if key not in mine or canonical(mine[key]) != canonical(row):
                label = row.get("id", key) if isinstance(row, dict) else key
                return f"record {label} in {name} is not what its history gives"
        extra = set(mine) - set(rows)
        if extra:
            return f"table {name} lacks records its history creates ({', '.join(sorted(extra)[:3])})"
    return None


def upgrade_locked(store: Store) -> str | None:
    """Upgrade the v1 record ``store`` holds open (under its lock). Returns what was done, for the caller
    to say, or None if someone else upgraded it first. Refuses (UnusableFileError, nothing written) a v1
    file that fails ``verify`` or whose records its history does not rebuild."""
    from .store import SCHEMA, Transaction, load_record, schema_of

    folder = store.file.folder
    raw, _sig = store.file.read_bytes()
    data = load_record(raw, store.path)
    if schema_of(data) >= SCHEMA:
        store._load()  # noqa: SLF001 - the store's own reload
        return None
    journal_bytes = (folder.lstat(store.journal.name) or os.stat_result((0,) * 10)).st_size
    if journal_bytes and journal_continues_v1(store, data):
        store._load()  # noqa: SLF001
        store.checkpoint()
        return f"finished the upgrade of {store.path.name} that was interrupted before its snapshot"
    report = verify_v1(data)
    if not report.ok:
        raise UnusableFileError(
            f"{store.path} was not upgraded to the new format: its audit log does not verify "
            f"({report.problems[0]}). Run 'supervisor-tui verify'; the file has not been changed."
        )
    log = data.get(AUDIT, {})
    converted = convert(log, store.actor.login)
    problem = rebuilt_problem(converted, data)
    if problem:
        raise UnusableFileError(
            f"{store.path} was not upgraded to the new format: {problem}. The file has not been changed."
        )
    if journal_bytes:
        _set_aside(store, f"{store.journal.name}.stale-{report.head.split(':')[0]}")
    _keep_v1(store, raw)
    upgrade = new_entry(
        table=META,
        record="file",
        action="upgrade",
        at=store.now_stamp(),
        actor=store.actor,
        reason="upgraded from the single-file format (v1)",
        changes=field_changes({"schema": 1}, {"schema": SCHEMA}),
        v1_head=v1_head(data),
    )
    store.journal.resume(*(0, *GENESIS))
    store._publish_key()  # noqa: SLF001 - so verify can confirm the key the conversion is signed with
    txn = Transaction(store)
    txn.extra.extend([*converted, upgrade])
    done = store.journal.append(txn.journal_entries(), sign=store._sign())  # noqa: SLF001
    store._replay_from({}, None, (0, *GENESIS))  # noqa: SLF001 - the records as the journal now rebuilds them
    store.written.update(e["seq"] for e in done)
    store.checkpoint()
    return (
        f"upgraded {store.path.name} to the journal format: {len(converted)} entries converted, "
        f"the old file kept read-only as {v1_name(store.file.name)}"
    )


def _keep_v1(store: Store, raw: bytes) -> None:
    """Write the v1 file's bytes to ``team.v1.json`` (atomically), then make it read-only."""
    folder, name = store.file.folder, v1_name(store.file.name)
    folder.replace(name, [raw.decode("utf-8")], shared=store.file.shared)
    fd = folder.open_plain(name)
    if fd is None:
        raise UnusableFileError(f"{folder.path / name} vanished as it was written; nothing was upgraded.")
    try:
        os.fchmod(fd, stat.S_IMODE(os.fstat(fd).st_mode) & READ_ONLY_MODE)
    except OSError as exc:
        raise write_error(exc, folder.path / name, "keeping the old file read-only") from None
    finally:
        os.close(fd)


def _set_aside(store: Store, new_name: str) -> None:
    folder = store.file.folder
    try:
        os.rename(store.journal.name, new_name, src_dir_fd=folder.fd, dst_dir_fd=folder.fd)
    except OSError as exc:
        raise write_error(exc, folder.path / store.journal.name, "setting aside a stale journal") from None
