"""The record's own history, whole: every change in the file, newest first, for a supervisor, a manager or an
auditor (the audit viewer and ``supervisor-tui log``).

Each change says when, who (the login, and the person's name where the system's account database knows
it: the record itself keeps logins only), which record, what it did, field by field before -> after, and
why. Values erased under the retention schedule or on request show as the note the erasure left ('erased on
24/11/2026 (reason)'), never as their digest or salt. The list can be narrowed to one record, to everything
about one person (their own record, and the shifts, leave, checks, KPIs, 1:1s, actions, objectives, plans and
requests that name them, the complaints they were involved in, the holds on them), to one login, one kind of
record and a date range.

Reading is the store's (``Store.log_page``): the live journal from its end, then the sealed segments, a
page at a time, so the newest changes of a five-year record show at once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import TYPE_CHECKING, Any

from supervisor_tui.storage import NotFoundError, StoreError, entry_view
from supervisor_tui.storage.audit import META, utc_stamp
from supervisor_tui.storage.entries import KEYS_TABLE
from supervisor_tui.storage.identity import account_name
from supervisor_tui.storage.log import LogFilter, LogPosition

from ..domain.dates import local_to_utc, parse_utc, show_stamp, to_local
from ..domain.people import Member
from ..output import csv_text, md_table

if TYPE_CHECKING:
    from . import Records

PAGE = 100  # changes read at a time: a screenful and a few more, never the whole file
CSV_COLUMNS = ["at", "by", "name", "table", "record", "action", "field", "before", "after", "reason"]
# What each table holds, as people call it (a table not listed is shown by its own name).
KINDS: dict[str, str] = {
    "members": "team member",
    "shifts": "shift",
    "leave": "leave",
    "positions": "position",
    "demand": "demand",
    "briefings": "briefing",
    "standards": "standard",
    "quality_checks": "quality check",
    "kpis": "KPI",
    "quality_settings": "quality settings",
    "meetings": "1:1",
    "actions": "action",
    "objectives": "objective",
    "plans": "improvement plan",
    "complaints": "complaint",
    "complaint_policy": "complaint policy",
    "team_settings": "team settings",
    "legal_holds": "legal hold",
    "subject_access_requests": "subject access request",
    "improvement_actions": "improvement action",
    KEYS_TABLE: "signing key",
    META: "the record file",
}
ACTIONS = {"create": "created", "update": "changed", "void": "voided", "erase": "erased personal data"}
# Fields through which a record names the person it concerns.
_PERSON_FIELDS = ("member_id", "member_ids", "subject")
_RECORD_ID = re.compile(r"[A-Z]{1,3}-[0-9]{1,9}")


class QueryError(ValueError):
    """A filter that cannot be used; ``part`` says which (record, member, by, kind, from, to)."""

    def __init__(self, part: str, message: str):
        super().__init__(message)
        self.part = part


def kind_of(table: str) -> str:
    return KINDS.get(table, table.replace("_", " "))


def value_text(value: Any) -> str:
    """A stored value as the log shows it: text as typed, yes/no, numbers plainly, lists and parts as JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True)
class FieldChange:
    """One field of a change: its value before and after, as shown ('' where it had none)."""

    name: str
    before: str
    after: str

    @property
    def label(self) -> str:
        return self.name.replace("_", " ")


@dataclass(frozen=True)
class AuditChange:
    """One change to the record, ready to show or print."""

    seq: int
    at: str  # UTC, as stored
    login: str
    name: str | None  # the person behind the login, where the system knows it
    ssh: str | None  # where they were logged in from (several people may share a login)
    table: str
    record: str
    action: str
    reason: str  # '' where none was given; the erasure's note where it was erased
    fields: list[FieldChange]
    extra: str = ""  # what a seal says it sealed

    @property
    def kind(self) -> str:
        return kind_of(self.table)

    @property
    def who(self) -> str:
        return f"{self.login} ({self.name})" if self.name else self.login

    def when(self, tz: str) -> str:
        return show_stamp(self.at, tz)

    def when_short(self, tz: str) -> str:
        """When, without the weekday (24/11/2026 09:30): for a column 16 wide."""
        try:
            return to_local(parse_utc(self.at), tz).strftime("%d/%m/%Y %H:%M")
        except (ValueError, TypeError, OverflowError):
            return self.at

    def local_iso(self, tz: str) -> str:
        """When, on the team's clock with its offset from UTC (2026-11-24T09:30:00+00:00): for CSV."""
        try:
            return to_local(parse_utc(self.at), tz).isoformat(timespec="seconds")
        except (ValueError, TypeError, OverflowError):
            return self.at

    def summary(self) -> str:
        """What it did, in words: 'changed contract hours, notes'."""
        names = ", ".join(f.label for f in self.fields if f.name != "erased")
        if self.action == "update":
            return f"changed {names or 'nothing'}"
        if self.action == "erase":
            return f"erased personal data: {names}" if names else "erased personal data"
        if self.action == "seal":
            return f"sealed closed records{self.extra}"
        if self.action == "init":
            return "set up the record file"
        if self.action == "upgrade":
            return "upgraded the record to the journal format"
        return ACTIONS.get(self.action, self.action)

    def csv_rows(self, tz: str) -> list[dict[str, str]]:
        """One row per field changed; a change with no fields (a void) gets one row."""
        base = {
            "at": self.local_iso(tz),
            "by": self.login,
            "name": self.name or "",
            "table": self.table,
            "record": self.record,
            "action": self.action,
            "reason": self.reason,
        }
        fields = self.fields or [FieldChange("", "", "")]
        return [{**base, "field": f.name, "before": f.before, "after": f.after} for f in fields]

    def text_lines(self, tz: str) -> list[str]:
        """For a terminal: the change on one line, then each field before -> after, indented."""
        head = f"{self.when(tz)}  {self.who}  {self.record} {self.kind}  {self.summary()}"
        lines = [head + (f" — {self.reason}" if self.reason else "")]
        return lines + [f"    {f.label}: {f.before or '—'} -> {f.after or '—'}" for f in self.fields]


@dataclass(frozen=True)
class AuditQuery:
    """Which changes to list (each part empty: any). Made by :meth:`AuditLogService.query`, which checks it."""

    record: str = ""
    member: Member | None = None
    by: str = ""
    table: str = ""
    start: date | None = None
    end: date | None = None
    concerned: frozenset[tuple[str | None, str]] | None = None  # the member's records, when ``member``

    @property
    def empty(self) -> bool:
        return not (self.record or self.member or self.by or self.table or self.start or self.end)

    def describe(self) -> str:
        """The filter in words, for a title: 'M-0003 · Sam Patel · by alice · shift · 01/11/2026 to 24/11/2026'."""
        parts = [self.record] if self.record else []
        if self.member is not None:
            parts.append(f"about {self.member.name} ({self.member.id})")
        if self.by:
            parts.append(f"by {self.by}")
        if self.table:
            parts.append(kind_of(self.table))
        if self.start or self.end:
            parts.append(
                f"{self.start:%d/%m/%Y} to {self.end:%d/%m/%Y}"
                if self.start and self.end
                else (f"from {self.start:%d/%m/%Y}" if self.start else f"to {self.end:%d/%m/%Y}")
            )
        return " · ".join(parts) or "everything"

    def form_values(self) -> dict[str, str]:
        """The query as the filter form shows it."""
        return {
            "record": self.record,
            "member": self.member.id or "" if self.member is not None else "",
            "by": self.by,
            "kind": self.table,
            "start": f"{self.start:%d/%m/%Y}" if self.start else "",
            "end": f"{self.end:%d/%m/%Y}" if self.end else "",
        }


@dataclass
class AuditPage:
    changes: list[AuditChange] = field(default_factory=list)
    next: LogPosition | None = None  # where the next page starts; None: the record's first change is listed
    unreadable: int = 0  # journal lines whose hash does not match them: 'supervisor-tui verify' says more


class AuditLogService:
    def __init__(self, records: Records, names: Callable[[str], str | None] = account_name):
        self.records = records
        self.store = records.store
        self.names = names  # login -> the person's name, where known (the system's account database)

    # -- what can be asked ----------------------------------------------------------------------
    def kinds(self) -> list[tuple[str, str]]:
        """(what people call it, table) for every kind of record the file holds or has held, by name."""
        tables = set(self.store.data) | {t for s in self.store.segments() for t in s.tables}
        return sorted(((kind_of(t), t) for t in tables), key=lambda pair: pair[0].lower())

    def query(
        self, *, record: str = "", member: str = "", by: str = "", kind: str = "", start: str = "", end: str = ""
    ) -> AuditQuery:
        """A checked query from what was typed; a QueryError naming the part that cannot be used."""
        record_id = self._record(record)
        found = self._member(member)
        table = self._table(kind)
        clock = self.records.clock
        first, last = None, None
        try:
            first = clock.read_optional_date(start)
        except ValueError as exc:
            raise QueryError("from", str(exc)) from None
        try:
            last = clock.read_optional_date(end)
        except ValueError as exc:
            raise QueryError("to", str(exc)) from None
        if first and last and last < first:
            raise QueryError("to", f"{last:%d/%m/%Y} is before the first day, {first:%d/%m/%Y}")
        concerned = self._concerning(found) if found is not None else None
        return AuditQuery(record_id, found, " ".join(by.split()), table, first, last, concerned)

    def _record(self, text: str) -> str:
        wanted = text.strip().upper()
        if not wanted:
            return ""
        if not _RECORD_ID.fullmatch(wanted):
            raise QueryError("record", f"{text.strip()!r} is not a record number such as M-0003 or C-0012")
        prefix = wanted.split("-", 1)[0]
        tables = [repo.table for repo in self.records.repositories() if repo.prefix == prefix]
        if prefix == "K":
            tables.append(KEYS_TABLE)
        if not tables:
            known = sorted({repo.prefix for repo in self.records.repositories()})
            raise QueryError("record", f"no kind of record is numbered {prefix}-; the numbers start {', '.join(known)}")
        for table in tables:
            try:
                self.store.get(table, wanted)
                return wanted
            except NotFoundError:
                continue
        raise QueryError("record", f"there is no {wanted} in the record")

    def _member(self, text: str) -> Member | None:
        if not text.strip():
            return None
        found = self.records.data_protection.find_member(text)
        if found is None:
            raise QueryError("member", f"there is no {text.strip()!r} on the team, now or before (a name or M-0003)")
        return found

    def _table(self, text: str) -> str:
        wanted = " ".join(text.split()).lower()
        if not wanted:
            return ""
        for label, table in self.kinds():
            if wanted in (label.lower(), table.lower()):
                return table
        raise QueryError("kind", f"{text.strip()!r} is not a kind of record here; one of: {self._kind_names()}")

    def _kind_names(self) -> str:
        return ", ".join(label for label, _table in self.kinds())

    def _concerning(self, member: Member) -> frozenset[tuple[str | None, str]]:
        """Every record about ``member``: theirs, and every record (live, voided or sealed) naming them."""
        member_id = member.saved_id
        members = self.records.team.repo.table
        found: set[tuple[str | None, str]] = {(members, member_id)}
        store = self.store
        sealed = {t for s in store.segments() for t in s.tables}
        for table in (set(store.data) | sealed) - {META, KEYS_TABLE, members}:
            rows = store.records(table, include_voided=True)
            if table in sealed:
                rows = rows + store.sealed_records(table)
            for row in rows:
                if any(_names(row.get(name), member_id) for name in _PERSON_FIELDS):
                    found.add((table, str(row.get("id"))))
        return frozenset(found)

    # -- reading ------------------------------------------------------------------------------
    def page(self, query: AuditQuery, after: LogPosition | None = None, limit: int = PAGE) -> AuditPage:
        """The next ``limit`` changes ``query`` lets through, newest first, after ``after`` (None: the newest).

        Raises StalePositionError (a StoreError) when an erasure or a seal rewrote the files since ``after``
        was read: start again from None."""
        read = self.store.log_page(after, limit, self._filter(query))
        notes: dict[tuple[str, str], dict[str, Any]] = {}
        return AuditPage([self._change(entry_view(e), notes) for e in read.entries], read.next, read.unreadable)

    def changes(self, query: AuditQuery) -> Iterator[AuditChange]:
        """Every change ``query`` lets through, newest first, a page read at a time (for the CLI)."""
        after: LogPosition | None = None
        while True:
            page = self.page(query, after, limit=500)
            yield from page.changes
            if page.next is None:
                return
            after = page.next

    def history(self, table: str, record_id: str) -> list[AuditChange]:
        """Every change to one record, newest first (a record's page shows it; Enter opens one)."""
        notes: dict[tuple[str, str], dict[str, Any]] = {}
        return [self._change(v, notes) for v in reversed(self.store.history(table, record_id))]

    def _filter(self, query: AuditQuery) -> LogFilter:
        records: frozenset[tuple[str | None, str]] | None = query.concerned
        if query.record:  # one record: about the member too, if one is named (else nothing)
            records = (
                frozenset({(None, query.record)})
                if records is None
                else frozenset(pair for pair in records if pair[1] == query.record)
            )
        tz = self.records.tz
        since = utc_stamp(local_to_utc(query.start, time(0), tz)) if query.start else None
        until = utc_stamp(local_to_utc(query.end + timedelta(days=1), time(0), tz)) if query.end else None
        return LogFilter(
            records=records,
            tables=frozenset({query.table}) if query.table else None,
            actors=frozenset({query.by}) if query.by else None,
            since=since,
            until=until,
        )

    def _change(self, seen: dict[str, Any], notes: dict[tuple[str, str], dict[str, Any]]) -> AuditChange:
        table, record = str(seen.get("table")), str(seen.get("record"))
        sides = seen.get("erased_sides") or {}

        def shown(name: str, value: Any, erased: bool) -> str:
            return self._note(table, record, name, notes) if erased else value_text(value)

        fields = []
        for name, (old, new) in sorted(seen.get("changes", {}).items()):
            old_gone, new_gone = sides.get(name, (False, False))
            fields.append(FieldChange(name, shown(name, old, old_gone), shown(name, new, new_gone)))
        reason = seen.get("reason")
        if "reason" in seen.get("erased", ()):
            reason = self._note(table, record, "reason", notes)
        login = str(seen.get("actor") or "")
        extra = ""
        if seen.get("action") == "seal":
            segments = seen.get("changes", {}).get("sealed", (None, None))[1]
            last = segments[-1] if isinstance(segments, list) and segments else None
            before = last.get("before") if isinstance(last, dict) else None
            try:
                extra = f" from before {date.fromisoformat(str(before)):%d/%m/%Y}"
            except ValueError:
                extra = ""
            fields = [f for f in fields if f.name not in ("sealed", "numbers")]
        return AuditChange(
            seq=int(seen.get("seq") or 0),
            at=str(seen.get("at") or ""),
            login=login,
            name=self.names(login) if login else None,
            ssh=seen.get("ssh") if isinstance(seen.get("ssh"), str) else None,
            table=table,
            record=record,
            action=str(seen.get("action") or ""),
            reason=reason if isinstance(reason, str) else "",
            fields=fields,
            extra=extra,
        )

    def _note(self, table: str, record: str, name: str, notes: dict[tuple[str, str], dict[str, Any]]) -> str:
        """What stands where an erased value was: the note the erasure left on the record for that field
        ('erased on 24/11/2026 (reason)'), or for a reason, the record's latest erasure note."""
        key = (table, record)
        if key not in notes:
            try:
                row = self.store.get(table, record)
            except StoreError:
                row = {}
            erased = row.get("erased")
            notes[key] = erased if isinstance(erased, dict) else {}
        said = notes[key]
        note = said.get(name)
        if not isinstance(note, str) and name == "reason" and said:
            note = list(said.values())[-1]
        return note if isinstance(note, str) and note else "erased"

    # -- printing -----------------------------------------------------------------------------
    def export(self, query: AuditQuery, fmt: str) -> Iterator[str]:
        """The changes as lines of text (``text``: one per change, then one per field, each without its line
        break, for the caller to print one by one), CSV (``csv``: one row
        per field) or a Markdown table (``md``), a piece at a time, newest first."""
        tz = self.records.tz
        if fmt == "csv":
            yield csv_text(CSV_COLUMNS, [])
            for change in self.changes(query):
                yield csv_text(CSV_COLUMNS, change.csv_rows(tz)).split("\n", 1)[1]
        elif fmt == "md":
            columns = ["When", "Who", "Record", "Kind", "What", "Field", "Before", "After", "Reason"]
            yield "\n".join(md_table(columns, [])) + "\n"
            for change in self.changes(query):
                rows = [
                    [
                        change.when(tz),
                        change.who,
                        change.record,
                        change.kind,
                        change.summary(),
                        f.label,
                        f.before,
                        f.after,
                        change.reason,
                    ]
                    for f in change.fields or [FieldChange("", "", "")]
                ]
                yield "\n".join(md_table(columns, rows)[2:]) + "\n"
        elif fmt == "text":
            for change in self.changes(query):
                yield from change.text_lines(tz)
        else:
            raise ValueError(f"there is no format {fmt!r}; choose text, csv or md")


def _names(value: Any, member_id: str) -> bool:
    """Does a person field (an id, or a list of ids) name ``member_id``?"""
    return value == member_id or (isinstance(value, list) and member_id in value)
