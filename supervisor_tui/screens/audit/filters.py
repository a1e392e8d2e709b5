"""The audit viewer's filter: one record, one person, one login, one kind of record, a date range."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from ...services.audit_log import AuditQuery, QueryError
from ...widgets.text import LiteralInput, LiteralSelect, plain

if TYPE_CHECKING:
    from ...app import SupervisorApp
    from ...services import Records

# (part of the query, label, hint): the parts QueryError names, in the order they are shown.
TEXT_PARTS = [
    ("record", "Record", "a number: M-0003, S-0120, C-0012"),
    ("member", "Person", "name or M-0003 (leavers too): all about them"),
    ("by", "Changed by", "a login, e.g. alice"),
    ("from", "From", "dd/mm/yyyy, today, -2w"),
    ("to", "To", "dd/mm/yyyy, today"),
]


class AuditFilter(ModalScreen[AuditQuery | None]):
    """Ask which changes to list; dismisses with the checked query (None: cancelled). Enter in any box, or
    ctrl+s, applies it; a part that cannot be used is said under it, and the rest stays as typed."""

    AUTO_FOCUS = "#f-record"
    BINDINGS = [
        Binding("ctrl+s", "apply", "Apply", id="audit_filter.apply", tooltip="List the changes that match"),
        Binding("escape", "cancel", "Cancel", id="audit_filter.cancel", tooltip="Keep the list as it was"),
    ]

    def __init__(self, current: AuditQuery, kinds: list[tuple[str, str]]):
        super().__init__()
        self.current = current
        self.kinds = kinds

    @property
    def records(self) -> Records:
        return cast("SupervisorApp", self.app).records

    def compose(self) -> ComposeResult:
        values = self.current.form_values()
        values["from"], values["to"] = values.pop("start"), values.pop("end")
        with Vertical(id="form-box", classes="audit-filter"):
            yield Static(plain("Which changes? (empty: any)", "bold"), id="form-title")
            yield Static("", id="form-problem", classes="hidden")
            with VerticalScroll(id="form-fields"):
                for part, label, hint in TEXT_PARTS[:3]:
                    yield from self._row(part, label, hint, values[part])
                with Horizontal(classes="form-row"):
                    yield Label(plain("Kind of record"), classes="form-label")
                    yield LiteralSelect(
                        self.kinds,
                        prompt="any kind",
                        value=values["kind"] or Select.NULL,
                        id="f-kind",
                        classes="form-field",
                        compact=True,
                    )
                yield Static("", id="e-kind", classes="form-error hidden")
                for part, label, hint in TEXT_PARTS[3:]:
                    yield from self._row(part, label, hint, values[part])
            yield Static(plain("Enter or ctrl+s: list them · Esc: cancel"), classes="form-hint")

    def _row(self, part: str, label: str, hint: str, value: str) -> ComposeResult:
        with Horizontal(classes="form-row"):
            yield Label(plain(label), classes="form-label")
            yield LiteralInput(value, placeholder=hint, id=f"f-{part}", classes="form-field", compact=True)
        yield Static("", id=f"e-{part}", classes="form-error hidden")

    def _typed(self, part: str) -> str:
        return self.query_one(f"#f-{part}", Input).value

    @on(Input.Submitted)
    def action_apply(self) -> None:
        kind = self.query_one("#f-kind", Select).value
        self._check(
            {
                "record": self._typed("record"),
                "member": self._typed("member"),
                "by": self._typed("by"),
                "kind": "" if kind is Select.NULL else str(kind),
                "start": self._typed("from"),
                "end": self._typed("to"),
            }
        )

    @work(thread=True, exclusive=True, group="audit-filter")
    def _check(self, typed: dict[str, str]) -> None:
        """Off the UI thread: naming a person reads every record about them, sealed ones too."""
        try:
            query = self.records.audit_log.query(**typed)
        except QueryError as exc:
            self.app.call_from_thread(self._refused, exc)
            return
        self.app.call_from_thread(self.dismiss, query)

    def _refused(self, exc: QueryError) -> None:
        for part in ("record", "member", "by", "kind", "from", "to"):
            self.query_one(f"#e-{part}", Static).add_class("hidden")
        error = self.query_one(f"#e-{exc.part}", Static)
        error.update(plain(str(exc)))
        error.remove_class("hidden")
        problem = self.query_one("#form-problem", Static)
        problem.update(plain("Not listed: one thing to fix below."))
        problem.set_classes("problem-error")
        self.query_one(f"#f-{exc.part}").focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
