"""Esc on a form or page with unsaved work asks before throwing it away.

One key used to lose a whole one-to-one with its feedback. A screen that holds typing takes this
mixin, says what it would lose (``unsaved``) and how it closes (``leave``), and binds Esc to
``leave_or_ask``: with nothing typed it closes at once, as before; otherwise a Confirm names what
would go, and only y (or Enter) throws it away. Esc or n on the question goes back to the work.
"""

from __future__ import annotations

from textual.screen import Screen

from .prompt import Confirm


class KeepsUnsavedWork:
    """For a Screen (or ModalScreen) that holds typing not yet saved. Put it before the Screen class."""

    def unsaved(self) -> list[str]:
        """What would be lost, in words ('Strengths', '3 scores'); empty when nothing would."""
        raise NotImplementedError

    def leave(self) -> None:
        """Close without saving."""
        raise NotImplementedError

    def discard_what(self) -> str:
        """What the question calls the work ('this check', 'this one-to-one')."""
        return "your changes"

    def leave_or_ask(self) -> None:
        lost = self.unsaved()
        if not lost:
            self.leave()
            return
        screen = self._screen()

        def answered(discard: bool | None) -> None:
            if discard and screen.is_attached:
                self.leave()

        screen.app.push_screen(Confirm(f"Discard {self.discard_what()}? Not saved: {'; '.join(lost)}."), answered)

    def _screen(self) -> Screen:
        assert isinstance(self, Screen), "KeepsUnsavedWork is for screens"
        return self


def how_many(count: int, one: str, many: str | None = None) -> str:
    """'1 score', '3 scores': how much of something would be lost."""
    return f"{count} {one if count == 1 else (many or one + 's')}"
