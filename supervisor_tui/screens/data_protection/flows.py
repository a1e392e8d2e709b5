"""The erasure and hold conversations, shared by the Data protection section, a member's page and a
complaint's page: preview, confirm, a reason, then the change in a worker (UK GDPR Arts. 17, 18)."""

from __future__ import annotations

from collections.abc import Callable

from ...services import StoreError
from ...services.data_protection import Preview
from ...widgets.prompt import Confirm, ReasonPrompt
from ...widgets.saving import in_background, write
from ..base import RecordScreen

PREVIEW_LINES = 14  # what fits the confirmation at 80x24; the count of the rest is said


def erase_with_preview(screen: RecordScreen, preview: Preview, done: Callable[[], None] | None = None) -> None:
    """Show what would go (and what is kept, and why), ask, ask why, then erase."""
    if not preview.items:
        screen.notify("\n".join(preview.lines()) or "Nothing to erase.", title="Nothing can be erased now")
        return
    shown = preview.lines()
    lines = [f"Erase the personal data of {preview.title}:", *shown[:PREVIEW_LINES]]
    if len(shown) > PREVIEW_LINES:
        lines.append(f"… and {len(shown) - PREVIEW_LINES} more line(s) ('supervisor-tui erase' lists them all)")
    lines += ["", "This cannot be undone. Erase?"]

    @in_background(screen)
    async def erase(reason: str | None) -> None:
        if reason is None:
            return
        try:
            report = await write(screen, screen.records.data_protection.erase, preview.items, reason)
        except (ValueError, StoreError) as exc:
            screen.notify(str(exc), severity="error", title="Not erased")
            return
        screen.notify(
            f"Erased {len(report.entries)} record(s); {report.values} earlier value(s) taken out of the record.",
            title="Data protection",
        )
        screen.reload_in_background()
        if done is not None:
            done()

    def answered(yes: bool | None) -> None:
        if yes:
            screen.app.push_screen(
                ReasonPrompt("Why? (the request and its date, or the retention rule): kept with the erasure"), erase
            )

    screen.app.push_screen(Confirm("\n".join(lines), multiline=True), answered)


def hold(screen: RecordScreen, subject: str) -> None:
    """Ask why, then put ``subject`` (a member or a record) on legal hold."""

    @in_background(screen)
    async def place(reason: str | None) -> None:
        if reason is None:
            return
        try:
            placed = await write(screen, screen.records.data_protection.place_hold, subject, reason)
        except (ValueError, StoreError) as exc:
            screen.notify(str(exc), severity="error", title="Not held")
            return
        screen.notify(
            f"{placed.id}: {placed.subject} is on legal hold; nothing about it is erased until it is lifted.",
            title="Data protection",
        )
        screen.reload_in_background()

    screen.app.push_screen(ReasonPrompt(f"Put {subject} on legal hold: why? (the claim, referral or grievance)"), place)
