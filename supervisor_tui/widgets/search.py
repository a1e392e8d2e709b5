"""The search box over a list: it narrows the list as you type; Enter goes to the results, Esc clears
it and goes back to them, and a section key (1 Team, 2 Shifts…) goes to its section instead of typing
itself into the box.

A digit is still typed when it carries on a number, a reference or a date already being typed (after
a digit, '-', '/', ':' or '.'), so 'C-0012', 'M-0003' and '20/11' can be searched for; a digit that
would start a word is the section key.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.binding import Binding, BindingType
from textual.widgets import Input

from .text import LiteralInput


def continues_number(typed: str) -> bool:
    """Whether a digit typed after ``typed`` carries on a number or a reference (C-0012, 12/11)."""
    return bool(typed) and (typed[-1].isdigit() or typed[-1] in "-/:.")


class SearchBox(LiteralInput):
    """``results`` is the selector of the list it searches (where Enter and Esc go)."""

    HELP_GROUP = "In a search box"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape", "clear_and_leave", "Clear", id="search.clear", tooltip="Clear the search and go back to the list"
        ),
        Binding("enter", "submit", "Results", id="search.results", tooltip="Go to the list, keeping the search"),
    ]

    def __init__(self, results: str, *, placeholder: str = "", **kwargs) -> None:
        super().__init__(placeholder=placeholder, **kwargs)
        self.results = results

    def _section_action(self, event: events.Key) -> str | None:
        """The app's action for a section key pressed here, unless it is a character that carries on a
        number (a key that types nothing, such as F2 in someone's keymap, always goes)."""
        keys = getattr(self.app, "section_keys", None)
        action = keys().get(event.key) if keys else None
        if action is None or (event.is_printable and continues_number(self.value[: self.cursor_position])):
            return None
        return action

    async def _on_key(self, event: events.Key) -> None:
        # Textual calls Input's own _on_key after this one (each class's handler in turn) unless it is
        # told not to: a section key is not typed, and the app's binding for it runs instead.
        action = self._section_action(event)
        if action is not None:
            event.stop()
            event.prevent_default()
            await self.app.run_action(action)

    @on(Input.Submitted)
    def _to_results(self, event: Input.Submitted) -> None:
        if event.input is self:
            self.screen.query_one(self.results).focus()

    def action_clear_and_leave(self) -> None:
        self.value = ""
        self.screen.query_one(self.results).focus()
