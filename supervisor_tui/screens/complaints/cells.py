"""How a complaint's state reads in the list and on its page: the clock that matters now and its style."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ...domain.complaints import Complaint

if TYPE_CHECKING:
    from ...services.complaints import ComplaintService

STATUS_STYLE = {
    "breached": "bold reverse",
    "at risk": "bold",
    "paused": "italic",
    "follow-up late": "bold",
    "follow up today": "bold",
}
SATISFIED = {"yes": True, "no": False, "not known yet": None}


def clock_cell(service: ComplaintService, c: Complaint, today: date) -> tuple[str, str]:
    """What the list shows in its Clock column, as (text, style): the deadline that matters now, or
    after the response the follow-up that is due."""
    clocks = service.clocks(c, today)
    open_clocks = [k for k in clocks if k.met_on is None]
    if open_clocks:
        k = min(open_clocks, key=lambda k: k.due)
        return f"{k.status} {k.due:%d/%m}", STATUS_STYLE.get(k.status, "")
    follow = service.follow_up(c, today)
    if follow:
        return f"{follow} {c.follow_up_on:%d/%m}", STATUS_STYLE.get(follow, "")
    return ("all met" if all(k.status == "met" for k in clocks) else "met late"), ""


def search_text(c: Complaint, clock: str) -> str:
    """What '/' matches: customer, category, owner, text, stage, reference, the clock — and 'overdue'."""
    overdue = "overdue" if clock.startswith(("breached", "follow-up late")) else ""
    return " ".join((c.customer_name, c.category, c.owner, c.summary, c.stage, c.id or "", clock, overdue)).lower()
