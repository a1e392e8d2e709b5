"""The App: sections switched by one key, the command palette, live refresh, themes."""

from __future__ import annotations

import threading
from typing import ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.screen import Screen
from textual.theme import BUILTIN_THEMES, Theme

from supervisor_tui.themes import DEFAULT_THEME, load_themes

from . import locations
from .commands import RecordFinder
from .output import visible
from .screens.base import RecordsChanged
from .screens.complaints import ComplaintPage, ComplaintsScreen
from .screens.one_to_ones import MemberOneToOnesScreen, OneToOnesScreen, RecordMeetingScreen
from .screens.quality import CalibrationScreen, MemberQualityScreen, QualityScreen, ScoreCheckScreen, StandardsScreen
from .screens.shifts import ShiftsScreen
from .screens.team import MemberScreen, TeamScreen
from .services import Records, StoreError, Target, changed_fields

POLL_SECONDS = 0.5


class SupervisorApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "supervisor-tui"
    # (mode, title, key): one section per job; a section appears here only once it is built.
    SECTIONS = [
        ("team", "Team", "1"),
        ("shifts", "Shifts", "2"),
        ("quality", "Quality", "3"),
        ("one_to_ones", "1:1s", "4"),
        ("complaints", "Complaints", "5"),
    ]
    MODES = {
        "team": TeamScreen,
        "shifts": ShiftsScreen,
        "quality": QualityScreen,
        "one_to_ones": OneToOnesScreen,
        "complaints": ComplaintsScreen,
    }
    DEFAULT_MODE = "team"
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(key, f"switch_mode('{mode}')", title, id=f"section.{mode}", tooltip=f"Go to {title}", show=False)
            for mode, title, key in SECTIONS
        ),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", tooltip="Leave supervisor-tui", priority=True),
        # Tab moves focus as the app takes the key, before it hands on the next one. As an ordinary
        # binding it runs only after the key has bubbled back up from the field, and the text typed
        # right behind it (a fast typist over SSH, a paste, a slow moment) has already gone into the
        # field being left (Textualize/textual#6605).
        Binding(
            "tab", "app.focus_next", "Next field", id="app.focus_next", tooltip="Next field", show=False, priority=True
        ),
        Binding(
            "shift+tab",
            "app.focus_previous",
            "Previous field",
            id="app.focus_previous",
            tooltip="Previous field",
            show=False,
            priority=True,
        ),
    ]
    COMMANDS = App.COMMANDS | {RecordFinder}
    # Each kind of record the palette can find opens in its section, on its own page.
    PAGES = {"member": ("team", MemberScreen), "complaint": ("complaints", ComplaintPage)}

    def __init__(
        self,
        records: Records,
        *,
        theme: str | None = None,
        banner: str | None = None,
        poll_seconds: float = POLL_SECONDS,
    ):
        super().__init__()
        self.records = records
        self._wanted_theme = theme
        self._banner = banner
        self._poll_seconds = poll_seconds
        self._seen_seq = records.store.head[0]
        self._file_problem: str | None = None  # why the record file cannot be read now, once said
        # Chosen before the first stylesheet pass: setting it after mount re-styles every widget.
        for theme_file in load_themes():
            self.register_theme(theme_file)
        self.theme = self._pick_theme()

    @property
    def clock(self):
        """The team clock every screen and form reads today from."""
        return self.records.clock

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        # Users remap keys by binding id in their own settings: {"keymap": {"team.add": "n"}}.
        keymap = locations.load_settings().keymap
        if keymap:
            self.set_keymap(keymap)
        if self._banner:
            self.notify(self._banner, title="supervisor-tui", timeout=8)
        if self.records.store.read_only:
            self.notify("You can read this file but not change it.", title="Read-only", severity="warning")
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

    @classmethod
    def all_bindings(cls) -> list[Binding]:
        """Every remappable binding: the app's, each section's, each record page's, the forms'."""
        from .screens.briefing import BriefingScreen
        from .screens.shifts import DayScreen, FillSlot
        from .widgets.form import RecordForm
        from .widgets.prompt import Confirm, ReasonPrompt
        from .widgets.saving import WaitingForLock

        classes: list[type[DOMNode]] = [
            cls,
            *(screen for screen in cls.MODES.values() if isinstance(screen, type) and issubclass(screen, Screen)),
            *(page for _, page in cls.PAGES.values()),
            RecordForm,
            ReasonPrompt,
            Confirm,
            WaitingForLock,
            FillSlot,
            BriefingScreen,
            DayScreen,
            ScoreCheckScreen,
            MemberQualityScreen,
            CalibrationScreen,
            StandardsScreen,
            RecordMeetingScreen,
            MemberOneToOnesScreen,
            ComplaintPage,
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
        for name in (self._wanted_theme, locations.load_settings().theme, DEFAULT_THEME):
            if name and name in self.available_themes:
                return name
        return DEFAULT_THEME

    def _remember_theme(self, theme: Theme) -> None:
        locations.save_settings(locations.UserSettings(theme=theme.name))

    @work(thread=True, exclusive=True, group="readable")
    def _check_readable(self) -> None:
        """Read every record once, off the UI thread: any that cannot be read are named, not hidden."""
        damaged = self.records.damaged(read_all=True)
        if damaged:
            self.call_from_thread(self._report_damaged, damaged)

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

    # -- live refresh ---------------------------------------------------------------------------
    def _poll(self) -> None:
        self._check_file()

    @work(thread=True, exclusive=True, group="poll")
    def _check_file(self) -> None:
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
        news = [e for e in store.entries_since(self._seen_seq) if e["seq"] not in store.written]
        self._seen_seq = seq
        if news:
            self.call_from_thread(self._announce, news)

    def _announce(self, entries: list[dict]) -> None:
        for entry in entries[:3]:
            self.notify(describe_entry(entry), title="Changed by another session", timeout=6)
        if len(entries) > 3:
            self.notify(f"…and {len(entries) - 3} more changes", title="Changed by another session")
        self.screen.post_message(RecordsChanged(entries))

    # -- navigation -----------------------------------------------------------------------------
    def open_target(self, target: Target) -> None:
        mode, page = self.PAGES[target.kind]
        self.switch_mode(mode)
        self.push_screen(page(target.id))


def describe_entry(entry: dict) -> str:
    """'alice updated M-0003 Sam Patel: job title' — for toasts about other sessions' saves (a toast
    shows it literally, control characters made visible: see ``notify``)."""
    after = entry.get("after") or {}
    name = after.get("name") or after.get("title") or ""
    verb = {"create": "added", "update": "changed", "void": "voided"}.get(entry["action"], entry["action"])
    what = f"{entry['record']} {name}".strip()
    detail = ""
    if entry["action"] == "update":
        fields = changed_fields(entry.get("before"), after)
        detail = ": " + ", ".join(f.replace("_", " ") for f in fields) if fields else ""
    elif entry["action"] == "void":
        detail = f" ({entry.get('reason')})"
    return f"{entry['actor']} {verb} {what}{detail}"
