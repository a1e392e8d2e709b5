"""Command line: run the app, make demo data, verify the record, import and export.

Exit codes are promises to scripts: 0 fine; 1 verify or a check found problems; 2 the input or the
file is unusable (nothing was written).
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from supervisor_tui.storage import StoreError, UnusableFileError, parse_head, write_private_file
from supervisor_tui.storage.jsonfile import LockedFile

from . import __version__, locations
from .output import visible

if TYPE_CHECKING:  # the services (and pydantic with them) load when a command needs them: see ``cmd_app``
    from .domain.subject_access import SubjectAccessRequest
    from .services import Records

OK, PROBLEMS, UNUSABLE = 0, 1, 2


class CliError(Exception):
    """A clear message for stderr and exit 2."""


def echo(line: str = "", *, err: bool = False) -> None:
    """Print one line: every line the CLI prints goes through here. Names, reasons and a tampered
    audit entry's text are data, so their control, bidi and invisible characters are shown as
    escapes (``\\x1b``, ``\\x0d``, ``\\u202e``): nothing can recolour the terminal, print over a FAILED
    line or start a forged line of its own."""
    print(visible(line), file=sys.stderr if err else sys.stdout)


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help=f"the record file (default: ${locations.DB_ENV}, else {locations.default_db_path()})",
    )
    parser.add_argument(
        "--shared",
        action="store_true",
        default=argparse.SUPPRESS,
        help="if the record file is new, make it readable and writable by its folder's group "
        "(a setgid group folder does this anyway); otherwise new files follow your umask",
    )


def _out_option(parser: argparse.ArgumentParser, *names: str) -> None:
    parser.add_argument(
        *names,
        "--output",
        "-o",
        dest="output",
        metavar="FILE",
        help="write here (atomically, never world-readable) instead of standard output; - is standard output",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="supervisor-tui", description="A customer-service supervisor's auditable record, in the terminal."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _db_option(parser)
    parser.add_argument("--demo", action="store_true", help="open on freshly generated demo data in a throwaway file")
    parser.add_argument("--seed", type=int, default=1, help="demo data seed (default 1)")
    parser.add_argument("--theme", help="shopfloor, daylight, high-contrast (remembered for you)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = commands.add_parser(
        "verify", help="check the file, the audit chain and the records; exit 1 if anything is wrong"
    )
    _db_option(p)
    p.add_argument("--head", metavar="SEQ:HASH", help="also check the log still holds this entry (from an export)")
    p.set_defaults(run=cmd_verify)

    p = commands.add_parser(
        "upgrade", help="move a record in the old single-file format to the journal format (keeps the old file)"
    )
    _db_option(p)
    p.set_defaults(run=cmd_upgrade)

    p = commands.add_parser(
        "seal", help="move closed records from before a date into a read-only sealed segment (shows what first)"
    )
    p.add_argument(
        "--before", required=True, metavar="DATE", help="the cut-off: closed records dated before it (UK date)"
    )
    p.add_argument("--reason", default="closed records sealed", metavar="TEXT", help="kept with the seal")
    p.add_argument("--yes", action="store_true", help="seal without asking (needed when not run in a terminal)")
    p.add_argument("--file", dest="db", metavar="PATH", default=argparse.SUPPRESS, help="the record file (as --db)")
    _db_option(p)
    p.set_defaults(run=cmd_seal)

    p = commands.add_parser(
        "erase",
        help="erase personal data: a customer's or a former member's on request, or what the retention schedule "
        "says is due (shows what first)",
    )
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--customer", metavar="NAME", help="the customer, by name as the complaint log has it")
    who.add_argument("--member", metavar="NAME", help="a former member of staff, by name or number")
    who.add_argument("--due", action="store_true", help="everything the retention schedule says is due")
    p.add_argument("--reason", required=True, metavar="TEXT", help="the request or the rule (kept with the erasure)")
    p.add_argument("--yes", action="store_true", help="erase without asking (needed when not run in a terminal)")
    _db_option(p)
    p.set_defaults(run=cmd_erase)

    holds = commands.add_parser(
        "hold", help="legal holds: list them, or place or lift one (held data is never erased)"
    ).add_subparsers(dest="action", metavar="ACTION")
    p = holds.add_parser("list", help="the holds in force (--all: lifted ones too)")
    p.add_argument("--all", action="store_true")
    _db_option(p)
    p.set_defaults(run=cmd_hold_list)
    p = holds.add_parser("place", help="hold a member's (or one record's) data, with why")
    p.add_argument("subject", metavar="ID", help="a member's number (M-0003) or a record's (C-0012)")
    p.add_argument("--reason", required=True, metavar="TEXT", help="e.g. 'tribunal claim 1234/2026'")
    _db_option(p)
    p.set_defaults(run=cmd_hold_place)
    p = holds.add_parser("lift", help="lift a hold, with why")
    p.add_argument("hold", metavar="HOLD", help="the hold's number (LH-0001)")
    p.add_argument("--reason", required=True, metavar="TEXT")
    _db_option(p)
    p.set_defaults(run=cmd_hold_lift)

    p = commands.add_parser(
        "log",
        help="every change in the record, newest first: when, who, which record, each field before -> after, why "
        "(the audit head on stderr)",
    )
    p.add_argument("--record", metavar="ID", help="only this record's changes, e.g. M-0003 or C-0012")
    p.add_argument(
        "--member", metavar="NAME", help="only changes to records about this person (by name or number, leavers too)"
    )
    p.add_argument("--by", metavar="LOGIN", help="only changes made by this login")
    p.add_argument("--kind", metavar="KIND", help="only this kind of record, e.g. shift, complaint, 'team member'")
    p.add_argument("--from", dest="first", metavar="DATE", help="made on or after this day (UK date, today, -2w)")
    p.add_argument("--to", dest="last", metavar="DATE", help="made on or before this day")
    p.add_argument("--format", choices=["text", "csv", "md"], default="text", help="text (default), csv or md")
    _db_option(p)
    p.set_defaults(run=cmd_log)

    p = commands.add_parser("demo", help="write the demo data set into a new file")
    _db_option(p)
    p.add_argument("--seed", type=int, default=1)
    p.set_defaults(run=cmd_demo)

    p = commands.add_parser(
        "today", help="what needs doing today, most urgent first (for a morning e-mail or a wall screen)"
    )
    p.add_argument("--format", choices=["text", "md"], default="text", help="text (default) or Markdown")
    _db_option(p)
    p.set_defaults(run=cmd_today)

    p = commands.add_parser(
        "report",
        help="the manager's report for a month, week or quarter, each figure beside the period before's "
        "(the audit head on stderr)",
    )
    p.add_argument(
        "--period",
        metavar="PERIOD",
        help="a month (2026-11), an ISO week (2026-W48) or a quarter (2026-Q4); default: the last full month",
    )
    p.add_argument("--format", choices=["md", "html"], default="md", help="md (default) or html (with charts)")
    _out_option(p, "--out")
    _db_option(p)
    p.set_defaults(run=cmd_report)

    checks = commands.add_parser(
        "check", help="check records against the rules; exit 1 if there are problems"
    ).add_subparsers(dest="kind", metavar="KIND", required=True)
    p = checks.add_parser("rota", help="every working-time and allocation problem, one a line")
    p.add_argument("--from", dest="first", required=True, metavar="DATE", help="first day (UK date, today, mon, +3d)")
    p.add_argument("--to", dest="last", required=True, metavar="DATE", help="last day")
    _db_option(p)
    p.set_defaults(run=cmd_check_rota)

    p = commands.add_parser("keys", help="list every key binding with the id to remap it by")
    p.set_defaults(run=cmd_keys)

    p = commands.add_parser("settings", help="print every team setting; 'settings set KEY VALUE' changes one")
    _db_option(p)
    p.set_defaults(run=cmd_settings)
    p = p.add_subparsers(dest="action", metavar="ACTION").add_parser(
        "set", help="change one team setting (checked and audited like any change)"
    )
    p.add_argument("key", metavar="KEY", help="a key 'supervisor-tui settings' lists, e.g. week_start")
    p.add_argument("value", metavar="VALUE", help="e.g. 'mon 00:00', SCT, yes")
    _db_option(p)
    p.set_defaults(run=cmd_settings_set)

    _sar_commands(commands)

    p = commands.add_parser("completion", help="print shell completion for bash or zsh (see the README)")
    p.add_argument("shell", choices=["bash", "zsh"])
    p.set_defaults(run=cmd_completion)

    importers = commands.add_parser("import", help="bulk import from CSV (all or nothing)").add_subparsers(
        dest="kind", metavar="KIND", required=True
    )
    for kind, (help_text, run) in IMPORTS.items():
        p = importers.add_parser(kind, help=help_text)
        p.add_argument("file", metavar="FILE.csv")
        _db_option(p)
        p.set_defaults(run=lambda args, run=run: cmd_import(args, run))

    exporters = commands.add_parser("export", help="write records out (CSV, Markdown, HTML)").add_subparsers(
        dest="kind", metavar="KIND", required=True
    )
    for kind, (help_text, add_args, export) in EXPORTS.items():
        p = exporters.add_parser(kind, help=help_text)
        add_args(p)
        _db_option(p)
        _out_option(p)
        p.set_defaults(run=lambda args, export=export: cmd_export(args, export))
    return parser


# -- running the app -----------------------------------------------------------------------------
def cmd_app(args: argparse.Namespace) -> int:
    """Run the app. The file opens inside it, after its first frame (see ``SupervisorApp``); a file that
    cannot be opened ends the app at once and is reported here, on stderr with exit 2, as before."""
    from functools import partial

    from supervisor_tui.themes import ThemeFileError

    from .app import SupervisorApp  # Textual loads only when the app runs, not for CLI commands

    try:
        themes = SupervisorApp.theme_names()
    except ThemeFileError as exc:  # a theme file someone edited: say which and why, not a traceback
        raise CliError(str(exc)) from None
    if args.theme and args.theme not in themes:
        raise CliError(f"there is no theme {args.theme!r}; choose from {', '.join(themes)}")
    banner = None
    asking: Path | None = None
    opener: Callable[[], Records]
    if args.demo:
        path = Path(tempfile.mkdtemp(prefix="supervisor-tui-demo-")) / "demo.json"
        opener = partial(_build_demo, path, args.seed)
        banner = f"Demo data in {path} (a throwaway copy: change anything)."
    else:
        # No file named and none at the default place: the app says so and asks before starting one.
        asking = locations.new_default_db(getattr(args, "db", None))
        path = locations.resolve_db(getattr(args, "db", None))
        opener = partial(open_records, path, shared=_shared(args), warn=False)  # the app shows the warning
    from supervisor_tui.storage.upgrade import upgrade_likely

    upgrading = not getattr(args, "demo", False) and upgrade_likely(path)
    app = SupervisorApp(
        opener=opener,
        opening=path.name,
        upgrading=upgrading,
        theme=args.theme,
        banner=banner,
        new_file=asking,
    )
    app.run()
    if app.open_error is not None:
        raise app.open_error  # main() reports it exactly as it would have before the app started
    if args.demo:
        echo(f"supervisor-tui: the demo data is in {path}", err=True)
    return app.return_code or 0


def _build_demo(path: Path, seed: int) -> Records:
    from .demo import build_demo

    return build_demo(path, seed=seed)


# -- commands ------------------------------------------------------------------------------------
def open_records(path: Path, create: bool = True, shared: bool = False, *, warn: bool = True) -> Records:
    """The record at ``path``, or a CliError saying why it cannot be opened. ``warn``: say on stderr if
    this machine's clock is behind the record (the app says it on screen instead)."""
    from .services import Records

    try:
        records = Records.open(str(path), create=create, shared=shared)
    except PermissionError:
        raise CliError(f"You do not have permission to read {path}.") from None
    except UnusableFileError as exc:
        raise CliError(str(exc)) from None
    warning = records.clock_warning() if warn else None
    if warning:
        echo(f"supervisor-tui: warning: {warning}", err=True)
    if warn:
        for title, message in records.record_notices():
            echo(f"supervisor-tui: {title.lower()}: {message}", err=True)
    return records


def _shared(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "shared", False))


def _db(args: argparse.Namespace) -> Path:
    return locations.resolve_db(getattr(args, "db", None))


def cmd_verify(args: argparse.Namespace) -> int:
    path = _db(args)
    try:
        head = parse_head(args.head) if args.head else None
    except ValueError as exc:
        raise CliError(str(exc)) from None
    if not path.exists() and not path.is_symlink():
        raise CliError(f"{path} does not exist.")
    from supervisor_tui.storage.verify import RecordReport, verify_record

    try:
        report = verify_record(LockedFile(path).path, head)
    except UnusableFileError as exc:
        echo(f"FAILED: {exc}", err=True)
        return UNUSABLE
    for warning in report.warnings:
        echo(f"warning: {warning}")
    if isinstance(report, RecordReport):
        for note in report.notes:
            echo(f"note: {note}")
        for erased in report.erased:
            echo(f"erased: {erased}")
    if report.ok:
        signed = f", {report.signed} signatures" if isinstance(report, RecordReport) else ""
        echo(
            f"checked {path}: hashes, links, sequence{signed} and replay all agree"
            + (f"; {len(report.warnings)} warning(s), above" if report.warnings else "")
        )
        echo(report.summary())
        return OK
    echo(report.summary())
    return PROBLEMS


def _date_arg(records: Records, text: str, option: str):
    from .domain.dates import DateInputError

    try:
        return records.clock.read_date(text)
    except DateInputError as exc:
        raise CliError(f"{option}: {exc}") from None


def cmd_today(args: argparse.Namespace) -> int:
    """The Today screen's lines, most urgent first; the audit head on stderr like every other export."""
    records = open_records(_db(args), create=False)
    sys.stdout.write(visible(records.today.view().render(args.format), multiline=True))
    echo(f"audit head {records.store.head_text()}", err=True)
    return OK


def cmd_check_rota(args: argparse.Namespace) -> int:
    records = open_records(_db(args), create=False)
    first, last = _date_arg(records, args.first, "--from"), _date_arg(records, args.last, "--to")
    if last < first:
        raise CliError("--to is before --from")
    problems = records.shifts.problems(first, last)
    for problem in problems:
        echo(records.shifts.describe(problem))
    summary = (
        f"{len(problems)} problem(s) from {first:%d/%m/%Y} to {last:%d/%m/%Y}"
        if problems
        else f"no problems from {first:%d/%m/%Y} to {last:%d/%m/%Y}"
    )
    echo(summary, err=True)
    return PROBLEMS if problems else OK


def cmd_settings(args: argparse.Namespace) -> int:
    """Every team setting as 'key = value', with what it means and the rule behind it underneath."""
    from .services.settings import TeamSettingsRegistry

    records = open_records(_db(args), create=False)
    for setting in TeamSettingsRegistry(records).listing():
        echo(f"{setting.key} = {setting.value}")
        echo(f"    {setting.about}")
    return OK


def cmd_settings_set(args: argparse.Namespace) -> int:
    from .services.settings import SettingsError, TeamSettingsRegistry

    records = open_records(_db(args), shared=_shared(args))
    try:
        setting = TeamSettingsRegistry(records).set(args.key, args.value)
    except SettingsError as exc:
        raise CliError(str(exc)) from None
    echo(f"{setting.key} = {setting.value}")
    echo(f"audit head {records.store.head_text()}", err=True)
    return OK


# -- subject access requests ---------------------------------------------------------------------
def _sar_commands(commands: argparse._SubParsersAction) -> None:
    """``supervisor-tui sar ...``: the subject access request log (UK GDPR Art. 15 and 12(3))."""
    sar = commands.add_parser(
        "sar", help="the subject access request log: due dates under UK GDPR Art. 12(3)"
    ).add_subparsers(dest="action", metavar="ACTION", required=True)

    p = sar.add_parser("list", help="every request, open ones first by due date")
    p.add_argument("--open", dest="open_only", action="store_true", help="only those not yet answered")
    p.add_argument("--format", choices=["text", "csv"], default="text")
    _db_option(p)
    p.set_defaults(run=cmd_sar_list)

    p = sar.add_parser("log", help="log a request received; says when it is due")
    p.add_argument("--name", required=True, metavar="NAME", help="who asked, as they gave their name")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--member", metavar="NAME", help="the member of staff asking (by name on the team)")
    who.add_argument("--customer", action="store_true", help="a customer is asking")
    p.add_argument(
        "--received",
        required=True,
        metavar="DATE",
        help="the day it came in (UK date, today, yesterday; or --received=-3d)",
    )
    p.add_argument("--how", default="", metavar="TEXT", help="how it came in: email, letter, in person...")
    _db_option(p)
    p.set_defaults(run=cmd_sar_log)

    p = sar.add_parser("id-checked", help="record the day the information confirming who they are arrived")
    p.add_argument("id", metavar="ID", help="the request's reference, e.g. SAR-0001")
    p.add_argument("--on", required=True, metavar="DATE", help="the day (UK date, today, yesterday; or --on=-3d)")
    p.add_argument("--how", default="", metavar="TEXT", help="e.g. passport seen, known to the team")
    _db_option(p)
    p.set_defaults(run=cmd_sar_identity)

    p = sar.add_parser("extend", help="extend by two months for a complex request (told within the first month)")
    p.add_argument("id", metavar="ID", help="the request's reference, e.g. SAR-0001")
    p.add_argument("--reason", required=True, metavar="TEXT", help="why: the person is given these reasons")
    p.add_argument("--told", metavar="DATE", help="the day the person was told (default today)")
    _db_option(p)
    p.set_defaults(run=cmd_sar_extend)

    p = sar.add_parser("delivered", help="record that the copy of their data went to the person")
    p.add_argument("id", metavar="ID", help="the request's reference, e.g. SAR-0001")
    p.add_argument("--on", required=True, metavar="DATE", help="the day it went (UK date, today)")
    p.add_argument("--how", default="", metavar="TEXT", help="e.g. secure email, by post")
    _db_option(p)
    p.set_defaults(run=cmd_sar_delivered)

    p = sar.add_parser("close", help="close a request as refused or withdrawn, with the reason")
    p.add_argument("id", metavar="ID", help="the request's reference, e.g. SAR-0001")
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--refused", dest="closing", action="store_const", const="refused", help="refused (Art. 12(5))")
    how.add_argument("--withdrawn", dest="closing", action="store_const", const="withdrawn", help="withdrawn by them")
    p.add_argument("--reason", required=True, metavar="TEXT", help="why; it stays on the record")
    _db_option(p)
    p.set_defaults(run=cmd_sar_close)


def _sar_change(args: argparse.Namespace, change: Callable[[Records], SubjectAccessRequest]) -> int:
    """Open the record, make one change to the log, and say where the request now stands; a date,
    reference or rule the input breaks is a clear message and exit 2, with nothing written."""
    from pydantic import ValidationError

    from .domain.base import explain
    from .domain.subject_access import SubjectAccessRequest

    records = open_records(_db(args), shared=_shared(args))
    try:
        saved = change(records)
    except ValidationError as exc:
        raise CliError("; ".join(explain(exc, SubjectAccessRequest))) from None
    except ValueError as exc:
        raise CliError(str(exc)) from None
    echo(_sar_line(records, saved))
    echo(f"audit head {records.store.head_text()}", err=True)
    return OK


def _sar_line(records: Records, request: SubjectAccessRequest) -> str:
    view = records.subject_access.view(request)
    due = f"due {view.deadline.due:%a %d/%m/%Y}" if view.deadline else "clock not started"
    extended = " (extended, Art. 12(3))" if request.extended else ""
    left = f", {view.left}" if view.left else ""
    return (
        f"{view.id}  {request.requester} ({'member of staff' if request.whose == 'member' else 'customer'})  "
        f"received {request.received_on:%d/%m/%Y}  {due}{extended}  {view.state}{left}"
    )


def cmd_sar_list(args: argparse.Namespace) -> int:
    records = open_records(_db(args), create=False)
    service = records.subject_access
    if args.format == "csv":
        sys.stdout.write(visible(service.export_csv(open_only=args.open_only), multiline=True))
        return OK
    views = service.requests(open_only=args.open_only)
    for view in views:
        echo(_sar_line(records, view.request))
    overdue = sum(view.overdue for view in views)
    echo(f"{len(views)} request(s){f', {overdue} overdue' if overdue else ''}", err=True)
    return OK


def cmd_sar_log(args: argparse.Namespace) -> int:
    def change(records: Records) -> SubjectAccessRequest:
        received = _date_arg(records, args.received, "--received")
        member_id = ""
        if args.member is not None:
            member = records.team.by_name(args.member)
            if member is None:
                raise CliError(f"--member: there is no {args.member!r} on the team; use --customer for a customer")
            member_id = member.saved_id
        return records.subject_access.log(args.name, received, member_id=member_id, how=args.how)

    return _sar_change(args, change)


def cmd_sar_identity(args: argparse.Namespace) -> int:
    def change(records: Records) -> SubjectAccessRequest:
        service = records.subject_access
        return service.record_identity_check(service.get(args.id), _date_arg(records, args.on, "--on"), args.how)

    return _sar_change(args, change)


def cmd_sar_extend(args: argparse.Namespace) -> int:
    def change(records: Records) -> SubjectAccessRequest:
        service = records.subject_access
        told = _date_arg(records, args.told, "--told") if args.told is not None else None
        return service.extend(service.get(args.id), args.reason, told)

    return _sar_change(args, change)


def cmd_sar_delivered(args: argparse.Namespace) -> int:
    def change(records: Records) -> SubjectAccessRequest:
        service = records.subject_access
        return service.deliver(service.get(args.id), _date_arg(records, args.on, "--on"), args.how)

    return _sar_change(args, change)


def cmd_sar_close(args: argparse.Namespace) -> int:
    def change(records: Records) -> SubjectAccessRequest:
        service = records.subject_access
        return service.close(service.get(args.id), args.closing, args.reason)

    return _sar_change(args, change)


def cmd_completion(args: argparse.Namespace) -> int:
    """The completion script, generated from this very parser so it never falls behind a new command."""
    import shtab  # only needed here

    sys.stdout.write(shtab.complete(build_parser(), shell=args.shell))
    return OK


def cmd_keys(args: argparse.Namespace) -> int:
    from .app import SupervisorApp

    echo(f"{'id':<24} {'key':<10} what")
    for binding in SupervisorApp.all_bindings():
        echo(f"{binding.id:<24} {binding.key:<10} {binding.tooltip or binding.description}")
    echo()
    echo(f'Remap in {locations.settings_path()}: {{"keymap": {{"team.add": "n"}}}}')
    return OK


def cmd_upgrade(args: argparse.Namespace) -> int:
    from .services import Records

    path = _db(args)
    if not path.exists() and not path.is_symlink():
        raise CliError(f"{path} does not exist.")
    try:
        records = Records.open(str(path), create=False)
    except StoreError as exc:
        raise CliError(str(exc)) from None
    store = records.store
    if store.read_only:
        raise CliError(f"{path} is read-only for you, so it cannot be upgraded; ask someone who can write it.")
    echo(store.upgraded or f"{path} is already in the journal format (head {store.head_text()})")
    return OK


def cmd_seal(args: argparse.Namespace) -> int:
    """Show what sealing before the date would do, ask, then seal (see services.sealing)."""
    records = _writable_records(args, "sealed")
    cut_off = _date_arg(records, args.before, "--before")
    try:
        preview = records.sealing.preview(cut_off)
    except ValueError as exc:
        raise CliError(f"--before: {exc}") from None
    for line in preview.lines(records.tz):
        echo(line)
    if not preview.count:
        return OK
    if not args.yes and not _confirm(
        "Seal these records? They stay readable but can never be changed.",
        "sealing is asked for first: run it in a terminal, or add --yes to seal without asking",
    ):
        echo("Nothing was sealed.")
        return OK
    try:
        done = records.sealing.seal(cut_off, args.reason)
    except ValueError as exc:
        raise CliError(f"--before: {exc}") from None
    echo(f"sealed {done.count} records into segment {done.segment}; head {records.store.head_text()}")
    return OK


def _confirm(question: str, refusal: str) -> bool:
    """Asked in a terminal (y or yes goes ahead); outside one, refused with exit 2 and ``refusal``, which
    says how to go ahead without being asked."""
    if not sys.stdin.isatty():
        raise CliError(refusal)
    try:
        answer = input(f"{question} [y/N] ")
    except EOFError:
        answer = ""
    return answer.strip().lower() in ("y", "yes")


def _writable_records(args: argparse.Namespace, what: str) -> Records:
    """The record named by the arguments, open for writing; refused (exit 2) if it is missing or read-only
    for this user, saying that nothing can be ``what``."""
    path = _db(args)
    if not path.exists() and not path.is_symlink():
        raise CliError(f"{path} does not exist.")
    records = open_records(path, create=False)
    if records.store.read_only:
        raise CliError(f"{path} is read-only for you, so nothing can be {what}; ask someone who can write it.")
    return records


def cmd_erase(args: argparse.Namespace) -> int:
    """Show what would be erased and what is kept (and why), ask, then erase (services.data_protection)."""
    records = _writable_records(args, "erased")
    service = records.data_protection
    try:
        if args.due:
            groups = service.due()
            items = [item for group in groups for item in group.items]
            kept = [k for group in groups for k in group.kept]
            from .services.data_protection import Preview

            preview = Preview("everyone whose retention period has passed", items, kept)
        elif args.customer is not None:
            preview = service.for_customer(args.customer)
        else:
            preview = service.for_member(args.member)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    echo(f"Erasing the personal data of {preview.title}:")
    for line in preview.lines():
        echo(f"  {line}")
    if not preview.items:
        if preview.kept:
            echo("Nothing can be erased now.")
        else:  # on request, everything was erased before: saying 'nothing is due' would read as the schedule's
            echo("Nothing is due." if args.due else "Nothing is left to erase: it was all erased before.")
        return OK
    if not args.yes and not _confirm(
        f"Erase these values from every file of the record? This cannot be undone. ({len(preview.items)} record(s))",
        "erasure is asked for first: run it in a terminal, or add --yes to erase without asking",
    ):
        echo("Nothing was erased.")
        return OK
    try:
        report = service.erase(preview.items, args.reason)
    except (ValueError, StoreError) as exc:
        raise CliError(str(exc)) from None
    echo(
        f"erased {len(report.entries)} record(s): {report.values} value(s) taken out of the journal; "
        f"head {records.store.head_text()}"
    )
    return OK


def cmd_log(args: argparse.Namespace) -> int:
    """The record's history, newest first (services.audit_log), streamed a page at a time."""
    from .services.audit_log import QueryError

    records = open_records(_db(args), create=False)
    service = records.audit_log
    try:
        query = service.query(
            record=args.record or "",
            member=args.member or "",
            by=args.by or "",
            kind=args.kind or "",
            start=args.first or "",
            end=args.last or "",
        )
    except QueryError as exc:
        raise CliError(f"--{exc.part}: {exc}") from None
    head = records.store.head_text()  # the list reads up to here, whatever other sessions add meanwhile
    try:
        for piece in service.export(query, args.format):
            if args.format == "text":
                echo(piece)  # one line each: a line break someone typed shows as \x0a, never a line of its own
            else:
                sys.stdout.write(visible(piece, multiline=True))
        sys.stdout.flush()
    except BrokenPipeError:  # 'supervisor-tui log | head': the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return OK
    echo(f"audit head {head}", err=True)
    return OK


def cmd_hold_list(args: argparse.Namespace) -> int:
    records = open_records(_db(args), create=False)
    holds = records.data_protection.holds(include_lifted=args.all)
    for hold in holds:
        state = "in force" if hold.active else f"lifted {hold.lifted_on:%d/%m/%Y}: {hold.lift_reason}"
        echo(f"{hold.id}  {hold.subject}  placed {hold.placed_on:%d/%m/%Y}  {state}  — {hold.reason}")
    if not holds:
        echo("No legal holds." if args.all else "No legal holds in force.")
    return OK


def cmd_hold_place(args: argparse.Namespace) -> int:
    records = _writable_records(args, "held")
    try:
        hold = records.data_protection.place_hold(args.subject, args.reason)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    echo(f"{hold.id}: {hold.subject} is on legal hold; nothing about it is erased until the hold is lifted")
    return OK


def cmd_hold_lift(args: argparse.Namespace) -> int:
    records = _writable_records(args, "changed")
    service = records.data_protection
    wanted = args.hold.strip().upper()
    hold = next((h for h in service.holds(include_lifted=True) if h.id == wanted), None)
    if hold is None:
        raise CliError(f"there is no legal hold {args.hold!r}; 'supervisor-tui hold list --all' lists them")
    try:
        service.lift_hold(hold, args.reason)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    echo(f"{hold.id} lifted: {hold.subject}'s data follows the retention schedule again")
    return OK


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import build_demo

    path = _db(args)
    try:
        records = build_demo(path, seed=args.seed, shared=_shared(args))
    except UnusableFileError as exc:
        raise CliError(str(exc)) from None
    echo(f"demo data written to {path}: {len(records.team.members())} people, head {records.store.head_text()}")
    return OK


def read_input_file(name: str) -> str:
    """A CSV file to import: a plain file of UTF-8 text, or a clear reason why not (a folder, a FIFO
    that would wait for ever, a file too big to be a spreadsheet export)."""
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise CliError(f"{name} does not exist.") from None
    except OSError as exc:
        raise CliError(f"{name} cannot be read: {exc.strerror}.") from None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise CliError(f"{name} is not a plain file (it is a folder, a FIFO or a device); give a CSV file.")
    with os.fdopen(fd, "rb") as fh:
        if st.st_size > MAX_IMPORT_BYTES:
            raise CliError(
                f"{name} is {st.st_size / 1e6:.0f} MB; an import file can be at most "
                f"{MAX_IMPORT_BYTES // 1_000_000} MB. Split it."
            )
        try:
            raw = fh.read()
        except OSError as exc:
            raise CliError(f"{name} could not be read: {exc.strerror}.") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CliError(f"{name} is not UTF-8 text; save it from your spreadsheet as 'CSV UTF-8'.") from None


MAX_IMPORT_BYTES = 200_000_000


def cmd_import(args: argparse.Namespace, run: Callable[[Records, str], str]) -> int:
    from .services.csvio import ImportRefused

    text = read_input_file(args.file)
    records = open_records(_db(args), shared=_shared(args))
    try:
        summary = run(records, text)
    except ImportRefused as exc:
        for error in exc.errors:
            echo(f"{args.file}: {error}", err=True)
        echo(f"{args.file}: {exc.count_text()}; nothing was imported", err=True)
        return UNUSABLE
    echo(summary)
    return OK


def cmd_export(args: argparse.Namespace, run: Callable[[Records, argparse.Namespace], str]) -> int:
    records = open_records(_db(args), create=False)
    try:
        text = run(records, args)
    except ValueError as exc:  # a date, week or name the user gave that does not fit
        raise CliError(str(exc)) from None
    _write_out(args, text)
    # On stderr, so a CSV on stdout stays clean: keep it, and 'verify --head' proves nothing was cut off since.
    echo(f"audit head {records.store.head_text()}", err=True)
    return OK


def _write_out(args: argparse.Namespace, text: str) -> None:
    """An export to the file ``--output`` names, or to standard output."""
    if args.output and args.output != "-":
        write_private_file(args.output, text)  # atomic, never world-readable; StoreError says why not
    else:  # a terminal may be reading: shown like every other line, line breaks and tabs kept
        sys.stdout.write(visible(text, multiline=True))


def cmd_report(args: argparse.Namespace) -> int:
    """The manager's report (services.report); the audit head it was read at on stderr, as every export's."""
    from .services.report import render

    records = open_records(_db(args), create=False)
    try:
        window = records.report.period(args.period)
    except ValueError as exc:
        raise CliError(f"--period: {exc}") from None
    report = records.report.build(window)
    _write_out(args, render(report, args.format))
    echo(f"audit head {report.head}", err=True)
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


def export_person_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--member", metavar="NAME", required=True, help="whose pack (a leaver too)")
    p.add_argument("--from", dest="first", metavar="DATE", help="first day (UK date; default: all time)")
    p.add_argument("--to", dest="last", metavar="DATE", help="last day (default: to date)")
    p.add_argument("--format", choices=["md", "html"], required=True)


def export_person(records: Records, args: argparse.Namespace) -> str:
    return records.evidence.person_pack(args.member, args.first, args.last, args.format)


def export_customer_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--customer", metavar="NAME", required=True, help="the customer's name, as on their complaints")
    p.add_argument("--format", choices=["md", "html"], required=True)


def export_customer(records: Records, args: argparse.Namespace) -> str:
    text = records.evidence.customer_export(args.customer, args.format)
    warning = records.evidence.contact_warning(records.evidence.customer_complaints(args.customer))
    if warning:  # for the supervisor, before anything is sent: never in the export itself
        echo(f"supervisor-tui: warning: {warning}", err=True)
    return text


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
    "shifts": (
        "shifts: person,date,start,end,position[,break_minutes,reason] (a rota export imports back)",
        import_shifts,
    ),
    "kpis": ("KPIs: member,period,csat,nps,fcr (period 2026-11 or 2026-W48)", import_kpis),
    "complaints": (
        "an existing log: received,channel,customer,category,summary,severity[,product,wants,owner,contact]",
        import_complaints,
    ),
}
EXPORTS: dict[
    str, tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[Records, argparse.Namespace], str]]
] = {
    "team": ("team members as CSV (imports back unchanged)", export_team_args, export_team),
    "rota": ("the printable week for the staff-room wall", export_rota_args, export_rota),
    "quality": ("one row per criterion score with each check's result", export_quality_args, export_quality),
    "one-to-ones": ("a member's evidence pack for an appraisal", export_one_to_ones_args, export_one_to_ones),
    "person": (
        "a member's whole-person evidence pack: subject access (UK GDPR Art. 15), appraisals, hearings",
        export_person_args,
        export_person,
    ),
    "complaints": (
        "one row per complaint: stage, level, deadlines met, root cause",
        export_complaints_args,
        export_complaints,
    ),
    "customer": (
        "a customer's complaints with their history, for their subject access request",
        export_customer_args,
        export_customer,
    ),
}


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    run = getattr(args, "run", cmd_app)
    try:
        return run(args)
    except (CliError, StoreError) as exc:
        echo(f"supervisor-tui: {exc}", err=True)
        return UNUSABLE
    except OSError as exc:  # anything the operating system refused that no layer above explained
        where = f" ({exc.filename})" if exc.filename else ""
        echo(f"supervisor-tui: {exc.strerror or exc}{where}; nothing was changed.", err=True)
        return UNUSABLE
    except KeyboardInterrupt:
        return 130
