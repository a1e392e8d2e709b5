"""CSV in, shared by every bulk import: line-numbered errors, all or nothing. (CSV out is
``output.csv_text``, the one writer every export uses.)"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Callable, TypeVar

from pydantic import BaseModel, ValidationError

from ..domain.base import explain
from ..output import csv_value

T = TypeVar("T")


@dataclass
class RowError:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


class ImportRefused(Exception):
    """A bulk import with bad rows: nothing was imported. ``errors`` lists every bad row."""

    def __init__(self, errors: list[RowError]):
        self.errors = sorted(errors, key=lambda e: e.line)
        super().__init__(f"{len(errors)} bad row(s); nothing was imported")


def read_rows(text: str, required: list[str]) -> list[tuple[int, dict[str, str]]]:
    """Rows with the line they start on (the header is line 1). Raises ImportRefused on a bad shape."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportRefused([RowError(1, f"the header is missing column(s) {', '.join(missing)}; "
                                         f"it needs at least {','.join(required)}")])
    reader.fieldnames = header
    rows, errors, line = [], [], 1
    for row in reader:
        start, line = line + 1, reader.line_num
        if None in row:
            errors.append(RowError(start, f"has more values than the header has columns ({len(header)})"))
        elif any((v or "").strip() for v in row.values()):
            # csv_value takes off the apostrophe our exports put before a formula-like value.
            rows.append((start, {k: csv_value((v or "").strip()) for k, v in row.items()}))
    if errors:
        raise ImportRefused(errors)
    return rows


def convert_rows(rows: list[tuple[int, dict[str, str]]], convert: Callable[[dict[str, str]], T],
                 model: type[BaseModel] | None = None) -> list[T]:
    """Convert every row, collecting every problem; any problem refuses the lot."""
    items, errors = [], []
    for line, row in rows:
        try:
            items.append(convert(row))
        except ValidationError as exc:
            errors.append(RowError(line, "; ".join(explain(exc, model))))
        except ValueError as exc:
            errors.append(RowError(line, "; ".join(str(exc).splitlines())))
    if errors:
        raise ImportRefused(errors)
    return items


def yes_no(value: str | bool, what: str, default: bool) -> bool:
    if isinstance(value, bool):
        return value
    value = value.strip().lower()
    if not value:
        return default
    if value in ("yes", "y", "true", "1"):
        return True
    if value in ("no", "n", "false", "0"):
        return False
    raise ValueError(f"{what} must be yes or no, not {value!r}")
