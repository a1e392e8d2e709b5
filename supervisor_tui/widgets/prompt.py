"""Small modal questions: a reason for a change, a yes/no confirmation."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ..output import visible_lines
from .text import LiteralInput, plain


class ReasonPrompt(ModalScreen[str | None]):
    """Ask why (voiding, deactivating): the reason goes into the record and its audit entry."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel", tooltip="Do nothing")]

    def __init__(
        self, question: str, placeholder: str = "reason", *, needed: str = "A reason is needed: it stays on the record."
    ):
        super().__init__()
        self.question = question
        self.placeholder = placeholder
        self.needed = needed  # said when Enter is pressed on a blank answer

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-box"):
            yield Static(plain(self.question), id="prompt-question")
            yield LiteralInput(placeholder=self.placeholder, id="prompt-input")
            yield Static("Enter to confirm, Esc to cancel", id="prompt-help", classes="form-hint")

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.query_one("#prompt-help", Static).update(plain(self.needed))
            return
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


class Confirm(ModalScreen[bool]):
    """A yes/no question: y or Enter says yes, n or Esc says no. A question of several lines (a preview)
    is given as its lines: each is shown as one line whatever it quotes (``output.visible_lines``)."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes", tooltip="Yes, go ahead"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no", tooltip="No, leave things as they are"),
    ]

    def __init__(self, question: str | Sequence[str]):
        super().__init__()
        self.question = visible_lines([question] if isinstance(question, str) else question)

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-box"):
            yield Static(Text(self.question), id="prompt-question")
            yield Static("y / Enter: yes    n / Esc: no", classes="form-hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
