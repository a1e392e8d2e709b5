"""Hostile text in every kind of record, and the checks every printer must pass with it.

The values are written with the Store's own ``update`` (no domain validation), which is also what
an old record, or one a group member edited by hand, looks like: the printers must cope whatever
the domain accepts on entry today.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

from supervisor_tui.services import Records

# One per member, so names stay unique and each kind of attack has a person to show it.
HOSTILE_NAMES = [
    "Sam [/b] Jones",  # Rich/Textual markup: a closing tag that opens nothing raises
    "[link=https://x]Zoe[/link]",  # markup that became a link and broke ctrl+p for everyone
    "[bold red]",  # markup that restyles everything after it
    "\x1b[2J\x1b[31mRED",  # ANSI: clear the screen, then red
    '=HYPERLINK("http://evil","x")',  # a spreadsheet formula that phones home
    "+cmd|' /C calc'!A0",  # DDE: runs a program when the CSV is opened
    "@SUM(1)",  # '@' starts a formula too
    "-2+3",  # so does '-', when it is not a plain number
    "\tTabbed",  # a leading tab: a formula in some spreadsheets
    "# Heading",  # a Markdown heading
    "<script>alert(1)</script>",  # HTML
    "\u202eevil",  # a right-to-left override: reverses what follows
    "Zero\u200dWidth\u200bJoin",  # zero-width joiner and space: invisible differences
]
# Other text fields cycle through these; long fields get all of them on separate lines.
HOSTILE = HOSTILE_NAMES + [
    "![img](http://x/y.png)",  # a Markdown image (a tracking pixel in an evidence pack)
    "[link](http://x)",  # a Markdown link
    "Line\rOK: overwritten",  # a carriage return: prints over the start of its line
    "Two\nOK: forged line",  # a newline: forges a line of its own
    "C1 \x9b31m control",  # a C1 control sequence introducer
    "&#x202e;entity",  # an HTML entity for the bidi override
]
ALL_IN_ONE = "\n".join(HOSTILE)

# What must never reach a terminal raw (a line break and a tab are layout, not attacks).
_RAW_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cs"}


def raw_controls(text: str) -> set[str]:
    """Control, bidi, zero-width and other format characters in ``text`` (newline and tab allowed)."""
    return {c for c in text if c not in "\n\t" and unicodedata.category(c) in _RAW_CATEGORIES}


def _cycle() -> Iterator[str]:
    while True:
        yield from HOSTILE


def store_hostile(records: Records) -> None:
    """Write hostile text into every text field of every kind of demo record, and legal holds and subject
    access requests made of it, in one transaction."""
    words = _cycle()
    store = records.store
    today = records.clock.today()
    monday = today.fromordinal(today.toordinal() - today.weekday())
    with store.transaction() as txn:

        def update(table: str, record: dict[str, Any], fields: dict[str, Any]) -> None:
            txn.update(table, record["id"], fields, record["version"], next(words))

        for record, name in zip(sorted(store.records("members"), key=lambda r: r["id"]), HOSTILE_NAMES, strict=False):
            update(
                "members",
                record,
                {
                    "name": name,
                    "job_title": next(words),
                    "line_manager": next(words),
                    "notes": ALL_IN_ONE,
                    "development_goals": [next(words), next(words)],
                    "skills": {**record["skills"], next(words): "learner"},
                },
            )
        this_week = [
            r
            for r in store.records("shifts")
            if monday.isoformat() <= r["day"] and r["day"] < monday.fromordinal(monday.toordinal() + 14).isoformat()
        ]
        for index, record in enumerate(this_week):
            fields = {"reason": next(words), "note": next(words)}
            if index % 4 == 0:
                fields["position"] = next(words)
            update("shifts", record, fields)
        for record in store.records("leave"):
            update("leave", record, {"kind": next(words)})
        for record in store.records("briefings"):
            update(
                "briefings",
                record,
                {"led_by": next(words), "targets": ALL_IN_ONE, "issues": next(words), "updates": next(words)},
            )
        update("demand", store.records("demand")[0], {"position": next(words)})
        for record in store.records("standards"):
            criteria = [dict(c) for c in record["criteria"]]
            criteria[0].update(text=next(words), section=next(words), guidance=ALL_IN_ONE)
            update("standards", record, {"name": next(words), "criteria": criteria})
        for record in store.records("quality_checks"):
            update(
                "quality_checks",
                record,
                {
                    "reference": next(words),
                    "strengths": ALL_IN_ONE,  # channel and kind are validated choices
                    "development": next(words),
                    "follow_up": next(words),
                    "member_comment": next(words),
                    "calibration": next(words) if record.get("calibration") else "",
                    "comments": {key: next(words) for key in record["scores"]},
                },
            )
        for record in store.records("complaints"):
            history = [{**event, "note": next(words), "by": next(words)} for event in record["history"]]
            update(
                "complaints",
                record,
                {  # the channel is a validated choice, like a check's
                    "customer_name": next(words),
                    "customer_contact": next(words),
                    "product": next(words),
                    "category": next(words),
                    "summary": ALL_IN_ONE,
                    "wants": next(words),
                    "owner": next(words),
                    "root_cause": next(words) if record.get("root_cause") else "",
                    "outcome": next(words) if record.get("outcome") else "",
                    "lesson": next(words),
                    "improvement_action": next(words),
                    "history": history,
                },
            )
        for record in store.records("meetings"):
            feedback = [{**item, "parts": {key: next(words) for key in item["parts"]}} for item in record["feedback"]]
            update(
                "meetings",
                record,
                {
                    "member_view": ALL_IN_ONE,
                    "notes": next(words),
                    "disagreement": next(words),
                    "feedback": feedback,
                    "agenda": [next(words) for _ in record["agenda"]],
                },
            )
        for record in store.records("actions"):
            update(
                "actions",
                record,
                {"what": next(words), "drop_reason": next(words) if record.get("drop_reason") else ""},
            )
        for record in store.records("objectives"):
            update(
                "objectives",
                record,
                {"text": next(words), "measure": next(words), "target": next(words), "outcome_link": next(words)},
            )
        for record in store.records("plans"):
            issues = [{**issue, "text": next(words)} for issue in record["issues"]]
            reviews = [{**review, "progress": next(words)} for review in record["reviews"]]
            update(
                "plans",
                record,
                {
                    "issues": issues,
                    "targets": ALL_IN_ONE,
                    "support": next(words),
                    "final_result": next(words),
                    "reviews": reviews,
                },
            )
        txn.create("positions", "P", {"name": next(words), "skill": next(words)}, next(words))
        placed, lifted = (today.fromordinal(today.toordinal() - days).isoformat() for days in (20, 2))
        for index, subject in enumerate(["C-0001", "C-0002", "C-0003", "M-0001"]):
            last = index == 3
            hold = {"subject": subject, "reason": ALL_IN_ONE if index == 0 else next(words), "placed_on": placed}
            hold |= {"lifted_on": lifted if last else None, "lift_reason": next(words) if last else ""}
            txn.create("legal_holds", "LH", hold, next(words))
        for index, name in enumerate(HOSTILE_NAMES):  # every step's text too: extended, refused, delivered
            request = {  # not the hostile customers' own names: an open request would hold their complaints
                "requester": f"{name} (asked)",
                "whose": "customer",
                "received_on": placed,
                "received_how": next(words),
                "identity_checked_on": placed,
                "identity_how": next(words),
                "notes": ALL_IN_ONE,
            }
            if index % 3 == 1:
                request |= {"extended": True, "extension_reason": next(words), "extension_told_on": lifted}
            elif index % 3 == 2:
                request |= {"closed_as": "refused", "closed_on": lifted, "close_reason": next(words)}
            if index == 3:
                request |= {"delivered_on": lifted, "delivered_how": next(words)}
            txn.create("subject_access_requests", "SAR", request, next(words))
