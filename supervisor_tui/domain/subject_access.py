"""Subject access requests (UK GDPR Art. 15): the log, and the time limit for answering each one.

UK GDPR Art. 12(3): the controller answers "without undue delay and in any event within one month of
receipt of the request"; the period "may be extended by two further months where necessary, taking
into account the complexity and number of the requests", and the person must be told of the
extension, with the reasons, "within one month of receipt of the request".

How the month is counted is the ICO's guidance ("Right of access: how long do we have to comply?",
day one since 15 August 2019):
- the day the request is received is day one, whether or not it is a working day, and the time limit
  runs to the corresponding calendar date in the next month (received 3 September: due 3 October);
- where the next month has no such date (received 31 January) it is the last day of that month (28 or
  29 February);
- where that date falls on a weekend or a public holiday, the next working day (the bank holidays of
  the team's part of the UK: ``domain.dates.is_business_day``);
- the clock starts on receipt of the request or, if later, on receipt of the information asked for to
  confirm who the person is, or of the clarification asked for (a fee, rarely allowed, is not kept here).
An extension counts three months from the same start, by the same rules.

Pure rules: no Textual, no storage. ``services.subject_access`` keeps the log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Literal, get_args

from dateutil.relativedelta import relativedelta
from pydantic import Field, ValidationInfo, model_validator

from .base import RecordModel
from .dates import is_business_day
from .fields import LongText, PersonName, RecordDate, context_today, one_of, refuse_before, refuse_future

ONE_MONTH, EXTENDED_MONTHS = 1, 3  # Art. 12(3): one month, extendable by two further months
Whose = Literal["member", "customer"]
WHOSE: tuple[Whose, ...] = get_args(Whose)
Closing = Literal["refused", "withdrawn"]
CLOSINGS: tuple[Closing, ...] = get_args(Closing)
State = Literal["awaiting clarification", "ID not checked", "open", "extended", "delivered", "refused", "withdrawn"]
CLOSED_STATES: frozenset[State] = frozenset({"delivered", "refused", "withdrawn"})


class ExtensionRefused(ValueError):
    """An extension Art. 12(3) does not allow: the message says why."""


class SubjectAccessRequest(RecordModel):
    """One request for a copy of someone's personal data (UK GDPR Art. 15), from receipt to answer.

    The due date is never typed: it is worked out from the dates here and the team's bank holidays
    (``response_deadline``), so it cannot disagree with the rule."""

    requester: PersonName = Field(min_length=1, max_length=80, title="Who asked")
    whose: Annotated[Whose, one_of(Whose, "{value!r} is not a kind of requester; use one of {choices}")] = Field(
        title="Requester is"
    )
    member_id: str = Field(default="", max_length=20, title="Member of staff")  # whose, for a member of staff
    received_on: RecordDate = Field(title="Received on")
    received_how: str = Field(default="", max_length=120, title="How it was received")
    # The day the information confirming who they are arrived (Art. 12(6)): the clock may start then.
    identity_checked_on: RecordDate | None = Field(default=None, title="Identity checked on")
    identity_how: str = Field(default="", max_length=120, title="How identity was checked")
    clarification_asked_on: RecordDate | None = Field(default=None, title="Clarification asked on")
    clarification_received_on: RecordDate | None = Field(default=None, title="Clarification received on")
    extended: bool = Field(default=False, title="Extended")
    extension_reason: LongText = Field(default="", max_length=2000, title="Why it was extended")
    extension_told_on: RecordDate | None = Field(default=None, title="Told of the extension on")
    delivered_on: RecordDate | None = Field(default=None, title="Delivered on")
    delivered_how: str = Field(default="", max_length=120, title="How it was delivered")
    closed_as: Annotated[
        Closing | Literal[""], one_of(Closing, "{value!r} is not a way to close a request; use one of {choices}")
    ] = Field(default="", title="Closed as")
    closed_on: RecordDate | None = Field(default=None, title="Closed on")
    close_reason: LongText = Field(default="", max_length=2000, title="Why it was closed")
    notes: LongText = Field(default="", max_length=4000, title="Notes")

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> SubjectAccessRequest:
        """Who asked is said one way; each step follows receipt and none is in the future; an extension
        has its reasons and the day the person was told (Art. 12(3)); a request ends one way only."""
        if self.whose == "member" and not self.member_id.strip():
            raise ValueError("Member of staff: say which member of staff asked")
        if self.whose == "customer" and self.member_id:
            raise ValueError("Member of staff: a customer's request names no member of staff")
        today = context_today(info)
        received = self.received_on
        refuse_future(received, today, "Received on")
        for day, label in (
            (self.identity_checked_on, "Identity checked on"),
            (self.clarification_asked_on, "Clarification asked on"),
            (self.clarification_received_on, "Clarification received on"),
            (self.extension_told_on, "Told of the extension on"),
            (self.delivered_on, "Delivered on"),
            (self.closed_on, "Closed on"),
        ):
            refuse_future(day, today, label)
            refuse_before(day, received, label, "the request was received")
        if self.clarification_received_on is not None:
            if self.clarification_asked_on is None:
                raise ValueError("Clarification received on: record when it was asked for first")
            refuse_before(
                self.clarification_received_on,
                self.clarification_asked_on,
                "Clarification received on",
                "it was asked for",
            )
        if self.extended and not self.extension_reason.strip():
            raise ValueError("Why it was extended: the person must be given the reasons (UK GDPR Art. 12(3))")
        if self.extended and self.extension_told_on is None:
            raise ValueError("Told of the extension on: say when the person was told (UK GDPR Art. 12(3))")
        if not self.extended and (self.extension_reason or self.extension_told_on):
            raise ValueError("Extended: a reason or a day told is given, but the request is not extended")
        if self.closed_as and self.delivered_on is not None:
            raise ValueError(
                f"Closed as: it was delivered on {self.delivered_on:%d/%m/%Y}, so it cannot be {self.closed_as}"
            )
        if self.closed_as and (self.closed_on is None or not self.close_reason.strip()):
            raise ValueError(f"Why it was closed: a request {self.closed_as} needs the day and the reason")
        if not self.closed_as and (self.closed_on or self.close_reason):
            raise ValueError("Closed as: say whether it was refused or withdrawn")
        return self

    @property
    def is_open(self) -> bool:
        return self.delivered_on is None and not self.closed_as

    @property
    def awaiting_clarification(self) -> bool:
        """A clarification was asked for and has not come: the clock has not started yet."""
        return self.clarification_asked_on is not None and self.clarification_received_on is None


# -- the time limit --------------------------------------------------------------------------------
def clock_start(
    received: date, identity_checked: date | None = None, clarification_received: date | None = None
) -> date:
    """Day one: receipt of the request or, if later, of the identity information or the clarification
    asked for (ICO, 'how long do we have to comply?', on Art. 12(3) and (6))."""
    return max(d for d in (received, identity_checked, clarification_received) if d is not None)


def next_working_day(day: date, region: str) -> date:
    """``day`` itself if it is a working day in the team's part of the UK, else the next one that is."""
    while not is_business_day(day, region):
        day += timedelta(days=1)
    return day


def corresponding_date(start: date, months: int) -> date:
    """The corresponding calendar date ``months`` months after day one ``start`` (ICO's counting under
    UK GDPR Art. 12(3)), or that month's last day where it has none: relativedelta does exactly this
    (31 January + 1 month is 28 February, or 29 February in a leap year)."""
    return start + relativedelta(months=months)


def months_on(start: date, months: int, region: str) -> date:
    """The deadline ``months`` calendar months from day one ``start`` (UK GDPR Art. 12(3)): the
    corresponding date, moved to the next working day where it is a weekend or a bank holiday."""
    return next_working_day(corresponding_date(start, months), region)


@dataclass(frozen=True)
class Deadline:
    """When a request must be answered: ``starts`` is day one; ``first_month`` the one-month limit (an
    extension must be told by then); ``due`` the limit that applies (three months if extended)."""

    starts: date
    first_month: date
    due: date
    extended: bool


def response_deadline(request: SubjectAccessRequest, region: str) -> Deadline | None:
    """The time limit (UK GDPR Art. 12(3)), or None while a clarification asked for has not come: the
    clock starts when it does."""
    if request.awaiting_clarification:
        return None
    starts = clock_start(request.received_on, request.identity_checked_on, request.clarification_received_on)
    first = months_on(starts, ONE_MONTH, region)
    due = months_on(starts, EXTENDED_MONTHS, region) if request.extended else first
    return Deadline(starts, first, due, request.extended)


def check_extension(request: SubjectAccessRequest, told_on: date, reason: str, region: str) -> None:
    """Refuse an extension UK GDPR Art. 12(3) does not allow: without reasons, on a request already
    answered or extended, before the clock has started, or told after the first month ended."""
    if not reason.strip():
        raise ExtensionRefused("An extension needs the reasons, which the person must be given (UK GDPR Art. 12(3)).")
    if not request.is_open:
        raise ExtensionRefused(f"It is {request_state(request)}: there is nothing left to extend.")
    if request.extended:
        raise ExtensionRefused(
            "It is already extended: UK GDPR Art. 12(3) allows two further months once, three months in all."
        )
    deadline = response_deadline(request, region)
    if deadline is None:
        raise ExtensionRefused(
            f"The clarification asked for on {request.clarification_asked_on:%d/%m/%Y} has not come, so the month "
            "has not started; record the clarification first."
        )
    if told_on > deadline.first_month:
        raise ExtensionRefused(
            f"Too late to extend: UK GDPR Art. 12(3) requires the person to be told of an extension within the "
            f"first month, which ended {deadline.first_month:%a %d/%m/%Y}; told on {told_on:%d/%m/%Y} is after it."
        )


# -- how a request stands --------------------------------------------------------------------------
def request_state(request: SubjectAccessRequest) -> State:
    """Delivered, refused or withdrawn once answered; while open, what it waits on first."""
    if request.delivered_on is not None:
        return "delivered"
    if request.closed_as:
        return request.closed_as
    if request.awaiting_clarification:
        return "awaiting clarification"
    if request.extended:
        return "extended"
    if request.identity_checked_on is None:
        return "ID not checked"
    return "open"


def time_left(request: SubjectAccessRequest, deadline: Deadline | None, today: date) -> str:
    """'5 days left', 'due today', 'overdue 3d' while open; 'on time' or 'late 2d' once delivered;
    'clock stopped' while a clarification is awaited; '' once refused or withdrawn."""
    if request.delivered_on is not None and deadline is not None:
        late = (request.delivered_on - deadline.due).days
        return f"late {late}d" if late > 0 else "on time"
    if not request.is_open:
        return ""
    if deadline is None:
        return "clock stopped"
    left = (deadline.due - today).days
    if left < 0:
        return f"overdue {-left}d"
    if left == 0:
        return "due today"
    return f"{left} day{'s' if left != 1 else ''} left"
