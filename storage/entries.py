"""Record v2 entries: what one change to one record looks like in the journal, and how replaying
entries rebuilds the records.

An entry stores what changed, field by field, as ``changes: {field: [old, new]}`` where each side is
a sealed value reference (see :func:`storage.journal.seal_value`) or None where there was no value
(a field a create sets). The store's envelope (``version``, ``created_at/by``, ``updated_at/by``,
``voided``) is never stored: replay derives it from the entry's own ``at``, ``actor`` and ``action``,
so a save and a replay cannot disagree about it. ``reason`` is a sealed value too (a void's reason may
name a person).

One line, in this key order (the first two let a history index find a record's lines without parsing
them)::

    {"table", "record", "action", "at", "actor", "uid", "ssh", "reason", "changes",
     ["v1_hash", "signer"] | ["v1_head"] | ["sealed"], "seq", "prev", "txn", "hash", "sig"}

Actions: ``init`` (a new record file's metadata), ``create``, ``update``, ``void``, ``upgrade`` (the
metadata moving from schema 1 to 2, naming the v1 head ``seq:hash`` it continues), and ``seal`` (closed
records moved out of the live tables into a sealed segment: the entry's ``sealed`` names the segment, the
last entry it holds and the records it took, and its changes carry the metadata's list of segments and the
highest record number each table has used, so no number is given twice; see ``storage.seal``). A record upgraded
from v1 begins with every v1 audit entry converted, one for one and with the same ``seq``: each holds
the v1 entry's hash (``v1_hash``) and is signed by whoever upgraded (``signer``), since the people who
made the changes never signed them. The public keys entries are signed with are records of the
``signing_keys`` table, written by ordinary ``create``/``update`` entries.

Pure: no files, no Textual, no domain.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .audit import META, doc_key, parse_stamp
from .identity import Actor
from .journal import is_erased, is_value_ref, seal_value

ENVELOPE = ("id", "version", "created_at", "created_by", "updated_at", "updated_by", "voided", "void_reason")
ERASE = "erase"
ACTIONS_V2 = ("init", "upgrade", "create", "update", "void", "seal", ERASE)
KEYS_TABLE = "signing_keys"  # one record per login: {"login", "public", "fingerprint"}
KEY_PREFIX = "K"
FILE_RECORD = "file"  # the record id of the metadata row in init/upgrade/seal entries
NEVER_SEALED = (META, KEYS_TABLE)  # the file's metadata and the keys entries are checked against stay live

Row = dict[str, Any]
Tables = dict[str, dict[str, Row]]


def fields_of(record: dict[str, Any]) -> dict[str, Any]:
    """A record without the store's envelope: the part a caller edits."""
    return {k: v for k, v in record.items() if k not in ENVELOPE}


def changed_fields(a: dict[str, Any] | None, b: dict[str, Any] | None) -> list[str]:
    a, b = fields_of(a or {}), fields_of(b or {})
    return sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))


# -- making entries ---------------------------------------------------------------------------------
def field_changes(before: dict[str, Any] | None, fields: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old ref or None, new ref]}`` for each field of ``fields`` whose value differs from
    ``before`` (every field, for a record that did not exist). Each value is sealed with its own salt."""
    old = before or {}
    changes: dict[str, list[Any]] = {}
    for name, value in fields.items():
        if name in old and old[name] == value:
            continue
        changes[name] = [seal_value(old[name]) if name in old else None, seal_value(value)]
    return changes


def new_entry(
    *,
    table: str,
    record: str,
    action: str,
    at: str,
    actor: Actor,
    reason: str | None,
    changes: dict[str, list[Any]],
    **extra: Any,
) -> dict[str, Any]:
    """An entry before the journal numbers, links and hashes it (see ``Journal.append``)."""
    return {
        "table": table,
        "record": record,
        "action": action,
        "at": at,
        "actor": actor.login,
        "uid": actor.uid,
        "ssh": actor.ssh,
        "reason": None if reason is None else seal_value(reason),
        "changes": changes,
        **extra,
    }


def erases_of(entry: dict[str, Any]) -> tuple[frozenset[str], bool] | None:
    """The fields (and whether the reasons) an erase entry takes out of its record's earlier entries."""
    if entry.get("action") != ERASE:
        return None
    spec = entry.get("erases")
    if not isinstance(spec, dict):
        return None
    return frozenset(spec.get("fields", ())), bool(spec.get("reasons"))


def erases_sealed(entry: dict[str, Any]) -> int | None:
    """The sealed segment an erase entry's record is in (its values are erased there), or None if live."""
    spec = entry.get("erases")
    return spec.get("sealed") if entry.get("action") == ERASE and isinstance(spec, dict) else None


def erased_row(row: dict[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
    """A sealed record as an erasure leaves it: the erased fields hold their stand-ins (and a voided one's
    reason, if the reasons went, says so), the rest as it was sealed. A sealed record is not changed
    otherwise, so its envelope stays as it was sealed; the erase entry in the journal says who and when."""
    new = {**row, **{name: value_of(pair[1]) for name, pair in entry["changes"].items()}}
    spec = erases_of(entry)
    if spec is not None and spec[1] and new.get("voided"):
        new["void_reason"] = f"reason erased on {entry['at'][:10]}"
    return new


def erases_shape_problem(entry: dict[str, Any]) -> str | None:
    """What is wrong with an erase entry's ``erases`` (or an ``erases`` on another kind of entry)."""
    spec = entry.get("erases")
    if entry["action"] != ERASE:
        return "it says what it erases but is not an erasure" if "erases" in entry else None
    if entry["table"] in (META, KEYS_TABLE):
        return "it erases from the store's own records"
    if not isinstance(spec, dict) or set(spec) - {"fields", "reasons", "v1", "sealed"}:
        return "it does not say what it erases"
    if "sealed" in spec and (type(spec["sealed"]) is not int or spec["sealed"] < 1):
        return "the sealed segment it erases from is not numbered"
    fields = spec.get("fields")
    if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
        return "the fields it erases are not a list of names"
    if not isinstance(spec.get("reasons"), bool) or not isinstance(spec.get("v1", False), bool):
        return "it does not say whether it erases reasons (and the v1 file) as true or false"
    if entry.get("reason") is None:
        return "it gives no reason"
    return None


# Every line the store writes begins with its table and record (``new_entry`` puts them first), so a reader
# looking for one record's lines can tell them by their first bytes without parsing the rest.
_LINE_START = re.compile(rb'\{"table":"((?:[^"\\]|\\.)*)","record":"((?:[^"\\]|\\.)*)"')


def line_record(raw: bytes) -> tuple[str, str] | None:
    """(table, record) of a journal line, from its first bytes; None if it does not begin as the store
    writes a line (then parse it to know)."""
    found = _LINE_START.match(raw)
    if found is None:
        return None
    try:
        return json.loads(b'"' + found[1] + b'"'), json.loads(b'"' + found[2] + b'"')
    except ValueError:
        return None


# -- reading entries --------------------------------------------------------------------------------
def value_of(ref: dict[str, Any] | None) -> Any:
    """The value a reference holds; None where there was none, or where it has been erased."""
    if ref is None or is_erased(ref):
        return None
    return ref["v"]


def reason_of(entry: dict[str, Any]) -> str | None:
    reason = value_of(entry.get("reason"))
    return reason if isinstance(reason, str) else None


def row_key(table: str, record_id: str) -> str:
    """The TinyDB document key a record lives under: ``C-0042`` -> ``42``; the metadata row is ``1``."""
    return "1" if table == META else doc_key(record_id)


def shape_problem(entry: dict[str, Any]) -> str | None:
    """What about an entry's shape replay could not work with, or None. The chain (seq, prev, hash) is
    the journal's to check; whether the change is *allowed* (a create of a record that exists) is
    :func:`replay_problem`'s."""
    for key in ("table", "record", "action", "at", "actor"):
        if not isinstance(entry.get(key), str):
            return f"its {key} is missing or is not text"
    if entry["action"] not in ACTIONS_V2:
        return f"its action {entry['action'][:20]!r} is unknown"
    if parse_stamp(entry["at"]) is None:
        return f"its time {entry['at'][:40]!r} is not a UTC time stamp"
    if type(entry.get("uid")) is not int:
        return "its uid is not a number"
    if entry.get("ssh") is not None and not isinstance(entry["ssh"], str):
        return "its ssh is not text"
    reason = entry.get("reason")
    if reason is not None and not (is_value_ref(reason) and (is_erased(reason) or isinstance(reason["v"], str))):
        return "its reason is not a sealed text"
    changes = entry.get("changes")
    if not isinstance(changes, dict):
        return "its changes are not an object"
    for name, pair in changes.items():
        if (
            not isinstance(pair, list)
            or len(pair) != 2
            or not (pair[0] is None or is_value_ref(pair[0]))
            or not is_value_ref(pair[1])
        ):
            return f"its change to {name[:40]!r} is not [old, new] sealed values"
        if name in ENVELOPE and entry["table"] != META:
            return f"it changes {name}, which only the store sets"
    if entry["table"] != META:
        try:
            doc_key(entry["record"])
        except (ValueError, IndexError):
            return f"its record id {entry['record'][:40]!r} is malformed"
    if entry["action"] in ("init", "upgrade", "seal") and entry["table"] != META:
        return "it sets up something other than the file's metadata"
    for key in ("v1_hash", "signer", "v1_head"):
        if key in entry and not isinstance(entry[key], str):
            return f"its {key} is not text"
    if (entry["action"] == "seal") != ("sealed" in entry):
        return (
            "it is a seal without what it sealed" if entry["action"] == "seal" else "only a seal names what it sealed"
        )
    if "sealed" in entry:
        return sealed_shape_problem(entry["sealed"])
    return erases_shape_problem(entry)


def sealed_shape_problem(sealed: Any) -> str | None:
    """What is wrong with a seal entry's ``sealed``: ``{"segment": n, "through": [seq, hash], "before":
    "YYYY-MM-DD", "records": {table: [[first, last], ...]}}`` (record numbers, in ranges)."""
    if not isinstance(sealed, dict) or type(sealed.get("segment")) is not int or sealed["segment"] < 1:
        return "its sealed segment is not numbered"
    through = sealed.get("through")
    if not (
        isinstance(through, list)
        and len(through) == 2
        and type(through[0]) is int
        and through[0] > 0
        and isinstance(through[1], str)
    ):
        return "its sealed 'through' is not [seq, hash]"
    if not isinstance(sealed.get("before"), str):
        return "its sealed cut-off is not a date"
    records = sealed.get("records")
    if not isinstance(records, dict):
        return "its sealed records are not tables"
    for table, ranges in records.items():
        if table in NEVER_SEALED:
            return f"it seals the {table} table, which always stays live"
        if not isinstance(ranges, list) or not all(
            isinstance(r, list) and len(r) == 2 and all(type(n) is int for n in r) and 0 < r[0] <= r[1] for r in ranges
        ):
            return f"its sealed records of {table[:40]!r} are not ranges of record numbers"
    return None


def sealed_keys(sealed: dict[str, Any]) -> dict[str, list[str]]:
    """The row keys a seal entry's ``sealed`` takes out of each table."""
    return {
        table: [str(n) for first, last in ranges for n in range(first, last + 1)]
        for table, ranges in sealed["records"].items()
    }


def number_ranges(numbers: list[int]) -> list[list[int]]:
    """[1, 2, 3, 7, 8] -> [[1, 3], [7, 8]]: how a seal entry names the records it takes."""
    ranges: list[list[int]] = []
    for n in sorted(numbers):
        if ranges and ranges[-1][1] == n - 1:
            ranges[-1][1] = n
        else:
            ranges.append([n, n])
    return ranges


def sealed_number(tables: Tables, table: str) -> int:
    """The highest record number a table had used when records were last sealed out of it (0 if never)."""
    numbers = tables.get(META, {}).get("1", {}).get("numbers")
    found = numbers.get(table, 0) if isinstance(numbers, dict) else 0
    return found if type(found) is int else 0


def replay_problem(tables: Tables, entry: dict[str, Any]) -> str | None:
    """What makes ``entry`` impossible after the records in ``tables`` (a create of a record that
    exists, a change to one never created or voided), or None. The entry's shape must be sound."""
    action, table = entry["action"], entry["table"]
    if action == "init":
        return "the file's metadata is set up twice" if tables.get(META) else None
    if action == "upgrade":
        return None if tables.get(META) else "it upgrades a file that was never set up"
    if action == "seal":
        return _seal_problem(tables, entry)
    current = tables.get(table, {}).get(row_key(table, entry["record"]))
    if action == "create":
        if current is not None:
            return "it creates a record that already exists"
        if int(row_key(table, entry["record"])) <= sealed_number(tables, table):
            return "it creates a record under a number already used by a sealed record"
        return None
    if erases_sealed(entry) is not None:
        # A record in a sealed segment: the erasure is made there (and checked there by verify).
        return "it erases a sealed record that is live" if current is not None else None
    if current is None:
        return "it changes a record that was never created"
    if current.get("voided") and action != ERASE:  # a voided record's personal data can still be erased
        return "it changes a record that was voided"
    for name, (old, _new) in entry["changes"].items():
        if old is not None and not is_erased(old) and name in current and current[name] != old["v"]:
            return f"its old value of {name} is not the value the record had"
    return None


def _seal_problem(tables: Tables, entry: dict[str, Any]) -> str | None:
    meta = tables.get(META, {}).get("1")
    if meta is None:
        return "it seals records of a file that was never set up"
    segments = meta.get("sealed") or []
    due = len(segments) + 1 if isinstance(segments, list) else 0
    if entry["sealed"]["segment"] != due:
        return f"it names segment {entry['sealed']['segment']} where {due or 'none'} was due"
    if entry["sealed"]["through"][0] >= entry.get("seq", float("inf")):
        return "it seals entries that come after it"
    for table, keys in sealed_keys(entry["sealed"]).items():
        rows = tables.get(table, {})
        missing = next((key for key in keys if key not in rows), None)
        if missing is not None:
            return f"it seals record {missing} of {table}, which is not a live record"
    return None


def replay(tables: Tables, entry: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Apply one entry to ``tables`` in place: returns the record's row key and the record as it now
    is. The entry must be sound (see :func:`shape_problem` and :func:`replay_problem`). An erasure
    changes its record as an update does: the fields take their stand-ins, and the version moves on
    (a session holding the old version is told who changed it)."""
    action, table = entry["action"], entry["table"]
    values = {name: value_of(pair[1]) for name, pair in entry["changes"].items()}
    key = row_key(table, entry["record"])
    if erases_sealed(entry) is not None:
        return key, {}  # not a live record: its segment's copy is rewritten by the erasure itself
    rows = tables.setdefault(table, {})
    at, actor = entry["at"], entry["actor"]
    if action == "init":
        record = values
    elif action == "upgrade":
        record = {**rows[key], **values}
    elif action == "seal":
        record = {**rows[key], **values}
        for table_name, keys in sealed_keys(entry["sealed"]).items():
            sealed_rows = tables.setdefault(table_name, {})
            for gone in keys:
                del sealed_rows[gone]
    elif action == "create":
        record = {
            **values,
            "id": entry["record"],
            "version": 1,
            "created_at": at,
            "created_by": actor,
            "updated_at": at,
            "updated_by": actor,
            "voided": False,
            "void_reason": None,
        }
    else:
        before = rows[key]
        record = {**before, **values, "version": before["version"] + 1, "updated_at": at, "updated_by": actor}
        if action == "void":
            record.update(voided=True, void_reason=reason_of(entry))
        elif action == ERASE and record.get("voided") and (erases_of(entry) or (frozenset(), False))[1]:
            # The void's reason is among those erased: the record no longer repeats it.
            record["void_reason"] = f"reason erased on {at[:10]}"
    rows[key] = record
    return key, record


def view(entry: dict[str, Any]) -> dict[str, Any]:
    """An entry as a screen or a report reads it: values instead of sealed references.

    ``changes`` maps each field to ``(old, new)``; ``erased`` lists the fields (and ``reason``) whose
    values have been erased, so a screen can say so instead of showing a blank; ``erased_sides`` says, for
    each such field, whether its old value, its new value or both went (a field a create set had no old one)."""
    changes = entry.get("changes") or {}
    sides = {
        name: (pair[0] is not None and is_erased(pair[0]), pair[1] is not None and is_erased(pair[1]))
        for name, pair in changes.items()
    }
    erased = [name for name, (old, new) in sides.items() if old or new]
    if entry.get("reason") is not None and is_erased(entry["reason"]):
        erased.append("reason")
    values = {name: (value_of(pair[0]), value_of(pair[1])) for name, pair in changes.items()}
    seen = _seen(entry, reason_of(entry), values, erased)
    seen["erased_sides"] = {name: both for name, both in sides.items() if any(both)}
    return seen


_SAID_AS_WRITTEN = ("seq", "hash", "at", "actor", "uid", "ssh", "action", "table", "record")


def _seen(entry: dict[str, Any], reason: Any, changes: dict[str, tuple[Any, Any]], erased: list[str]) -> dict[str, Any]:
    """The shape every view of an entry has, whichever format it was written in."""
    return {
        **{key: entry.get(key) for key in _SAID_AS_WRITTEN},
        "reason": reason,
        "changes": changes,
        "erased": erased,
        "erased_sides": {},
    }


def entry_view(entry: dict[str, Any]) -> dict[str, Any]:
    """:func:`view` for a journal entry, :func:`view_v1` for an entry of a v1 file's audit table."""
    return view(entry) if "changes" in entry else view_v1(entry)


def view_v1(entry: dict[str, Any]) -> dict[str, Any]:
    """A v1 audit entry (whole before and after copies) in the shape :func:`view` gives."""
    before, after = entry.get("before") or {}, entry.get("after") or {}
    changes = {name: (before.get(name), after.get(name)) for name in changed_fields(before, after)}
    return _seen(entry, entry.get("reason"), changes, [])
