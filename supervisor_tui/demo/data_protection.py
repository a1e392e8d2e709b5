"""Demo subject access requests (UK GDPR Art. 15): one from a customer whose clock is running and falls
due within the week, one from a member of staff extended as complex, and one answered in time, so the
Requests screen (and Today) show each state whatever the seed.

Each is logged, checked and answered through the service, so its history reads as the supervisor's own
steps, stamped when the demo writes them (the audit clock only moves forward)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from . import DemoContext


def build(ctx: DemoContext) -> None:
    service = ctx.records.subject_access
    today = ctx.today
    people = ctx.records.team.members()
    # A customer with an open complaint asks for everything held about them: due within the week. Not the
    # customer whose old complaint is due for erasure: while their request is open that would wait (DPA 2018
    # s.173), and the demo is to show an erasure that can be made.
    complaints = ctx.records.complaints
    due = {complaints.repo.all()[-1].customer_name}  # the old complaint demo.complaints logs last
    customer = next(c.customer_name for c in complaints.open_by_urgency(today) if c.customer_name not in due)
    running = service.log(customer, today - timedelta(days=28), how="email to the customer service inbox")
    service.record_identity_check(running, today - timedelta(days=27), "reply from the e-mail address on the order")
    # A member of staff asks for their one-to-one notes and quality checks during a grievance: complex.
    staff = people[min(3, len(people) - 1)]
    extended = service.log(staff.name, today - timedelta(days=40), member_id=staff.saved_id, how="letter to HR")
    extended = service.record_identity_check(extended, today - timedelta(days=40), "known member of staff")
    service.extend(
        extended,
        "the request covers two years of one-to-one notes and call recordings, which need redacting for "
        "other people's data",
        told_on=today - timedelta(days=30),
    )
    # One answered within the month.
    member = people[min(6, len(people) - 1)]
    done = service.log(member.name, today - timedelta(days=75), member_id=member.saved_id, how="in person")
    done = service.record_identity_check(done, today - timedelta(days=75), "known member of staff")
    service.deliver(done, today - timedelta(days=52), "printed pack handed over in a sealed envelope")
