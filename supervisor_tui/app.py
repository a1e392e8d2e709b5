"""The App: sections switched by one key, the command palette, live refresh, themes."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from functools import partial
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.theme import BUILTIN_THEMES, Theme
from textual.widget import AwaitMount

from supervisor_tui.themes import DEFAULT_THEME, load_themes

from . import locations
from .commands import RecordFinder
from .output import visible
from .screens.base import RecordsChanged
from .screens.opening import OpeningScreen
from .widgets.key_order import KeysInTurn

if TYPE_CHECKING:
    from .services import Records, Target

POLL_SECONDS = 0.5


class SupervisorApp(KeysInTurn, App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "supervisor-tui"
    # (mode, title, key): one section per job; a section appears here only once it is built.
    SECTIONS = [
        ("today", "Today", "0"),
        ("team", "Team", "1"),
        ("shifts", "Shifts", "2"),
        ("quality", "Quality", "3"),
        ("one_to_ones", "1:1s", "4"),
        ("complaints", "Complaints", "5"),
        ("data_protection", "Data protection", "6"),
        ("improvement", "Improvement", "7"),
    ]
    # Each section's screen, by module and class: a section's code (and pydantic, which the services
    # bring) loads when it is first needed, not before the app's first frame.
    SECTION_SCREENS: ClassVar[dict[str, str]] = {
        "today": "screens.today:TodayScreen",
        "team": "screens.team:TeamScreen",
        "shifts": "screens.shifts:ShiftsScreen",
        "quality": "screens.quality:QualityScreen",
        "one_to_ones": "screens.one_to_ones:OneToOnesScreen",
        "complaints": "screens.complaints:ComplaintsScreen",
        "data_protection": "screens.data_protection.overview:DataProtectionScreen",
        "improvement": "screens.improvement:ImprovementScreen",
    }
    # The app starts on the opening screen, in a mode of its own, and moves to the first section when
    # the record is open (at once if it was given open).
    DEFAULT_MODE = "opening"
    FIRST_SECTION = "today"
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(key, f"switch_mode('{mode}')", title, id=f"section.{mode}", tooltip=f"Go to {title}", show=False)
            for mode, title, key in SECTIONS
        ),
        Binding(
            "L",
            "audit_log",
            "Audit log",
            id="app.audit_log",
            show=False,
            tooltip="Every change in the record, newest first: who, what, before -> after, why",
        ),
        # Help reaches past dialogs (priority), so F1 works in every form; ? is the same help wherever it
        # does not type (a text box keeps it).
        Binding(
            "f1",
            "help",
            "Help",
            id="app.help",
            tooltip="Every key on this screen, and what its marks mean",
            priority=True,
        ),
        Binding(
            "question_mark", "help", "Help", id="app.help_key", show=False, tooltip="The same help, outside a text box"
        ),
        # Not in the footer (ctrl+c says how to quit, and help lists it): the footer's room is for the screen's keys.
        Binding("ctrl+q", "quit", "Quit", id="app.quit", tooltip="Leave supervisor-tui", priority=True, show=False),
    ]
    COMMANDS = App.COMMANDS | {RecordFinder}
    # Each kind of record the palette can find opens in its section, on its own page.
    PAGES: ClassVar[dict[str, tuple[str, str]]] = {
        "member": ("team", "screens.team:MemberScreen"),
        "complaint": ("complaints", "screens.complaints:ComplaintPage"),
        "sar": ("data_protection", "screens.data_protection.requests:RequestsScreen"),
        "improvement": ("improvement", "screens.improvement:ActionPage"),
    }
    # Every other screen or dialog with its own keys (for ``supervisor-tui keys`` and the keymap).
    OTHER_SCREENS: ClassVar[list[str]] = [
        "widgets.form:RecordForm",
        "widgets.prompt:ReasonPrompt",
        "widgets.prompt:Confirm",
        "widgets.saving:WaitingForLock",
        "screens.shifts:FillSlot",
        "screens.briefing:BriefingScreen",
        "screens.shifts:DayScreen",
        "screens.quality:ScoreCheckScreen",
        "screens.quality:MemberQualityScreen",
        "screens.quality:CalibrationScreen",
        "screens.quality:CalibrationSessionScreen",
        "screens.quality:StandardsScreen",
        "screens.one_to_ones:RecordMeetingScreen",
        "screens.one_to_ones:MemberOneToOnesScreen",
        "screens.audit:AuditLogScreen",
        "screens.audit:AuditFilter",
        "screens.audit:ChangeScreen",
        "screens.report:ReportScreen",
        "widgets.help:HelpScreen",
        "screens.opening:OpeningScreen",
    ]
    # Widgets with keys of their own, wherever they are used (listed by ``keys``, shown in help).
    WIDGETS_WITH_KEYS: ClassVar[list[str]] = ["widgets.search:SearchBox"]

    def __init__(
        self,
        records: Records | None = None,
        *,
        opener: Callable[[], Records] | None = None,
        opening: str = "",
        upgrading: bool = False,
        theme: str | None = None,
        banner: str | None = None,
        poll_seconds: float = POLL_SECONDS,
        new_file: Path | None = None,
    ):
        """Either ``records`` already open, or an ``opener`` that opens them: the CLI passes an opener,
        so the first frame ("Opening team.json…") is drawn before the file is read and before the
        sections' code is imported, and the file opens in a worker. If the opener raises, the app
        ends with return code 2 and ``open_error`` holds the exception for the caller to report.

        ``new_file``: the default record file, which does not exist yet (no ``--db`` was given): the
        opening screen says so and opens it, as a new empty record, only when the person says to."""
        if (records is None) == (opener is None):
            raise TypeError("give either records or an opener")
        super().__init__()
        self._opener = opener
        self.open_error: BaseException | None = None
        self._wanted_theme = theme
        self._banner = banner
        self._poll_seconds = poll_seconds
        self._seen_seq = 0
        self._file_problem: str | None = None  # why the record file cannot be read now, once said
        for mode in self.SECTION_SCREENS:
            self.add_mode(mode, partial(self._section_screen, mode))
        self._new_file = new_file
        self.add_mode(
            self.DEFAULT_MODE, partial(OpeningScreen, opening, self.FIRST_SECTION, upgrading, new_file=new_file)
        )
        if records is not None:
            self._take(records)
        # Chosen before the first stylesheet pass: setting it after mount re-styles every widget.
        for theme_file in load_themes():
            self.register_theme(theme_file)
        self.theme = self._pick_theme()

    @property
    def ready(self) -> bool:
        """Whether the record is open (until then only the opening screen shows)."""
        return "records" in self.__dict__

    def _take(self, records: Records) -> None:
        self.records = records
        self._seen_seq = records.store.head[0]

    @property
    def clock(self):
        """The team clock every screen and form reads today from."""
        return self.records.clock

    def _section_screen(self, mode: str) -> Screen:
        return load_class(self.SECTION_SCREENS[mode])()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Until the record is open there is nothing to go to or search: only quitting works."""
        if not self.ready and action in ("switch_mode", "command_palette", "audit_log"):
            return False
        if action == "audit_log" and isinstance(self.screen, ModalScreen):
            return False  # a question or a form is open: answer it first
        return super().check_action(action, parameters)

    async def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if self._banner:
            self.notify(self._banner, title="supervisor-tui", timeout=8)
        if self.ready:
            await self._show_first()
        elif self._new_file is None:  # after the first frame is on the terminal, so the person sees at once
            self.call_after_refresh(self._open)

    def start_new_file(self) -> None:
        """The person said to start a new record at the default place (see ``new_file``): open it."""
        if self._new_file is not None and not self.ready:
            self._new_file = None
            self._open()

    @work(thread=True, exclusive=True, group="open")
    def _open(self) -> None:
        assert self._opener is not None
        try:
            records = self._opener()
            load_class(self.SECTION_SCREENS[self.FIRST_SECTION])  # its code loads here, off the UI thread
        except BaseException as exc:  # reported by the caller after the app has ended, as before it started
            self.open_error = exc
            self.call_from_thread(self.exit, None, 2)
            return
        self.call_from_thread(self._first_opened, records)

    def _first_opened(self, records: Records) -> None:
        if self.return_code is not None:  # the person quit while the file was opening
            return
        self._take(records)
        self._show_first()

    def _show_first(self) -> AwaitMount:
        # The opening mode stays, idle: no key leads back to it, and removing it races Textual's own
        # shutdown if the person quits in that instant (its stacks change while they are being closed).
        mounted = self.switch_mode(self.FIRST_SECTION)
        self._opened()
        return mounted

    def _opened(self) -> None:
        """Everything that needs the open record: keymap, warnings, the damage check, live refresh."""
        from . import preferences

        # Users remap keys by binding id in their own settings: {"keymap": {"team.add": "n"}}.
        keymap = preferences.load_settings().keymap
        if keymap:
            self.set_keymap(keymap)
        if self.records.store.read_only:
            self.notify("You can read this file but not change it.", title="Read-only", severity="warning")
        for title, message in self.records.record_notices():
            self.notify(message, title=title, severity="warning", timeout=15)
        clock = self.records.clock_warning()
        if clock:
            self.notify(clock[0].upper() + clock[1:], title="Check the clock", severity="warning", timeout=15)
        unsafe = locations.settings_problem()
        if unsafe:
            self.notify(unsafe, title="Your settings were ignored", severity="warning", timeout=15)
        self._check_readable()
        self.set_interval(self._poll_seconds, self._poll)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity="information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every toast, whoever asks for it, is literal text: toasts name people and quote what they
        typed. ``markup`` is accepted and ignored on purpose: ``Screen.notify`` and ``Widget.notify``
        pass ``markup=True`` explicitly, so a default alone would let 'Sam [/b] Jones' crash a save.

        A save callback runs in a worker thread and may say what it did: that is passed to the UI thread."""
        if threading.get_ident() != self._thread_id:
            self.call_from_thread(self.notify, message, title=title, severity=severity, timeout=timeout)
            return
        super().notify(
            visible(message, multiline=True), title=visible(title), severity=severity, timeout=timeout, markup=False
        )

    def action_help_quit(self) -> None:
        """Textual's hint for a stray ctrl+c is written in markup, which our literal toasts would
        show as '[b]'; the same hint in plain words."""
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(f"Press {key} to quit the app", title="Do you want to quit?")
                return

    def action_help(self) -> None:
        """F1 or ?: the help for the screen on show; pressed again, it closes."""
        from .widgets.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        section = next((title for mode, title, _ in self.SECTIONS if mode == self.current_mode), "")
        title = f"Help · {section}" if section else "Help"
        self.push_screen(HelpScreen.about(self.screen, title, self.keymap))

    def section_keys(self) -> dict[str, str]:
        """Each key that goes to a section now (the person's keymap applied), with its action: a search
        box gives these to us rather than typing them."""
        keys: dict[str, str] = {}
        for binding in self.BINDINGS:
            if isinstance(binding, Binding) and binding.id and binding.id.startswith("section."):
                for key in self._keymap.get(binding.id, binding.key).split(","):
                    keys[key.strip()] = binding.action
        return keys

    @property
    def keymap(self) -> dict[str, str]:
        """The person's own keys by binding id, as Textual applies them (see ``_opened``)."""
        return dict(self._keymap)

    @classmethod
    def all_bindings(cls) -> list[Binding]:
        """Every remappable binding: the app's, each section's, each record page's, the forms'."""
        classes: list[type[DOMNode]] = [
            cls,
            *(load_class(name) for name in cls.SECTION_SCREENS.values()),
            *(load_class(page) for _, page in cls.PAGES.values()),
            *(load_class(name) for name in cls.OTHER_SCREENS),
            *(load_class(name) for name in cls.WIDGETS_WITH_KEYS),
        ]
        seen: dict[str, Binding] = {}
        for owner in classes:
            for binding in owner.BINDINGS:
                if isinstance(binding, Binding) and binding.id and binding.id not in seen:
                    seen[binding.id] = binding
        return list(seen.values())

    @staticmethod
    def theme_names() -> list[str]:
        """Our theme files first, then Textual's built-in themes."""
        ours = [t.name for t in load_themes()]
        return ours + sorted(n for n in BUILTIN_THEMES if n not in ours)

    def _pick_theme(self) -> str:
        # The name is read from the settings file as written: the settings model (pydantic) loads after
        # the first frame, and a name that is not one of the themes is passed over either way.
        for name in (self._wanted_theme, locations.stored_settings().get("theme"), DEFAULT_THEME):
            if isinstance(name, str) and name in self.available_themes:
                return name
        return DEFAULT_THEME

    def _remember_theme(self, theme: Theme) -> None:
        from . import preferences

        preferences.save_settings(preferences.UserSettings(theme=theme.name))

    @work(thread=True, exclusive=True, group="readable")
    def _check_readable(self) -> None:
        """Read every record once, off the UI thread: any that cannot be read are named, not hidden."""
        damaged = self.records.damaged(read_all=True)
        if damaged:
            self.call_from_thread(self._report_damaged, damaged)
        self._offer_seal()  # here, off the UI thread: it reads the records this has just read

    def _report_damaged(self, damaged: dict[str, str]) -> None:
        ids = ", ".join(sorted(damaged)[:5]) + (" …" if len(damaged) > 5 else "")
        self.notify(
            f"{len(damaged)} record(s) cannot be read and are left out of the lists: {ids}. "
            f"For example {next(iter(sorted(damaged)))}: {damaged[sorted(damaged)[0]]}. "
            "They are kept as written; run 'supervisor-tui verify' and tell whoever looks after the record.",
            title="Damaged records",
            severity="error",
            timeout=20,
        )

    def action_audit_log(self) -> None:
        """L, or 'Audit log' in the command palette: every change in the record, over whatever is open."""
        from .screens.audit import AuditLogScreen

        if not isinstance(self.screen, AuditLogScreen):
            self.push_screen(AuditLogScreen())

    def action_report(self) -> None:
        """r on Today, or 'Team report' in the command palette: the manager's report for last month."""
        from .screens.report import ReportScreen

        if not isinstance(self.screen, ReportScreen):
            self.push_screen(ReportScreen())

    # -- sealing the closed past (offered yearly) ------------------------------------------------
    def _offer_seal(self) -> None:
        """Once a year, when the live record reaches back past last year's cut-off: say sealing is there.
        Run after every record has been read (see ``_check_readable``); the preview is worked out when asked."""
        cut_off = self.records.sealing.offer()
        if cut_off is not None:
            self.notify(
                f"Closed records from before {cut_off:%d/%m/%Y} can be sealed (still readable, never changed): "
                "ctrl+p, 'Seal closed records' shows what first.",
                title="Seal last year's records?",
                timeout=20,
            )

    def action_seal_closed(self) -> None:
        """The command palette's 'Seal closed records': the preview, then a yes/no, then the seal."""
        if self.records.store.read_only:
            self.notify("You can read this file but not change it, so nothing can be sealed.", title="Read-only")
            return
        self._preview_seal()

    @work(thread=True, exclusive=True, group="write")
    def _preview_seal(self) -> None:
        from .services import StoreError
        from .widgets.prompt import Confirm

        sealing = self.records.sealing
        cut_off = sealing.suggested_cut_off()
        try:
            preview = sealing.preview(cut_off)
        except (ValueError, StoreError) as exc:
            self.notify(str(exc), title="Nothing sealed", severity="warning")
            return
        lines = preview.lines(self.records.tz)
        if not preview.count:
            self.notify(lines[0], title="Nothing to seal")
            return
        question = Confirm([*lines, "", "Seal them now?"])
        self.call_from_thread(self.push_screen, question, partial(self._seal_answered, cut_off))

    def _seal_answered(self, cut_off: date, yes: bool | None) -> None:
        if yes:
            self._seal(cut_off)
        else:
            self.notify("Nothing was sealed.", title="Seal closed records")

    @work(thread=True, exclusive=True, group="write")
    def _seal(self, cut_off: date) -> None:
        from .services import StoreError

        try:
            done = self.records.sealing.seal(cut_off, "closed records sealed from the app (the yearly offer)")
        except (ValueError, StoreError) as exc:
            self.notify(f"Not sealed: {exc}", title="Seal closed records", severity="error", timeout=20)
            return
        self._seen_seq = self.records.store.head[0]
        self.notify(
            f"{done.count} closed records from before {cut_off:%d/%m/%Y} are sealed in segment {done.segment}: "
            "still readable (history, reports, old weeks of the rota), never changeable.",
            title="Sealed",
            timeout=10,
        )
        self.call_from_thread(self.screen.post_message, RecordsChanged([]))

    # -- live refresh ---------------------------------------------------------------------------
    def _poll(self) -> None:
        self._check_file()

    @work(thread=True, exclusive=True, group="poll")
    def _check_file(self) -> None:
        from .services import KEYS_TABLE, StoreError

        store = self.records.store
        try:
            store.refresh()  # a stat; a full read only when another session saved
        except StoreError as exc:
            # Someone damaged, replaced or moved the file: say so once and keep going on what was read
            # (saves re-read it under the lock, so they are refused with the reason meanwhile).
            if str(exc) != self._file_problem:
                self._file_problem = str(exc)
                self.call_from_thread(
                    self.notify,
                    f"{exc} Saving is refused until the file is put right.",
                    title="The record file cannot be read now",
                    severity="error",
                    timeout=30,
                )
            return
        if self._file_problem:
            self._file_problem = None
            self.call_from_thread(self.notify, "The record file can be read again.", title="Record file")
        seq = store.head[0]
        if seq == self._seen_seq:
            return
        since = store.entries_since(self._seen_seq)
        # The store read the record again (an erasure or a seal replaced the journal): it cannot list each
        # change since we last looked, but the screens must still show the record as it now is.
        whole = seq < self._seen_seq or (bool(since) and since[0]["seq"] == self._seen_seq + 1)
        # A colleague's first save also registers their signing key: bookkeeping, not news for a supervisor.
        news = [e for e in since if e["seq"] not in store.written and e["table"] != KEYS_TABLE]
        count = seq - self._seen_seq
        self._seen_seq = seq
        if news:
            self.call_from_thread(self._announce, news)
        elif not whole:
            self.call_from_thread(self._announce_reread, count)

    def _announce(self, entries: list[dict]) -> None:
        for entry in entries[:3]:
            self.notify(describe_entry(entry, self._record_now(entry)), title="Changed by another session", timeout=6)
        if len(entries) > 3:
            self.notify(f"…and {len(entries) - 3} more changes", title="Changed by another session")
        self.screen.post_message(RecordsChanged(entries))

    def _announce_reread(self, count: int) -> None:
        self.notify(
            f"The record was changed by another session ({count} change{'s' if count != 1 else ''}); what you see is "
            "up to date (each record's history lists its changes).",
            title="Changed by another session",
            timeout=6,
        )
        self.screen.post_message(RecordsChanged([]))

    def _record_now(self, entry: dict) -> dict | None:
        """The record an entry changed, as it is now (for its name in a toast), if it can be read."""
        from .services import StoreError

        try:
            return self.records.store.get(entry["table"], entry["record"])
        except (StoreError, KeyError, TypeError):
            return None

    # -- navigation -----------------------------------------------------------------------------
    def open_target(self, target: Target) -> None:
        mode, page = self.PAGES[target.kind]
        self.switch_mode(mode)
        self.open_page(page, target.id)

    def open_page(self, page: str, argument: object) -> None:
        """Push ``page`` ('screens.team:MemberScreen') for ``argument`` (its record id, or day) on the
        current section, so Esc comes back to where it was opened from."""
        self.push_screen(load_class(page)(argument))


def load_class(name: str) -> type:
    """'screens.team:TeamScreen' -> the class, importing its module (within this package) if need be."""
    module, _, attribute = name.partition(":")
    return getattr(import_module(f"{__package__}.{module}"), attribute)


def describe_entry(entry: dict, current: dict | None = None) -> str:
    """'alice updated M-0003 Sam Patel: job title' — for toasts about other sessions' saves (a toast
    shows it literally, control characters made visible: see ``notify``). ``current`` is the record as
    it is now, for its name when the change did not touch it."""
    from .services import entry_view

    seen = entry_view(entry)
    after = {**(current or {}), **{name: new for name, (_old, new) in seen["changes"].items()}}
    name = after.get("name") or after.get("title") or ""
    if entry["action"] == "seal" and isinstance(entry.get("sealed"), dict):
        before = entry["sealed"].get("before", "?")
        return f"{entry['actor']} sealed closed records from before {before} (they stay readable, never changeable)"
    verb = {"create": "added", "update": "changed", "void": "voided", "erase": "erased personal data of"}.get(
        entry["action"], entry["action"]
    )
    what = f"{entry['record']} {name}".strip()
    detail = ""
    if entry["action"] in ("update", "erase"):
        fields = sorted(seen["changes"])
        detail = ": " + ", ".join(f.replace("_", " ") for f in fields) if fields else ""
    elif entry["action"] == "void":
        detail = f" ({seen['reason']})"
    return f"{entry['actor']} {verb} {what}{detail}"
