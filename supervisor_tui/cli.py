"""Command line: run the app, make demo data, verify the record, import and export.

Exit codes are promises to scripts: 0 fine; 1 verify or a check found problems; 2 the input or the
file is unusable (nothing was written).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Callable

from storage import StoreError, UnusableFileError, load_record, parse_head, verify

from . import locations
from .domain.dates import DateInputError
from .services import Records
from .services.csvio import ImportRefused

OK, PROBLEMS, UNUSABLE = 0, 1, 2


class CliError(Exception):
    """A clear message for stderr and exit 2."""


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                        help=f"the record file (default: ${locations.DB_ENV}, else {locations.default_db_path()})")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="supervisor-tui",
                                     description="A customer-service supervisor's auditable record, in the terminal.")
    _db_option(parser)
    parser.add_argument("--demo", action="store_true", help="open on freshly generated demo data in a throwaway file")
    parser.add_argument("--seed", type=int, default=1, help="demo data seed (default 1)")
    parser.add_argument("--theme", help="shopfloor, daylight, high-contrast (remembered for you)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = commands.add_parser("verify", help="check the file, the audit chain and the records; exit 1 if anything is wrong")
    _db_option(p)
    p.add_argument("--head", metavar="SEQ:HASH", help="also check the log still holds this entry (from an export)")
    p.set_defaults(run=cmd_verify)

    p = commands.add_parser("demo", help="write the demo data set into a new file")
    _db_option(p)
    p.add_argument("--seed", type=int, default=1)
    p.set_defaults(run=cmd_demo)

    checks = commands.add_parser("check", help="check records against the rules; exit 1 if there are problems").add_subparsers(
        dest="kind", metavar="KIND", required=True)
    p = checks.add_parser("rota", help="every working-time and allocation problem, one a line")
    p.add_argument("--from", dest="first", required=True, metavar="DATE", help="first day (UK date, today, mon, +3d)")
    p.add_argument("--to", dest="last", required=True, metavar="DATE", help="last day")
    _db_option(p)
    p.set_defaults(run=cmd_check_rota)

    p = commands.add_parser("keys", help="list every key binding with the id to remap it by")
    p.set_defaults(run=cmd_keys)

    importers = commands.add_parser("import", help="bulk import from CSV (all or nothing)").add_subparsers(
        dest="kind", metavar="KIND", required=True)
    for kind, (help_text, run) in IMPORTS.items():
        p = importers.add_parser(kind, help=help_text)
        p.add_argument("file", metavar="FILE.csv")
        _db_option(p)
        p.set_defaults(run=lambda args, run=run: cmd_import(args, run))

    exporters = commands.add_parser("export", help="write records out (CSV, Markdown, HTML)").add_subparsers(
        dest="kind", metavar="KIND", required=True)
    for kind, (help_text, add_args, run) in EXPORTS.items():
        p = exporters.add_parser(kind, help=help_text)
        add_args(p)
        _db_option(p)
        p.add_argument("--output", "-o", metavar="FILE", help="write here instead of standard output")
        p.set_defaults(run=lambda args, run=run: cmd_export(args, run))
    return parser


# -- running the app -----------------------------------------------------------------------------
def cmd_app(args: argparse.Namespace) -> int:
    from .app import SupervisorApp  # Textual loads only when the app runs, not for CLI commands

    if args.theme and args.theme not in SupervisorApp.theme_names():
        raise CliError(f"there is no theme {args.theme!r}; choose from {', '.join(SupervisorApp.theme_names())}")
    banner = None
    if args.demo:
        folder = Path(tempfile.mkdtemp(prefix="supervisor-tui-demo-"))
        path = folder / "demo.json"
        from .demo import build_demo

        records = build_demo(path, seed=args.seed)
        banner = f"Demo data in {path} (a throwaway copy: change anything)."
        print(f"supervisor-tui: demo data written to {path}", file=sys.stderr)
    else:
        path = locations.resolve_db(getattr(args, "db", None))
        if not getattr(args, "db", None):
            path.parent.mkdir(parents=True, exist_ok=True)
        records = open_records(path)
    app = SupervisorApp(records, theme=args.theme, banner=banner)
    app.run()
    return app.return_code or 0


# -- commands ------------------------------------------------------------------------------------
def open_records(path: Path, create: bool = True) -> Records:
    try:
        return Records.open(str(path), create=create)
    except PermissionError:
        raise CliError(f"You do not have permission to read {path}.") from None
    except UnusableFileError as exc:
        raise CliError(str(exc)) from None


def _db(args: argparse.Namespace) -> Path:
    return locations.resolve_db(getattr(args, "db", None))


def cmd_verify(args: argparse.Namespace) -> int:
    path = _db(args)
    try:
        head = parse_head(args.head) if args.head else None
    except ValueError as exc:
        raise CliError(str(exc)) from None
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CliError(f"{path} does not exist.") from None
    except PermissionError:
        raise CliError(f"You do not have permission to read {path}.") from None
    try:
        data = load_record(raw, path) if raw.strip() else None
    except UnusableFileError as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return UNUSABLE
    if data is None:
        print(f"FAILED: {path} is empty", file=sys.stderr)
        return UNUSABLE
    report = verify(data, head)
    if report.ok:
        print(f"checked {path}: hashes, links, sequence, times and replay all agree")
        print(report.summary())
        return OK
    print(report.summary())
    return PROBLEMS


def _date_arg(records: Records, text: str, option: str):
    try:
        return records.clock.read_date(text)
    except DateInputError as exc:
        raise CliError(f"{option}: {exc}") from None


def cmd_check_rota(args: argparse.Namespace) -> int:
    records = open_records(_db(args), create=False)
    first, last = _date_arg(records, args.first, "--from"), _date_arg(records, args.last, "--to")
    if last < first:
        raise CliError("--to is before --from")
    problems = records.shifts.problems(first, last)
    for problem in problems:
        print(records.shifts.describe(problem))
    summary = f"{len(problems)} problem(s) from {first:%d/%m/%Y} to {last:%d/%m/%Y}" if problems else \
        f"no problems from {first:%d/%m/%Y} to {last:%d/%m/%Y}"
    print(summary, file=sys.stderr)
    return PROBLEMS if problems else OK


def cmd_keys(args: argparse.Namespace) -> int:
    from .app import SupervisorApp

    print(f"{'id':<24} {'key':<10} what")
    for binding in SupervisorApp.all_bindings():
        print(f"{binding.id:<24} {binding.key:<10} {binding.tooltip or binding.description}")
    print(f"\nRemap in {locations.settings_path()}: {{\"keymap\": {{\"team.add\": \"n\"}}}}")
    return OK


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import build_demo

    path = _db(args)
    try:
        records = build_demo(path, seed=args.seed)
    except UnusableFileError as exc:
        raise CliError(str(exc)) from None
    print(f"demo data written to {path}: {len(records.team.members())} people, head {records.store.head_text()}")
    return OK


def cmd_import(args: argparse.Namespace, run: Callable[[Records, str], str]) -> int:
    try:
        text = Path(args.file).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CliError(f"{args.file} does not exist.") from None
    except UnicodeDecodeError:
        raise CliError(f"{args.file} is not UTF-8 text; save it from your spreadsheet as 'CSV UTF-8'.") from None
    records = open_records(_db(args))
    try:
        summary = run(records, text)
    except ImportRefused as exc:
        for error in exc.errors:
            print(f"{args.file}: {error}", file=sys.stderr)
        print(f"{args.file}: {len(exc.errors)} bad row(s); nothing was imported", file=sys.stderr)
        return UNUSABLE
    print(summary)
    return OK


def cmd_export(args: argparse.Namespace, run: Callable[[Records, argparse.Namespace], str]) -> int:
    records = open_records(_db(args), create=False)
    try:
        text = run(records, args)
    except ValueError as exc:  # a date, week or name the user gave that does not fit
        raise CliError(str(exc)) from None
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    # On stderr, so a CSV on stdout stays clean: keep it, and 'verify --head' proves nothing was cut off since.
    print(f"audit head {records.store.head_text()}", file=sys.stderr)
    return OK


# -- what can be imported and exported ---------------------------------------------------------
def import_team(records: Records, text: str) -> str:
    imported = records.team.import_csv(text)
    return f"{imported.summary('team member(s)')}; head {records.store.head_text()}"


def import_shifts(records: Records, text: str) -> str:
    imported = records.shifts.import_csv(text)
    return f"{imported.summary('shift(s)')}; head {records.store.head_text()}"


def export_rota_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--week", required=True, help="ISO week, e.g. 2026-W48")
    p.add_argument("--format", choices=["md", "csv", "html"], required=True)


def export_rota(records: Records, args: argparse.Namespace) -> str:
    return records.shifts.export_week(args.week, args.format)


def import_kpis(records: Records, text: str) -> str:
    imported = records.quality.import_kpis(text)
    return f"{imported.summary('KPI row(s)')}; head {records.store.head_text()}"


def export_quality_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--member", metavar="NAME", help="only this person's checks")
    p.add_argument("--from", dest="first", metavar="DATE", help="first day (UK date)")
    p.add_argument("--to", dest="last", metavar="DATE", help="last day")
    p.add_argument("--format", choices=["csv", "md"], required=True)


def export_quality(records: Records, args: argparse.Namespace) -> str:
    return records.quality.export(args.member, args.first, args.last, args.format)


def export_one_to_ones_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--member", metavar="NAME", required=True, help="whose evidence pack")
    p.add_argument("--from", dest="first", metavar="DATE", help="first day (UK date)")
    p.add_argument("--to", dest="last", metavar="DATE", help="last day")
    p.add_argument("--format", choices=["md", "html"], required=True)


def export_one_to_ones(records: Records, args: argparse.Namespace) -> str:
    return records.one_to_ones.evidence_pack(args.member, args.first, args.last, args.format)


def import_complaints(records: Records, text: str) -> str:
    imported = records.complaints.import_csv(text)
    return f"{imported.summary('complaint(s)')}; head {records.store.head_text()}"


def export_complaints_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--from", dest="first", metavar="DATE", help="received on or after (UK date)")
    p.add_argument("--to", dest="last", metavar="DATE", help="received on or before")
    p.add_argument("--format", choices=["csv", "md"], required=True)


def export_complaints(records: Records, args: argparse.Namespace) -> str:
    return records.complaints.export(args.first, args.last, args.format)


def export_team_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=["csv"], default="csv")


def export_team(records: Records, args: argparse.Namespace) -> str:
    return records.team.export_csv()


IMPORTS: dict[str, tuple[str, Callable[[Records, str], str]]] = {
    "team": ("team members: name,job_title,contract_hours,date_of_birth,skills[,...]", import_team),
    "shifts": ("shifts: person,date,start,end,position[,break_minutes,reason] (a rota export imports back)",
               import_shifts),
    "kpis": ("KPIs: member,period,csat,nps,fcr (period 2026-11 or 2026-W48)", import_kpis),
    "complaints": ("an existing log: received,channel,customer,category,summary,severity"
                   "[,product,wants,owner,contact]", import_complaints),
}
EXPORTS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[Records, argparse.Namespace], str]]] = {
    "team": ("team members as CSV (imports back unchanged)", export_team_args, export_team),
    "rota": ("the printable week for the staff-room wall", export_rota_args, export_rota),
    "quality": ("one row per criterion score with each check's result", export_quality_args, export_quality),
    "one-to-ones": ("a member's evidence pack for an appraisal", export_one_to_ones_args, export_one_to_ones),
    "complaints": ("one row per complaint: stage, level, deadlines met, root cause", export_complaints_args,
                   export_complaints),
}


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    run = getattr(args, "run", cmd_app)
    try:
        return run(args)
    except (CliError, StoreError) as exc:
        print(f"supervisor-tui: {exc}", file=sys.stderr)
        return UNUSABLE
    except KeyboardInterrupt:
        return 130
