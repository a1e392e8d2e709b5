"""What the record holds about one person, as a document: the whole-person evidence pack for a member of
staff (their subject access request under UK GDPR Art. 15, an appraisal, a hearing) and a customer's
own complaints (theirs).

Both are ``output.document`` blocks, so every piece of text people typed is escaped for the format.
Each record comes with its change history from the audit log (when, who, what, why), and the document
is stamped with the audit head: 'supervisor-tui verify --head' then proves the record has not been
rewritten since. Sealed (older, read-only) records are read where the period reaches them, and voided
ones are shown, marked, because they are still held.

Other people's data is left out. The customers in a member's complaints are third parties: their names
and contact details, what they asked for, and their name wherever the complaint's text quotes it are
withheld (Data Protection Act 2018 Sch. 2 para 16; UK GDPR Art. 15(4)). A customer's export holds their
own complaints and no one else's.

Values erased under the retention schedule are shown by the note the erasure left ('erased on
24/11/2026 (reason)'): text stand-ins say it where the value was, and each record lists the fields it
lost, so an emptied field never reads as 'nothing was recorded'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .. import locations
from ..domain.base import RecordModel
from ..domain.complaints import HANDLING_STEPS, LEVELS, Complaint
from ..domain.dates import parse_utc, show_stamp, to_local
from ..domain.fields import name_key
from ..domain.one_to_ones import Action, ImprovementPlan, Meeting, Objective, acknowledgement_state, smart_gaps
from ..domain.people import Member
from ..domain.quality import NA, QualityCheck, Standard
from ..domain.rota import Shift, interval, show_hours
from ..output import Block, document

if TYPE_CHECKING:
    from . import Records
    from .base import Repository

AUDIT_PROOF = "'supervisor-tui verify --head' proves the record since"
THIRD_PARTY = (
    "The customers in these complaints are third parties, so their names and contact details, what they "
    "asked for, and their names wherever the text quotes them are left out (Data Protection Act 2018 "
    "Sch. 2 para 16; UK GDPR Art. 15(4))."
)
WITHHELD_NAME, WITHHELD_CONTACT = "[the customer]", "[contact withheld]"
# Words in a customer's name that identify no one on their own: kept when their name is withheld from text.
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "lord", "lady", "rev"})


# -- shared by this pack and the one-to-ones pack (services.one_to_ones) ---------------------------------
def period_words(start: date | None, end: date | None) -> str:
    text = f"{start:%d/%m/%Y}" if start else "the start"
    return text + (f" to {end:%d/%m/%Y}" if end else " to date")


def produced_words(today: date, head: str) -> str:
    return f"Produced {today:%d/%m/%Y} from audit head {head} — {AUDIT_PROOF}."


def erased_blocks(record: RecordModel) -> list[Block]:
    """What an erasure took from the record, one line per erasure: 'Erased on 24/11/2026 (reason): notes'."""
    fields = type(record).model_fields
    by_note: dict[str, list[str]] = {}
    for name, note in record.erased.items():
        title = fields[name].title if name in fields else None
        by_note.setdefault(note, []).append((title or name.replace("_", " ")).lower())
    return [("p", f"{note[0].upper()}{note[1:]}: {', '.join(names)}.") for note, names in by_note.items()]


def meeting_blocks(m: Meeting, days: int, late: bool) -> list[Block]:
    out: list[Block] = [
        ("h3", f"{m.held_on:%d/%m/%Y} · {m.kind.value} · {m.id}"),
        (
            "p",
            f"Note written {days} working day(s) after the meeting"
            f"{' (late)' if late else ''}; {acknowledgement_state(m)}.",
        ),
    ]
    for item in m.feedback:
        out.append(
            ("li", f"{item.kind} ({item.framework}): " + "; ".join(f"{k}: {v}" for k, v in item.parts.items() if v))
        )
    if m.member_view:
        out.append(("p", f"Their view: {m.member_view}"))
    if m.disagreement:
        out.append(("p", f"Their disagreement: {m.disagreement}"))
    if m.notes:
        out.append(("p", f"Notes: {m.notes}"))
    return out + erased_blocks(m)


def objective_blocks(o: Objective, today: date) -> list[Block]:
    gaps = smart_gaps(o, today)
    return [
        (
            "li",
            f"{o.text} — measure: {o.measure or '—'}; target: {o.target or '—'}; by {o.due:%d/%m/%Y}"
            if o.due
            else f"{o.text} — no date",
        ),
        ("p", f"Status {o.status}. " + ("SMART." if not gaps else "Not yet SMART: " + " ".join(gaps))),
        *erased_blocks(o),
    ]


def action_line(a: Action) -> str:
    return f"{a.id} {a.what} — owner {a.owner}, due {a.due:%d/%m/%Y}, {a.status}" + (
        f" ({a.drop_reason})" if a.drop_reason else ""
    )


def plan_blocks(p: ImprovementPlan) -> list[Block]:
    out: list[Block] = [("h3", f"{p.id} from {p.started_on:%d/%m/%Y} · {p.status}")]
    for issue in p.issues:
        out.append(("li", f"Issue: {issue.text} (evidence: {', '.join(issue.evidence)})"))
    out.append(("p", f"Targets: {p.targets}. Support: {p.support}."))
    for r in p.reviews:
        held = f"held {r.held_on:%d/%m/%Y}: {r.outcome or '—'} {r.progress}" if r.held_on else "not yet held"
        out.append(("li", f"Review due {r.due:%d/%m/%Y}: {held}"))
    if p.final_result:
        out.append(("p", f"Final result: {p.final_result}"))
    return out + erased_blocks(p)


# -- helpers of this module ----------------------------------------------------------------------------
def _in(day: date, start: date | None, end: date | None) -> bool:
    return (start is None or day >= start) and (end is None or day <= end)


def _overlaps(first: date, last: date, start: date | None, end: date | None) -> bool:
    return (end is None or first <= end) and (start is None or last >= start)


def _voided(record: RecordModel) -> list[Block]:
    return [("p", f"Voided: {record.void_reason or 'no reason recorded'}.")] if record.voided else []


def _score(standard: Standard | None, key: str, value: str | int) -> str:
    if value == NA:
        return "N/A"
    if isinstance(value, int) and standard is not None and any(c.key == key for c in standard.criteria):
        return f"{value}/{standard.criterion(key).max_points}"
    return str(value)


def _plan_days(p: ImprovementPlan) -> tuple[date, date]:
    days = [p.started_on, *(r.due for r in p.reviews), *(r.held_on for r in p.reviews if r.held_on)]
    return min(days), max(days)


def _name_pattern(name: str) -> re.Pattern[str] | None:
    """The customer's whole name, and each word of it that could identify them (not a title or an
    initial), as whole words in any case and spacing."""
    words = name.split()
    telling = [w for w in words if len(w.strip(".")) > 1 and w.strip(".").lower() not in _TITLES]
    if not words:
        return None
    # The longest first: at each place the first that matches is taken, so 'Olga Nowicka' goes whole.
    parts = [r"\s+".join(map(re.escape, words)), r"\s+".join(map(re.escape, telling)), *map(re.escape, telling)]
    return re.compile(r"(?<!\w)(?:" + "|".join(p for p in parts if p) + r")(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class _Withheld:
    """A complaint's text with its customer's name and contact taken out (for a member's pack)."""

    complaint: Complaint

    def __call__(self, text: str) -> str:
        c = self.complaint
        # An erased name or contact holds the erasure's note ('erased on 24/11/2026 (request)'), which
        # names no one: withheld as a name, every 'erased', 'on' and date in the text would go with it.
        if c.customer_contact.strip() and "customer_contact" not in c.erased:
            text = re.sub(re.escape(c.customer_contact.strip()), WITHHELD_CONTACT, text, flags=re.IGNORECASE)
        pattern = None if "customer_name" in c.erased else _name_pattern(c.customer_name)
        return pattern.sub(WITHHELD_NAME, text) if pattern else text


class EvidenceService:
    """The documents above, built from every section's service."""

    def __init__(self, records: Records):
        self.records = records

    # -- the whole-person pack --------------------------------------------------------------------
    def person_pack(self, member_name: str, first: str | None, last: str | None, fmt: str) -> str:
        """The pack for the member of that name, from ``first`` to ``last`` (typed UK dates; either may
        be left out: all time), as Markdown or HTML. ValueError, saying which option, for a name not on
        the team or a date that cannot be read."""
        member = self.records.team.by_name(member_name)
        if member is None:
            raise ValueError(f"--member: no one called {member_name!r} is on the team")
        start, end = self._period(first, last)
        return document(self.person_blocks(member.saved_id, start, end), fmt)

    def save_person_pack(self, member_id: str) -> Path:
        """The member's whole pack (all time, HTML) written to the user's own data folder, readable by
        them only (it is personal data, and the record's folder is shared); the file's path."""
        folder = locations.exports_dir()
        if folder.resolve() == Path(self.records.store.path).resolve().parent:
            raise ValueError(f"{folder} is the record's own folder, which others share; the pack was not written.")
        now = self.records.clock.local_now()
        path = folder / f"evidence-pack-{member_id}-{now:%Y%m%d-%H%M%S}.html"
        locations.write_own_file(path, document(self.person_blocks(member_id, None, None), "html"))
        return path

    def person_blocks(self, member_id: str, start: date | None, end: date | None) -> list[Block]:
        member = self.records.team.get(member_id)
        today = self.records.clock.today()
        out: list[Block] = [
            ("h1", f"Evidence pack: {member.name} ({member.id})"),
            (
                "p",
                f"Everything the team's record holds about {member.name}: for a subject access request "
                f"(UK GDPR Art. 15), an appraisal or a hearing. Period: {period_words(start, end)}. "
                + produced_words(today, self.records.store.head_text()),
            ),
        ]
        out += self._details(member)
        out += self._checks(member_id, start, end)
        out += self._meetings(member_id, start, end)
        out += self._objectives(member_id, start, end, today)
        out += self._actions(member_id, start, end)
        out += self._plans(member_id, start, end)
        out += self._complaints(member_id, start, end)
        shifts = self._shifts_of(member_id, start, end)
        out += self._shifts(shifts, today)
        out += self._problems(member_id, shifts)
        out += self._briefings(member_id, start, end)
        out += self._leave(member_id, start, end)
        out += self._improvement(member, start, end)
        return out

    def _period(self, first: str | None, last: str | None) -> tuple[date | None, date | None]:
        clock = self.records.clock
        try:
            start = clock.read_optional_date(first or "")
        except ValueError as exc:
            raise ValueError(f"--from: {exc}") from None
        try:
            end = clock.read_optional_date(last or "")
        except ValueError as exc:
            raise ValueError(f"--to: {exc}") from None
        if start and end and end < start:
            raise ValueError(f"--to: {end:%d/%m/%Y} is before --from {start:%d/%m/%Y}")
        return start, end

    def _history(self, repo: Repository, record_id: str | None) -> list[Block]:
        """Every change to the record from the audit log: when, who, what, and why."""
        lines = []
        for change in repo.history(record_id or ""):
            what = change.summary()
            if change.action == "create" and change.reason:
                what += f" ({change.reason})"
            lines.append(f"{change.when(self.records.tz)} {change.actor}: {what}")
        return [("p", "Change history:\n" + "\n".join(lines))] if lines else []

    def _details(self, m: Member) -> list[Block]:
        born = f"{m.date_of_birth:%d/%m/%Y}" if m.date_of_birth else m.erased.get("date_of_birth", "not recorded")
        skills = ", ".join(f"{name} ({level.value})" for name, level in sorted(m.skills.items()))
        out: list[Block] = [
            ("h2", "Their details"),
            ("li", f"Name: {m.name}"),
            ("li", f"Staff number: {m.id}"),
            ("li", f"Job title: {m.job_title}"),
            ("li", f"Contract hours: {m.contract_hours:g} a week"),
            ("li", f"Date of birth: {born}"),
            ("li", f"Start date: {m.start_date:%d/%m/%Y}" if m.start_date else "Start date: not recorded"),
            ("li", f"Left on: {m.left_on:%d/%m/%Y}" if m.left_on else "Left on: still in the team"),
            ("li", f"Line manager: {m.line_manager or 'not recorded'}"),
            ("li", f"Skills: {skills or 'none recorded'}"),
            ("li", f"Development goals: {'; '.join(m.development_goals) or 'none recorded'}"),
            ("li", f"48-hour opt-out: {'signed' if m.working_time_opt_out else 'no'}"),
            ("li", f"In rotas and lists: {'yes' if m.active else 'no (inactive)'}"),
        ]
        if m.notes:
            out.append(("p", f"Notes: {m.notes}"))
        return out + erased_blocks(m) + self._history(self.records.team.repo, m.id)

    def _checks(self, member_id: str, start: date | None, end: date | None) -> list[Block]:
        quality = self.records.quality
        checks = sorted(
            (
                c
                for c in quality.checks.with_sealed(start, include_voided=True)
                if c.member_id == member_id and _in(c.date, start, end)
            ),
            key=lambda c: (c.date, c.id or ""),
        )
        out: list[Block] = [("h2", "Quality checks")]
        for c in checks:
            out += self._check(c, quality.readable_standard(c.standard_id))
        return out if checks else [*out, ("p", "None in the period.")]

    def _check(self, c: QualityCheck, standard: Standard | None) -> list[Block]:
        name = f"{standard.name} (edition {standard.edition})" if standard else f"standard {c.standard_id}"
        out: list[Block] = [("h3", f"{c.id} on {c.date:%d/%m/%Y} · {name} · {c.channel}, {c.kind}")]
        out += _voided(c)
        if standard is None:
            out.append(("p", "Result: its standard cannot be read, so the scores are shown as recorded."))
        else:
            out.append(("p", f"Result: {self.records.quality.result(c, standard).why(standard.pass_mark)}"))
        if c.reference:
            out.append(("p", f"Reference: {c.reference}"))
        known = {cr.key: cr for cr in standard.criteria} if standard else {}
        for key, value in c.scores.items():
            criterion = known.get(key)
            label = f"{criterion.section} — {criterion.text}" if criterion else key
            comment = c.comments.get(key, "")
            out.append(
                ("li", f"{label}: {_score(standard, key, value)}" + (f" — comment: {comment}" if comment else ""))
            )
        for label, text in (
            ("Strengths", c.strengths),
            ("Development points", c.development),
            ("Agreed follow-up", c.follow_up),
            ("Their comment", c.member_comment),
        ):
            if text:
                out.append(("p", f"{label}: {text}"))
        if c.discussed_on:
            out.append(("p", f"Discussed with them on {c.discussed_on:%d/%m/%Y}."))
        return out + erased_blocks(c) + self._history(self.records.quality.checks, c.id)

    def _meetings(self, member_id: str, start: date | None, end: date | None) -> list[Block]:
        service = self.records.one_to_ones
        meetings = sorted(
            (
                m
                for m in service.meetings.with_sealed(start, include_voided=True)
                if m.member_id == member_id and _in(m.held_on, start, end)
            ),
            key=lambda m: m.held_on,
        )
        out: list[Block] = [("h2", "One-to-ones")]
        for m in meetings:
            out += meeting_blocks(m, *service.note_promptness(m))
            out += _voided(m) + self._history(service.meetings, m.id)
        return out if meetings else [*out, ("p", "None in the period.")]

    def _objectives(self, member_id: str, start: date | None, end: date | None, today: date) -> list[Block]:
        """Objectives due in the period, and those with no date (they run until met or dropped)."""
        repo = self.records.one_to_ones.objectives
        found = [
            o
            for o in repo.all(include_voided=True)
            if o.member_id == member_id and (o.due is None or _in(o.due, start, end))
        ]
        out: list[Block] = [("h2", "Objectives")]
        for o in found:
            out += objective_blocks(o, today) + _voided(o) + self._history(repo, o.id)
        return out if found else [*out, ("p", "None in the period.")]

    def _actions(self, member_id: str, start: date | None, end: date | None) -> list[Block]:
        repo = self.records.one_to_ones.actions
        found = sorted(
            (
                a
                for a in repo.with_sealed(start, include_voided=True)
                if a.member_id == member_id and _in(a.due, start, end)
            ),
            key=lambda a: a.due,
        )
        out: list[Block] = [("h2", "Agreed actions")]
        for a in found:
            out += [("li", action_line(a)), *erased_blocks(a), *_voided(a), *self._history(repo, a.id)]
        return out if found else [*out, ("p", "None in the period.")]

    def _plans(self, member_id: str, start: date | None, end: date | None) -> list[Block]:
        repo = self.records.one_to_ones.plans
        found = [
            p
            for p in repo.with_sealed(start, include_voided=True)
            if p.member_id == member_id and _overlaps(*_plan_days(p), start, end)
        ]
        out: list[Block] = [("h2", "Improvement plans")]
        for p in found:
            out += plan_blocks(p) + _voided(p) + self._history(repo, p.id)
        return out if found else [*out, ("p", "None in the period.")]

    def _complaints(self, member_id: str, start: date | None, end: date | None) -> list[Block]:
        service = self.records.complaints
        found = sorted(
            (
                c
                for c in service.repo.with_sealed(start, include_voided=True)
                if member_id in c.member_ids and _in(service.received_day(c), start, end)
            ),
            key=lambda c: c.received_at,
        )
        out: list[Block] = [("h2", "Complaints they were involved in")]
        if not found:
            return [*out, ("p", "None in the period.")]
        out.append(("p", THIRD_PARTY))
        for c in found:
            withheld = _Withheld(c)
            out.append(("h3", f"{c.id} received {self._received(c)} · {c.channel} · {withheld(c.category)}"))
            out += _voided(c)
            facts = [
                f"Stage: {c.stage}; escalation level: {LEVELS[c.level]}; severity: {c.severity.value}",
                f"Product or service: {c.product}" if c.product else "",
                f"What happened: {c.summary}",
                f"Outcome: {c.outcome}" if c.outcome else "",
                f"Root cause: {c.root_cause}" if c.root_cause else "",
                f"Lesson learned: {c.lesson}" if c.lesson else "",
                f"Improvement action: {c.improvement_action}" if c.improvement_action else "",
            ]
            out += [("li", withheld(fact)) for fact in facts if fact]
            out += [
                (
                    "li",
                    withheld(
                        f"{show_stamp(e.at, self.records.tz)} {e.by}: {e.what}" + (f" — {e.note}" if e.note else "")
                    ),
                )
                for e in c.history
            ]
            out += [(kind, withheld(text)) for kind, text in self._history(service.repo, c.id)]
        return out

    def _received(self, c: Complaint) -> str:
        return f"{to_local(parse_utc(c.received_at), self.records.tz):%d/%m/%Y %H:%M}"

    def _shifts_of(self, member_id: str, start: date | None, end: date | None) -> list[Shift]:
        return sorted(
            (
                s
                for s in self.records.shifts.shifts.with_sealed(start)
                if s.member_id == member_id and _in(s.day, start, end)
            ),
            key=lambda s: (s.day, s.start),
        )

    def _shifts(self, shifts: list[Shift], today: date) -> list[Block]:
        """Shifts by month: how many and their working time (breaks excluded), the planned ones apart."""
        tz = self.records.tz
        months: dict[tuple[int, int], list[Shift]] = {}
        for s in shifts:
            months.setdefault((s.day.year, s.day.month), []).append(s)
        out: list[Block] = [
            ("h2", "Shifts"),
            (
                "p",
                f"{len(shifts)} shift(s) in the period; working time excludes breaks. Each shift is also in the "
                "record with its own history ('supervisor-tui export rota' prints a week).",
            ),
        ]
        for (year, month), group in months.items():
            hours = sum(interval(s, tz).worked_hours for s in group)
            planned = sum(s.day > today for s in group)
            out.append(
                (
                    "li",
                    f"{date(year, month, 1):%B %Y}: {len(group)} shift(s), {show_hours(hours)} working time"
                    + (f" ({planned} planned after today)" if planned else ""),
                )
            )
        return out

    def _problems(self, member_id: str, shifts: list[Shift]) -> list[Block]:
        """Each working-time and rota problem 'supervisor-tui check rota' finds on their shifts' days."""
        out: list[Block] = [("h2", "Working-time problems")]
        service = self.records.shifts
        problems = (
            [p for p in service.problems(shifts[0].day, shifts[-1].day) if p.member_id == member_id] if shifts else []
        )
        out += [("li", service.describe(p)) for p in problems]
        return out if problems else [*out, ("p", "None found.")]

    def _briefings(self, member_id: str, start: date | None, end: date | None) -> list[Block]:
        """The briefings they heard, and those given on a day they worked that they missed."""
        service = self.records.shifts
        lines = []
        for b in sorted(service.briefings.all(), key=lambda b: b.day):
            if not _in(b.day, start, end):
                continue
            if member_id in b.attended:
                lines.append(f"{b.day:%a %d/%m/%Y}: attended")
            elif member_id in b.caught_up:
                lines.append(f"{b.day:%a %d/%m/%Y}: missed; caught up on {b.caught_up[member_id]:%d/%m/%Y}")
            elif member_id in service.on_shift(b.day):
                lines.append(f"{b.day:%a %d/%m/%Y}: missed; not caught up yet")
        out: list[Block] = [("h2", "Briefings attended or missed"), *(("li", line) for line in lines)]
        return out if lines else [*out, ("p", "None in the period.")]

    def _leave(self, member_id: str, start: date | None, end: date | None) -> list[Block]:
        repo = self.records.shifts.leave
        found = sorted(
            (
                e
                for e in repo.all(include_voided=True)
                if e.member_id == member_id and _overlaps(e.first_day, e.last_day, start, end)
            ),
            key=lambda e: e.first_day,
        )
        out: list[Block] = [("h2", "Leave")]
        for e in found:
            out += [
                ("li", f"{e.id} {e.first_day:%d/%m/%Y} to {e.last_day:%d/%m/%Y}: {e.kind}"),
                *erased_blocks(e),
                *_voided(e),
                *self._history(repo, e.id),
            ]
        return out if found else [*out, ("p", "None in the period.")]

    def _improvement(self, member: Member, start: date | None, end: date | None) -> list[Block]:
        """Improvement actions they suggested or own: the team's changes, which name them."""
        repo = self.records.improvement.repo
        found = [
            a
            for a in sorted(repo.all(include_voided=True), key=lambda a: a.planned_on)
            if _in(a.planned_on, start, end)
            and (
                (a.source.kind == "suggestion" and a.source.ref == member.id)
                or name_key(a.owner) == name_key(member.name)
            )
        ]
        out: list[Block] = [("h2", "Improvement actions they suggested or own")]
        for a in found:
            roles = [
                role
                for role, named in (
                    ("suggested by them", a.source.kind == "suggestion" and a.source.ref == member.id),
                    ("owned by them", name_key(a.owner) == name_key(member.name)),
                )
                if named
            ]
            prompted: list[Block] = [("p", f"What prompted it: {a.source.note}")] if a.source.note else []
            out += [
                ("li", f"{a.id} planned {a.planned_on:%d/%m/%Y}: {a.title} ({', '.join(roles)}; {a.stage_text()})"),
                *prompted,
                *(("p", f"Progress note {n.on:%d/%m/%Y} ({n.by}): {n.text}") for n in a.notes),
                *_voided(a),
                *self._history(repo, a.id),
            ]
        return out if found else [*out, ("p", "None in the period.")]

    # -- a customer's complaints ------------------------------------------------------------------
    def customer_complaints(self, customer_name: str) -> list[Complaint]:
        """Every complaint from a customer of that name (any case or spacing), sealed and voided ones too."""
        wanted = name_key(customer_name)
        return sorted(
            (
                c
                for c in self.records.complaints.repo.with_sealed(None, include_voided=True)
                if wanted and name_key(c.customer_name) == wanted
            ),
            key=lambda c: c.received_at,
        )

    def contact_warning(self, complaints: list[Complaint]) -> str | None:
        """Said to the supervisor (never in the export) when complaints under one name give different
        contact details: they may be from two people of that name, and one must not get the other's."""
        contacts = {c.customer_contact.strip().casefold() for c in complaints if c.customer_contact.strip()}
        if len(contacts) < 2:
            return None
        ids = ", ".join(c.id or "" for c in complaints)
        return (
            f"{ids} give {len(contacts)} different contact details: check each is the requester's "
            "before sending (another customer's data must not go to them: UK GDPR Art. 15(4))."
        )

    def customer_export(self, customer_name: str, fmt: str) -> str:
        """Their complaints with everything recorded about each and its history, as Markdown or HTML;
        ValueError when no complaint is from a customer of that name."""
        complaints = self.customer_complaints(customer_name)
        if not complaints:
            raise ValueError(f"--customer: no complaint on the record is from a customer called {customer_name!r}")
        return document(self.customer_blocks(complaints), fmt)

    def customer_blocks(self, complaints: list[Complaint]) -> list[Block]:
        name = complaints[0].customer_name
        today = self.records.clock.today()
        out: list[Block] = [
            ("h1", f"Complaints from {name}"),
            (
                "p",
                f"Everything the team's record holds about {len(complaints)} complaint(s) from {name}, for "
                "their subject access request (UK GDPR Art. 15), with each complaint's history. Other "
                f"customers' data is left out. {produced_words(today, self.records.store.head_text())}",
            ),
        ]
        for c in complaints:
            out += self._complaint_for_customer(c)
        return out

    def _complaint_for_customer(self, c: Complaint) -> list[Block]:
        repairs = [
            f"{r.kind} asked for on {r.requested_on:%d/%m/%Y}"
            + (f", goods back on {r.back_on:%d/%m/%Y}" if r.back_on else "")
            + (", still faulty" if r.failed else "")
            for r in c.repairs
        ]
        steps = [label for key, label in HANDLING_STEPS if c.checklist.get(key)]
        waits = [f"{p.start:%d/%m/%Y} to {p.end:%d/%m/%Y}" if p.end else f"from {p.start:%d/%m/%Y}" for p in c.pauses]
        facts: list[tuple[str, object]] = [
            ("Received", self._received(c)),
            ("Channel", c.channel),
            ("Your name", c.customer_name),
            ("Contact", c.customer_contact),
            ("Product or service", c.product),
            ("Category", c.category),
            ("What happened", c.summary),
            ("What you wanted", c.wants),
            ("Severity", c.severity.value),
            ("Handled by", c.owner),
            ("Stage", c.stage),
            ("Escalation level", LEVELS[c.level]),
            ("Steps taken", "; ".join(steps)),
            ("Waiting on you", "; ".join(waits)),
            ("Acknowledged on", c.acknowledged_on),
            ("Responded on", c.responded_on),
            ("Reopened on", c.reopened_on),
            ("Bought or delivered", c.purchase_date),
            ("Ownership passed", c.ownership_date),
            ("Delivered", c.delivery_date),
            ("Installed by the trader", "yes" if c.trader_installs else ""),
            ("Told installed on", c.installed_on),
            ("Motor vehicle", "yes" if c.motor_vehicle else ""),
            ("Repairs and replacements", "; ".join(repairs)),
            ("Failed repairs or replacements", c.failed_repairs or ""),
            ("Refund agreed on", c.refund_agreed_on),
            ("Outcome", c.outcome),
            ("Remedy", c.remedy),
            ("Satisfied", "" if c.satisfied is None else "yes" if c.satisfied else "no"),
            ("Root cause", c.root_cause),
            ("Lesson learned", c.lesson),
            ("Improvement action", c.improvement_action),
            ("Follow up on", c.follow_up_on),
        ]
        out: list[Block] = [("h2", f"Complaint {c.id}"), *_voided(c)]
        out += [("li", f"{label}: {_shown(value)}") for label, value in facts if value not in ("", None)]
        out += erased_blocks(c)
        events = [
            f"{show_stamp(e.at, self.records.tz)} {e.by}: {e.what}" + (f" — {e.note}" if e.note else "")
            for e in c.history
        ]
        if events:
            out.append(("p", "What happened, step by step:\n" + "\n".join(events)))
        return out + self._history(self.records.complaints.repo, c.id)


def _shown(value: object) -> str:
    return f"{value:%d/%m/%Y}" if isinstance(value, date) else str(value)
