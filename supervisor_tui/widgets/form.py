"""A modal record form: labelled fields, inline validation, and a conflict flow that keeps typing.

The form knows nothing of models or the store. The caller gives it a ``save`` callback that either
returns the saved record, raises :class:`FormErrors` (shown under the fields), or raises
``ConflictError`` (someone saved first). On a conflict the typed values stay; ctrl+r loads the other
person's version through ``reload`` and lays the user's own changes back on top, so nothing is retyped.

The save callback runs in a thread worker (it may wait up to 15 s for another session's lock, and a
save on a year-sized record takes most of a second): the form stays usable meanwhile, says whom it
is waiting for, and Esc stops the wait. The worker's outcome comes back as a ``Saved`` or
``SaveRefused`` message, handled in one place below. So the callback must not touch widgets.

Two options make a form a correction or a bulk change, the same way for every record:
- ``reason=True`` adds a required "Why the change" field: a correction says why, and the reason is
  kept in the history beside the old and new values (the save callback reads ``values["reason"]``).
- ``preview`` is called (in the same thread worker) before the save, with the values: it returns
  what the save would do, in lines, which the person confirms before anything is written (or None
  to save without asking). "No" leaves the form open with everything typed.

Esc with unsaved typing asks first (see ``discard``); with nothing typed it closes at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Button, Checkbox, Input, Label, Select, Static, TextArea

from ..domain.base import error_items
from ..domain.clock import Clock
from ..domain.dates import show_stamp
from ..output import shorten
from ..services import ConflictError, StoreError
from ..services.waiting import LockCancelledError
from .discard import KeepsUnsavedWork
from .prompt import Confirm
from .saving import CHECK_EVERY_S, Save, Saved, SaveRefused, waiting_words
from .text import LiteralInput, LiteralSelect, LiteralTextArea, plain
from .ticks import TickBox


class FormErrors(Exception):
    """Problems with what was typed, keyed by field name ('' for the form as a whole)."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(errors.values()))


@dataclass
class Field:
    name: str
    label: str
    kind: str = "text"  # text | date | number | bool | choice | long
    hint: str = ""
    options: list[tuple[str, str]] = field(default_factory=list)  # (label, value) for choice
    required: bool = False


def parse_each(values: dict[str, Any], parsers: dict[str, Callable[[str], Any]]) -> dict[str, Any]:
    """Parse several typed fields at once; every one that fails is reported under its own field."""
    parsed, errors = {}, {}
    for name, parse in parsers.items():
        try:
            parsed[name] = parse(values[name])
        except ValueError as exc:
            errors[name] = str(exc)
    if errors:
        raise FormErrors(errors)
    return parsed


def field_errors(lines: list[str], fields: list[Field]) -> dict[str, str]:
    """Match 'Label: message' lines (from domain.base.explain) to the fields they are about."""
    errors: dict[str, str] = {}
    by_label = {f.label.lower(): f.name for f in fields}
    for line in lines:
        label, sep, message = line.partition(": ")
        name = by_label.get(label.lower()) if sep else None
        if name:
            errors.setdefault(name, message)
        else:
            errors[""] = (errors.get("", "") + " " + line).strip()
    return errors


# The field a correction adds (RecordForm(reason=True)): required, and kept with the change.
REASON_FIELD = Field("reason", "Why the change", required=True, hint="kept in the history with the old and new values")
REASON_NEEDED = "say why: it is kept in the history with the old and new values"


class RecordForm(KeepsUnsavedWork, ModalScreen[Any]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="form.save", tooltip="Check and save this form"),
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="form.cancel",
            tooltip="Close without saving; asks first if anything was typed (while saving: stop waiting)",
        ),
        Binding(
            "ctrl+r",
            "reapply",
            "Reload + re-apply",
            id="form.reapply",
            show=False,
            tooltip="Load the latest version and put your changes back on top",
        ),
    ]

    def __init__(
        self,
        title: str,
        fields: list[Field],
        values: dict[str, Any],
        save: Callable[[dict[str, Any]], Any],
        reload: Callable[[], dict[str, Any]] | None = None,
        *,
        reason: bool = False,
        preview: Callable[[dict[str, Any]], list[str] | None] | None = None,
    ):
        super().__init__()
        self.form_title = title
        self.asks_reason = reason
        self.fields = [*fields, REASON_FIELD] if reason else fields
        self.initial = {"reason": "", **values} if reason else dict(values)
        self._save = save
        self._reload = reload
        self._preview = preview
        self.conflict: ConflictError | None = None
        self.saving: Save | None = None  # the save (or the preview before it) running now, if any
        self.previewing = False  # whether that is the preview
        self._sent: dict[str, Any] = {}  # the values that save is writing
        self._shown: dict[str, Any] = {}  # the values as the form opened (what counts as unsaved)
        self._wait_timer: Timer | None = None  # says what a slow save is waiting for

    def compose(self) -> ComposeResult:
        with Vertical(id="form-box"):
            yield Static(plain(self.form_title, "bold"), id="form-title")
            yield Static("", id="form-problem", classes="hidden")
            with VerticalScroll(id="form-fields"):
                for spec in self.fields:
                    yield from self._field_widgets(spec)
            with Horizontal(id="form-buttons"):
                yield Button("Save ctrl+s", id="form-save", variant="primary", compact=True)
                yield Button("Cancel esc", id="form-cancel", compact=True)

    def _field_widgets(self, spec: Field) -> ComposeResult:
        """One line per field (label, then input), with its hint and error below: fits 80x24."""
        value = self.initial.get(spec.name)
        label = spec.label + (" *" if spec.required else "")
        with Horizontal(classes="form-row"):
            yield Label(plain(label), classes="form-label")
            if spec.kind == "bool":
                yield TickBox(_yes_no(value), bool(value), id=f"f-{spec.name}", classes="form-field", compact=True)
            elif spec.kind == "choice":
                # A required choice with no value starts blank and must be chosen: Select would
                # otherwise pick its first option, recording what nobody chose.
                blank = value in (None, "")
                yield LiteralSelect(
                    spec.options,
                    value=Select.NULL if blank else value,
                    id=f"f-{spec.name}",
                    classes="form-field",
                    allow_blank=blank or not spec.required,
                    compact=True,
                )
            elif spec.kind == "long":
                yield LiteralTextArea(
                    str(value or ""),
                    id=f"f-{spec.name}",
                    classes="form-field form-long",
                    soft_wrap=True,
                    tab_behavior="focus",
                    compact=True,
                )
            else:
                yield LiteralInput(
                    str(value if value is not None else ""),
                    placeholder=spec.hint,
                    id=f"f-{spec.name}",
                    classes="form-field",
                    compact=True,
                    type="number" if spec.kind == "number" else "text",
                )
        # A date field always has a hint line: it reads the typed date back ('→ Fri 27 Nov 2026').
        if spec.kind == "date" or (spec.hint and spec.kind in ("long", "bool")):
            yield Static(plain(spec.hint), id=f"h-{spec.name}", classes="form-hint")
        yield Static("", id=f"e-{spec.name}", classes="form-error hidden")

    @property
    def clock(self) -> Clock:
        """The team clock the app runs on ('fri' and '+2w' are read against its today)."""
        return getattr(self.app, "clock", None) or Clock()

    def on_mount(self) -> None:
        first = self.query(".form-field").first()
        first.focus()
        self._shown = self.values()

    # -- leaving -------------------------------------------------------------------------------
    def unsaved(self) -> list[str]:
        """The fields typed into since the form opened, by label."""
        return [self._label(name) for name, value in self.values().items() if value != self._shown.get(name)]

    def leave(self) -> None:
        self.dismiss(None)

    # -- values --------------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for spec in self.fields:
            widget = self.query_one(f"#f-{spec.name}")
            if isinstance(widget, Checkbox):
                out[spec.name] = widget.value
            elif isinstance(widget, Select):
                out[spec.name] = "" if widget.value is Select.NULL else widget.value
            elif isinstance(widget, TextArea):
                out[spec.name] = widget.text
            else:
                assert isinstance(widget, Input), widget  # _field_widgets yields only these four kinds
                out[spec.name] = widget.value
        return out

    def set_values(self, values: dict[str, Any]) -> None:
        for spec in self.fields:
            if spec.name not in values:
                continue
            widget = self.query_one(f"#f-{spec.name}")
            value = values[spec.name]
            if isinstance(widget, Checkbox):
                widget.value = bool(value)
            elif isinstance(widget, Select):
                widget.value = value if value not in (None, "") else Select.NULL
            elif isinstance(widget, TextArea):
                widget.text = str(value or "")
            else:
                assert isinstance(widget, Input), widget  # _field_widgets yields only these four kinds
                widget.value = str(value if value is not None else "")

    @on(Checkbox.Changed)
    def _checkbox_word(self, event: Checkbox.Changed) -> None:
        # The word, not only the colour, says the state: NO_COLOR and 16-colour consoles lose colour.
        event.checkbox.label = _yes_no(event.value)

    @on(Input.Changed)
    def _date_hint(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("f-")
        spec = next((f for f in self.fields if f.name == name), None)
        if spec is None or spec.kind != "date":
            return
        hint = self.query_one(f"#h-{name}", Static)
        text = event.value.strip()
        if not text:
            hint.update(plain(spec.hint))
            return
        try:
            hint.update(Text(f"→ {self.clock.read_date(text):%a %d %b %Y}", style="italic"))
        except ValueError as exc:  # half-typed ('+9999y' on its way): say why, never stop the form
            hint.update(plain(exc, "italic"))

    # -- actions -------------------------------------------------------------------------------
    @on(Button.Pressed, "#form-save")
    def action_save(self) -> None:
        if self.saving is not None:  # one save at a time; the first one is already saying what it waits for
            self._say_waiting()
            return
        self._clear_errors()
        values = self.values()
        unchosen = {
            f.name: "choose one" for f in self.fields if f.required and f.kind == "choice" and not values[f.name]
        }
        if unchosen:
            self._show_errors(unchosen)
            return
        if self.asks_reason and not values["reason"].strip():  # (the service strips it as it saves it)
            self._show_errors({"reason": REASON_NEEDED})
            return
        if self._preview is not None:
            self._start(Save(self._preview, values), values, previewing=True)
        else:
            self._start(Save(self._save, values), values)

    def _start(self, save: Save, values: dict[str, Any], *, previewing: bool = False) -> None:
        self.saving, self._sent, self.previewing = save, values, previewing
        self._save_in_thread(save)
        self._wait_timer = self.set_interval(CHECK_EVERY_S, self._say_waiting)

    @work(thread=True, exclusive=True, group="form-save")
    def _save_in_thread(self, save: Save) -> None:
        try:
            result = save.run()
        except Exception as exc:  # every outcome goes back to the UI thread, handled in one place
            self.post_message(SaveRefused(save, exc))
        else:
            self.post_message(Saved(save, result))

    def _say_waiting(self) -> None:
        if self.saving is not None and self.previewing and self.saving.slow:
            self._problem("Working out what this would do…", "waiting")
        elif self.saving is not None and (self.saving.slow or self.saving.stopping):
            words = waiting_words(self, self.saving)
            if not self.saving.stopping:
                words += " Changes made now are not part of this save."
            self._problem(words, "waiting")

    def _end_save(self, message: Saved | SaveRefused) -> bool:
        """Forget the save that just ended; False if the message is about another one."""
        if message.save is not self.saving:
            return False
        self.saving = None
        if self._wait_timer is not None:
            self._wait_timer.stop()
        self.query_one("#form-problem").add_class("hidden")
        return True

    def on_saved(self, message: Saved) -> None:
        if not self._end_save(message):
            return
        if self.previewing:
            self.previewing = False
            if message.save.stopping:  # Esc while it was being worked out: nothing asked, nothing saved
                self._problem("Not saved. Everything you typed is still here.", "warning")
            else:
                self._confirm(message.result, self._sent)
            return
        if message.save.stopping:
            self.notify("Saved: your save had already begun when you pressed Esc.", title="Saved", severity="warning")
        # The form closes with the record as saved; what was typed after ctrl+s is said, so it is not lost.
        typed_since = [
            f"{self._label(k)} '{shorten(str(v), 40)}'" for k, v in self.values().items() if v != self._sent.get(k)
        ]
        if typed_since:
            self.notify(
                "Saved as it was when you pressed save. Typed while it was saving, and not saved: "
                + "; ".join(typed_since)
                + ". Edit the record again to add it.",
                title="Saved",
                severity="warning",
                timeout=20,
            )
        self.dismiss(message.result)

    def _confirm(self, lines: list[str] | None, values: dict[str, Any]) -> None:
        """The preview is back: save at once if it had nothing to say, else ask with its lines."""
        if lines is None:
            self._start(Save(self._save, values), values)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._start(Save(self._save, values), values)
            else:
                self._problem("Not saved. Everything you typed is still here: change it and ctrl+s again.", "warning")

        self.app.push_screen(Confirm(lines), answered)

    def on_save_refused(self, message: SaveRefused) -> None:
        if self._end_save(message):
            self.previewing = False
            self._show_refusal(message.error)

    def _show_refusal(self, exc: Exception) -> None:
        """Why the save did not happen, under the field it is about where there is one; typing kept."""
        if isinstance(exc, FormErrors):
            self._show_errors(exc.errors)
        elif isinstance(exc, ConflictError):
            self._show_conflict(exc)
        elif isinstance(exc, ValidationError):
            self._show_errors(self._validation_errors(exc))
        elif isinstance(exc, LockCancelledError):
            self._problem(f"Not saved: {exc} Everything you typed is still here; ctrl+s tries again.", "warning")
        elif isinstance(exc, StoreError):  # locked too long, read-only, voided meanwhile: say so
            text = str(exc)  # some already begin 'Not saved:' (the lock's time-out): said once, not twice
            self._show_errors({"": text if text.startswith("Not saved") else f"Not saved: {text}"})
        elif isinstance(exc, ValueError):  # a rule a service checks ('Date: before they started'): under its field
            self._show_errors(field_errors(str(exc).splitlines(), self.fields))
        else:
            raise exc  # a bug, not a refusal: fail loudly, as a save on the UI thread did

    def _validation_errors(self, exc: ValidationError) -> dict[str, str]:
        """A model's complaints under the fields they are about (matched by name, then by label)."""
        names = {f.name for f in self.fields}
        errors: dict[str, str] = {}
        for name, label, message in error_items(exc):
            if name in names:
                errors.setdefault(name, message)
            else:
                errors.update(field_errors([f"{label}: {message}" if label else message], self.fields))
        return errors

    @on(Button.Pressed, "#form-cancel")
    def action_cancel(self) -> None:
        if self.saving is not None:  # stop waiting; the outcome (stopped, or saved after all) says which
            self.saving.stop()
            self._say_waiting()
            return
        self.leave_or_ask()

    def action_reapply(self) -> None:
        if self.conflict is None or self._reload is None or self.saving is not None:
            return
        mine = {k: v for k, v in self.values().items() if v != self.initial.get(k)}
        theirs = self._reload()
        both = sorted(set(mine) & set(self.conflict.fields))
        self.initial = dict(theirs)
        self.set_values({**theirs, **mine})
        self.conflict = None
        message = f"Loaded {self.conflict_by}'s version and put your changes back on top. Check and save."
        if both:
            labels = ", ".join(self._label(n) for n in both)
            message += (
                f" You both changed {labels}: yours is shown; theirs was "
                + "; ".join(f"{self._label(n)} = {theirs.get(n)!s}" for n in both)
                + "."
            )
        self._problem(message, "warning")

    # -- showing problems ----------------------------------------------------------------------
    def _label(self, name: str) -> str:
        return next((f.label for f in self.fields if f.name == name), name)

    def _show_conflict(self, exc: ConflictError) -> None:
        self.conflict = exc
        self.conflict_by = exc.changed_by
        changed = ", ".join(self._label(f) for f in exc.fields) or "nothing you can see"
        hint = " Press ctrl+r to load their version with your changes re-applied." if self._reload else ""
        self._problem(
            f"Not saved: {exc.changed_by} saved this record at {show_stamp(exc.changed_at)} "
            f"(they changed {changed}). Everything you typed is still here.{hint}",
            "error",
        )

    def _show_errors(self, errors: dict[str, str]) -> None:
        first = None
        for name, message in errors.items():
            if name and self.query(f"#e-{name}"):
                box = self.query_one(f"#e-{name}", Static)
                box.update(plain(message))
                box.remove_class("hidden")
                first = first or name
        general = errors.get("") or ("" if first else "; ".join(errors.values()))
        count = len(errors)
        self._problem(general or f"Not saved: {count} thing{'s' if count > 1 else ''} to fix below.", "error")
        if first:
            self.query_one(f"#f-{first}").focus()

    def _clear_errors(self) -> None:
        for box in self.query(".form-error"):
            box.add_class("hidden")
        self.query_one("#form-problem").add_class("hidden")

    def _problem(self, message: str, kind: str) -> None:
        box = self.query_one("#form-problem", Static)
        box.update(plain(message))
        box.set_classes(f"problem-{kind}")


def _yes_no(value: object) -> str:
    return "yes" if value else "no"
