"""The default service standards, built from the curriculum: greeting and close, SERVQUAL, data
protection, adapting to needs (Equality Act 2010), and complaint handling (HEAT and five steps)."""

from __future__ import annotations

from .quality import Criterion, Scale, Standard


def _c(
    key: str,
    section: str,
    text: str,
    guidance: str,
    weight: float = 1.0,
    *,
    points: int = 0,
    critical: bool = False,
    allow_na: bool = True,
) -> Criterion:
    return Criterion(
        key=key,
        section=section,
        text=text,
        guidance=guidance,
        weight=weight,
        scale=Scale.points if points else Scale.yes_no,
        max_points=points or 1,
        critical=critical,
        allow_na=allow_na,
    )


CORE = [
    _c(
        "greet",
        "Greeting and close",
        "Greeted the customer promptly and warmly",
        "Within 10 seconds face to face, 3 rings on the phone; friendly opening.",
        allow_na=False,
    ),
    _c(
        "introduce",
        "Greeting and close",
        "Gave their name and offered help",
        "Makes the service personal and accountable.",
    ),
    _c(
        "reliable",
        "SERVQUAL",
        "Reliability: did what was promised, accurately",
        "Correct information, promises kept, no need for the customer to come back.",
        2,
        points=3,
        allow_na=False,
    ),
    _c(
        "assure",
        "SERVQUAL",
        "Assurance: knowledgeable, confident and courteous",
        "Knew the product or policy, or found out; inspired trust.",
        1.5,
        points=3,
    ),
    _c(
        "tangibles",
        "SERVQUAL",
        "Tangibles: tidy space, clear written replies",
        "Counter and displays tidy; emails and chats clear, correct and branded.",
    ),
    _c(
        "empathy",
        "SERVQUAL",
        "Empathy: listened and acknowledged the customer's feelings",
        "Reflected back what they heard; treated the customer as an individual.",
        1.5,
        points=3,
    ),
    _c(
        "responsive",
        "SERVQUAL",
        "Responsiveness: prompt, no needless waits, kept them informed",
        "Explained any wait and gave a time; no passing from pillar to post.",
        1.5,
        points=3,
    ),
    _c(
        "id_check",
        "Data protection",
        "Checked identity before discussing the account",
        "Data Protection Act 2018: verify before disclosing; N/A if no account was discussed.",
        2,
        critical=True,
    ),
    _c(
        "no_overshare",
        "Data protection",
        "Shared only what was needed; no other customer's data",
        "Nothing read aloud within earshot; no personal data in open chat.",
        2,
        critical=True,
    ),
    _c(
        "adapt",
        "Equality Act",
        "Adapted to the customer's needs",
        "Equality Act 2010: reasonable adjustments, accessible formats, plain language; N/A if none arose.",
    ),
    _c(
        "resolve",
        "Outcome",
        "Resolved it, or set a clear next step with an owner and date",
        "First contact resolution where possible.",
        2,
        points=3,
        allow_na=False,
    ),
    _c(
        "close",
        "Greeting and close",
        "Checked everything was covered and closed positively",
        "'Is there anything else?'; thanked the customer.",
        allow_na=False,
    ),
]

COMPLAINTS = [
    _c(
        "hear", "HEAT", "Heard the customer out without interrupting", "Let them finish; took notes.", 2, allow_na=False
    ),
    _c("empathise", "HEAT", "Empathised with how they felt", "'I can see why that is frustrating.'", 1.5),
    _c(
        "apologise",
        "HEAT",
        "Apologised sincerely for the experience",
        "An apology is not an admission of liability.",
        1.5,
    ),
    _c(
        "act",
        "HEAT",
        "Took ownership and clear action",
        "Said what will happen, who will do it and by when.",
        2,
        allow_na=False,
    ),
    _c(
        "rights",
        "Consumer Rights Act",
        "Gave accurate information about statutory rights",
        "Consumer Rights Act 2015: 30-day right to reject, repair or replacement, refund within 14 days.",
        2,
        critical=True,
    ),
    _c("escalate", "Procedure", "Escalated when it was beyond their authority", "N/A if no escalation was needed."),
    _c(
        "record",
        "Procedure",
        "Logged the complaint with the facts, not opinions",
        "Complete enough for someone else to pick up.",
    ),
    _c("follow_up", "Five steps", "Agreed and recorded a follow-up", "Check the fix worked; close the loop.", 1.5),
]


def default_standards() -> list[Standard]:
    return [
        Standard(family="core-service", name="Core service standard", pass_mark=80, criteria=CORE),
        Standard(family="complaint-handling", name="Complaint handling", pass_mark=85, criteria=COMPLAINTS),
    ]
