"""Bulk imports that are safe to run twice: a row already on record is skipped, never doubled.

Every import converts its rows one by one (each problem with its line, as ``csvio.convert_rows``
reports them) and then sorts each row by its identity (a shift's person, day, times and position; a
KPI row's member and period...):

- new: imported;
- identical to a record already there: skipped, and the summary says how many;
- the same identity as a record already there but different details: refused, naming that record,
  because importing it would either double it or silently overwrite what is on record;
- the same identity as an earlier row of the same file: refused, naming that line.

Any refusal refuses the whole file, as for every other bad row.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Generic, TypeVar

from pydantic import BaseModel

from ..domain.base import RecordModel
from .csvio import ImportRefused, RowError, convert_rows, stop_if_too_many

T = TypeVar("T", bound=RecordModel)


@dataclass(frozen=True)
class Imported(Generic[T]):
    """What an import wrote, and how many rows it skipped as already on record."""

    created: list[T]
    skipped: int = 0

    def summary(self, what: str) -> str:
        """'imported 0 shift(s); skipped 49 already on record'."""
        return f"imported {len(self.created)} {what}" + (
            f"; skipped {self.skipped} already on record" if self.skipped else ""
        )


@dataclass(frozen=True)
class Identity(Generic[T]):
    """How one import recognises a record it may already hold."""

    key: Callable[[T], Hashable]  # what makes two rows the same thing
    describe: Callable[[T], str]  # 'the shift for Sam Patel on Tue 24/11/2026 09:00-17:00 tills'
    compared: dict[str, str]  # field -> label: the details that must agree to skip a row


def sort_rows(
    rows: list[tuple[int, dict[str, str]]],
    convert: Callable[[dict[str, str]], T],
    model: type[BaseModel],
    identity: Identity[T],
    on_record: list[T],
) -> tuple[list[T], int]:
    """(rows to create, rows skipped as already on record); ImportRefused lists every bad row."""
    held = {identity.key(r): r for r in on_record}
    new: list[T] = []
    skipped = 0
    errors: list[RowError] = []
    first_line: dict[Hashable, int] = {}
    for line, row in rows:
        stop_if_too_many(errors)
        try:
            (item,) = convert_rows([(line, row)], convert, model)
        except ImportRefused as exc:
            errors += exc.errors
            continue
        key = identity.key(item)
        if key in first_line:
            errors.append(
                RowError(
                    line,
                    f"{identity.describe(item)} is also on an earlier row of this file "
                    f"(line {first_line[key]}); give it once",
                )
            )
            continue
        first_line[key] = line
        existing = held.get(key)
        if existing is None:
            new.append(item)
            continue
        changed = differences(item, existing, identity.compared)
        if changed:
            errors.append(
                RowError(
                    line,
                    f"{identity.describe(item)} is already on record as {existing.id}, with "
                    f"{'; '.join(changed)}; change {existing.id} in the app, or correct the row",
                )
            )
        else:
            skipped += 1
    if errors:
        raise ImportRefused(errors)
    return new, skipped


def differences(row: BaseModel, existing: BaseModel, compared: dict[str, str]) -> list[str]:
    """'CSAT 84.1 (this row: 90)' for each compared field where the row and the record differ."""
    out = []
    for name, label in compared.items():
        mine, theirs = getattr(row, name), getattr(existing, name)
        if mine != theirs:
            out.append(f"{label} {shown(theirs)} (this row: {shown(mine)})")
    return out


def shown(value: object) -> str:
    """A value as a supervisor would type it in the CSV."""
    if value is None or value == "":
        return "blank"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dict):
        return ";".join(f"{k}:{shown(v)}" for k, v in sorted(value.items())) or "blank"
    if isinstance(value, list):
        return ";".join(shown(v) for v in value) or "blank"
    return str(value)
