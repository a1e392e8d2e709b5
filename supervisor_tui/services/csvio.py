"""CSV in, shared by every bulk import: line-numbered errors, all or nothing. (CSV out is
``output.csv_text``, the one writer every export uses.)"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar, overload

from pydantic import BaseModel, ValidationError

from ..domain.base import explain
from ..output import csv_value, shorten

T = TypeVar("T")


@dataclass
class RowError:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


# Bounds that keep a wrong or hostile file from tying up a shared server: a team's real imports are
# hundreds or thousands of rows; a 200 MB file of one row repeated used to take minutes and gigabytes
# to list four million errors nobody could read.
MAX_ROWS = 100_000
MAX_LISTED = 100  # bad rows listed before checking stops: fix these first


class ImportRefused(Exception):
    """A bulk import with bad rows: nothing was imported. ``errors`` lists every bad row, or the first
    ``MAX_LISTED`` of them (``complete`` is then False: checking stopped there)."""

    def __init__(self, errors: list[RowError], complete: bool = True):
        self.errors = sorted(errors, key=lambda e: e.line)
        self.complete = complete
        super().__init__(f"{self.count_text()}; nothing was imported")

    def count_text(self) -> str:
        return f"{len(self.errors)} bad row(s)" + (
            "" if self.complete else f" (checking stopped after the first {len(self.errors)})"
        )


def stop_if_too_many(errors: list[RowError]) -> None:
    """Give up once ``MAX_LISTED`` bad rows are found: nobody reads past them, and the rest of a wrong
    file would only cost time and memory."""
    if len(errors) >= MAX_LISTED:
        raise ImportRefused(errors, complete=False)


def read_rows(text: str, required: list[str], optional: Iterable[str] = ()) -> list[tuple[int, dict[str, str]]]:
    """Rows with the line they start on (the header is line 1). Raises ImportRefused on a bad shape:
    a column missing, unknown (a misspelling would otherwise be dropped without a word), or given
    twice; a row with more values than the header; a value too long for the CSV reader."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        fieldnames = reader.fieldnames
    except csv.Error as exc:
        raise ImportRefused([RowError(1, _csv_problem(exc))]) from None
    header = [(h or "").strip().lower() for h in (fieldnames or [])]
    problems = header_problems(header, required, list(optional))
    if problems:
        raise ImportRefused([RowError(1, p) for p in problems], complete=len(problems) < MAX_LISTED)
    reader.fieldnames = header
    rows: list[tuple[int, dict[str, str]]] = []
    errors: list[RowError] = []
    line = 1
    records = iter(reader)
    while True:
        try:
            row = next(records)
        except StopIteration:
            break
        except csv.Error as exc:  # the reader cannot go on past this: report it and stop reading
            errors.append(RowError(line + 1, _csv_problem(exc)))
            break
        start, line = line + 1, reader.line_num
        if len(rows) + len(errors) >= MAX_ROWS:
            raise ImportRefused(
                [
                    RowError(
                        start,
                        f"the file has more than {MAX_ROWS:,} rows; an import takes at most "
                        "that many: split it into several files",
                    )
                ]
            )
        if None in row:
            errors.append(RowError(start, f"has more values than the header has columns ({len(header)})"))
            stop_if_too_many(errors)
        elif any((v or "").strip() for v in row.values()):
            # csv_value takes off the apostrophe our exports put before a formula-like value.
            rows.append((start, {k: csv_value((v or "").strip()) for k, v in row.items()}))
    if errors:
        raise ImportRefused(errors)
    return rows


def header_problems(header: list[str], required: list[str], optional: list[str]) -> list[str]:
    """What is wrong with a header, one problem a line, each naming the column."""
    known = required + optional
    problems = []
    missing = [c for c in required if c not in header]
    if missing:
        problems.append(f"the header is missing column(s) {', '.join(missing)}; it needs at least {','.join(required)}")
    for index, name in enumerate(header, start=1):
        if not name:
            problems.append(f"column {index} of the header has no name; name it or delete the column")
        elif header.index(name) != index - 1:
            problems.append(f"the header has the column {shorten(name, 40)!r} more than once; keep one")
        elif name not in known:
            guess = difflib.get_close_matches(name[:100], known, n=1, cutoff=0.6)
            hint = f"did you mean {guess[0]!r}?" if guess else f"the columns are {','.join(known)}"
            problems.append(f"the header has a column {shorten(name, 40)!r} that this import does not read; {hint}")
        if len(problems) >= MAX_LISTED:  # not a header at all (a wrong file): the first ones say so
            break
    return problems


def _csv_problem(exc: csv.Error) -> str:
    if "field larger than field limit" in str(exc):
        return (
            f"a value is longer than the {csv.field_size_limit():,} characters a CSV cell may hold here; "
            "check the quoting (an unclosed quote runs on to the end of the file)"
        )
    return f"is not readable CSV ({exc})"


def convert_rows(
    rows: list[tuple[int, dict[str, str]]], convert: Callable[[dict[str, str]], T], model: type[BaseModel] | None = None
) -> list[T]:
    """Convert every row, collecting every problem; any problem refuses the lot."""
    items, errors = [], []
    for line, row in rows:
        try:
            items.append(convert(row))
        except ValidationError as exc:
            errors.append(RowError(line, "; ".join(explain(exc, model))))
        except ValueError as exc:
            errors.append(RowError(line, "; ".join(str(exc).splitlines())))
        stop_if_too_many(errors)
    if errors:
        raise ImportRefused(errors)
    return items


@overload
def yes_no(value: str | bool, what: str, default: bool) -> bool: ...
@overload
def yes_no(value: str | bool, what: str, default: None) -> bool | None: ...
def yes_no(value: str | bool, what: str, default: bool | None) -> bool | None:
    """'yes', 'no' and their like; a blank is ``default`` (None leaves the record's own check to refuse it)."""
    if isinstance(value, bool):
        return value
    value = value.strip().lower()
    if not value:
        return default
    if value in ("yes", "y", "true", "1"):
        return True
    if value in ("no", "n", "false", "0"):
        return False
    raise ValueError(f"{what} must be yes or no, not {value!r}".lstrip())
