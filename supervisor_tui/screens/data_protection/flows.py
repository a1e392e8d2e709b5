"""The erasure and hold conversations, shared by the Data protection section, a member's page and a
complaint's page: preview, confirm, a reason, then the change in a worker (UK GDPR Arts. 17, 18)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from ...output import visible_lines
from ...services import StoreError
from ...services.data_protection import Preview
from ...widgets.prompt import Confirm, ReasonPrompt
from ...widgets.saving import in_background, write
from ..base import RecordScreen

T = TypeVar("T")
PREVIEW_LINES = 14  # what fits the confirmation at 80x24; the count of the rest is said


def change_then_tell(
    screen: RecordScreen,
    refused: str,
    told: Callable[[T], tuple[str, str]],
    call: Callable[..., T],
    *args: Any,
    done: Callable[[], None] | None = None,
) -> None:
    """Make one change (``call(*args)``) in a worker; say what it did (``told(result)``: message, title)
    or, under the title ``refused``, why it was refused; then redraw the screen."""

    @in_background(screen)
    async def run() -> None:
        try:
            result = await write(screen, call, *args)
        except (ValueError, StoreError) as exc:
            screen.notify(str(exc), severity="error", title=refused)
            return
        message, title = told(result)
        screen.notify(message, title=title)
        screen.reload_in_background()
        if done is not None:
            done()

    run()


def erase_with_preview(screen: RecordScreen, preview: Preview, done: Callable[[], None] | None = None) -> None:
    """Show what would go (and what is kept, and why), ask, ask why, then erase."""
    if not preview.items:
        screen.notify(visible_lines(preview.lines()) or "Nothing to erase.", title="Nothing can be erased now")
        return
    shown = preview.lines()
    lines = [f"Erase the personal data of {preview.title}:", *shown[:PREVIEW_LINES]]
    if len(shown) > PREVIEW_LINES:
        lines.append(f"… and {len(shown) - PREVIEW_LINES} more line(s) ('supervisor-tui erase' lists them all)")
    lines += ["", "This cannot be undone. Erase?"]

    def erase(reason: str | None) -> None:
        if reason is not None:
            change_then_tell(
                screen,
                "Not erased",
                lambda report: (
                    f"Erased {len(report.entries)} record(s); {report.values} earlier value(s) taken out of the "
                    "record.",
                    "Data protection",
                ),
                screen.records.data_protection.erase,
                preview.items,
                reason,
                done=done,
            )

    def answered(yes: bool | None) -> None:
        if yes:
            screen.app.push_screen(
                ReasonPrompt("Why? (the request and its date, or the retention rule): kept with the erasure"), erase
            )

    screen.app.push_screen(Confirm(lines), answered)


def hold(screen: RecordScreen, subject: str) -> None:
    """Ask why, then put ``subject`` (a member or a record) on legal hold."""

    def place(reason: str | None) -> None:
        if reason is not None:
            change_then_tell(
                screen,
                "Not held",
                lambda placed: (
                    f"{placed.id}: {placed.subject} is on legal hold; nothing about it is erased until it is lifted.",
                    "Data protection",
                ),
                screen.records.data_protection.place_hold,
                subject,
                reason,
            )

    screen.app.push_screen(ReasonPrompt(f"Put {subject} on legal hold: why? (the claim, referral or grievance)"), place)
