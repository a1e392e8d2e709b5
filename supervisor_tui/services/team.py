"""Team roster use cases: add, edit, deactivate, find, and bulk import/export of members."""

from __future__ import annotations

from datetime import date

from pydantic import ValidationError

from storage import Store

from ..domain.clock import Clock

from ..domain.base import RecordModel, explain
from ..domain.dates import parse_date, show_date
from ..domain.people import Member, format_skills, parse_skills
from ..output import csv_text
from .base import Repository
from .csvio import convert_rows, read_rows, yes_no

TEAM_CSV_COLUMNS = ["name", "job_title", "contract_hours", "date_of_birth", "skills",
                    "development_goals", "start_date", "line_manager", "working_time_opt_out", "active"]
REQUIRED_CSV_COLUMNS = TEAM_CSV_COLUMNS[:5]


class TeamService:
    def __init__(self, store: Store, clock: Clock):
        self.clock = clock
        self.repo: Repository[Member] = Repository(store, "members", "M", Member, clock)

    def members(self, *, include_inactive: bool = False, search: str = "") -> list[Member]:
        needle = search.strip().lower()
        found = [m for m in self.repo.all() if include_inactive or m.active]
        if needle:
            found = [m for m in found if needle in m.name.lower() or needle in m.job_title.lower()
                     or any(needle in s for s in m.skills) or needle == (m.id or "").lower()]
        return sorted(found, key=lambda m: (not m.active, m.name.lower()))

    def get(self, member_id: str) -> Member:
        return self.repo.get(member_id)

    def by_name(self, name: str) -> Member | None:
        wanted = " ".join(name.split()).lower()
        return next((m for m in self.repo.all() if m.name.lower() == wanted), None)

    def add(self, member: Member) -> Member:
        self._check_unique_name(member)
        return self.repo.create(member)

    def edit(self, member: Member, reason: str | None = None) -> Member:
        self._check_unique_name(member)
        return self.repo.update(member, reason)

    def set_active(self, member: Member, active: bool, reason: str) -> Member:
        """Deactivating keeps the person and their history; they just leave rotas and lists."""
        return self.repo.update(member.model_copy(update={"active": active}), reason)

    def history(self, member_id: str):
        return self.repo.history(member_id)

    def _check_unique_name(self, member: Member) -> None:
        other = self.by_name(member.name)
        if other and other.id != member.id:
            raise ValueError(f"Name: {other.name} is already on the team as {other.id}; "
                             "add a middle initial or surname to tell them apart")

    # -- CSV -----------------------------------------------------------------------------------
    def import_csv(self, text: str) -> list[Member]:
        """All or nothing: every row is checked first; any bad row refuses the whole file."""
        taken = {m.name.lower(): f"already on the team as {m.id}" for m in self.repo.all()}

        def convert(row: dict[str, str]) -> Member:
            member = member_from_row(row, self.clock.today())
            key = member.name.lower()
            if key in taken:
                raise ValueError(f"{member.name} is {taken[key]}")
            taken[key] = "also on an earlier row of this file"
            return member

        members = convert_rows(read_rows(text, REQUIRED_CSV_COLUMNS), convert, Member)
        with self.repo.store.transaction() as txn:
            created = [txn.create("members", "M", m.fields(), "imported from CSV") for m in members]
        return [Member.model_validate(r) for r in created]

    def export_csv(self) -> str:
        return csv_text(TEAM_CSV_COLUMNS, [member_row(m) for m in sorted(self.repo.all(), key=lambda m: m.id or "")])


def member_row(m: Member) -> dict[str, str]:
    return {
        "name": m.name, "job_title": m.job_title, "contract_hours": f"{m.contract_hours:g}",
        "date_of_birth": show_date(m.date_of_birth), "skills": format_skills(m.skills),
        "development_goals": ";".join(m.development_goals), "start_date": show_date(m.start_date),
        "line_manager": m.line_manager, "working_time_opt_out": "yes" if m.working_time_opt_out else "no",
        "active": "yes" if m.active else "no",
    }


def member_from_row(row: dict[str, str], today: date, base: Member | None = None) -> Member:
    """A member from text fields (a CSV row or the form).

    Every problem is reported at once, one 'Label: message' per line, so a supervisor fixes them
    in one go. With ``base`` (an edit) the store's envelope and any field not given are kept.
    """
    problems: list[str] = []

    def day(key: str, label: str):
        try:
            return parse_date(row[key], today) if row.get(key, "").strip() else None
        except ValueError as exc:
            problems.append(f"{label}: {exc}")
            return None

    def checked(label: str, parse, *args):
        try:
            return parse(*args)
        except ValueError as exc:
            problems.append(f"{label}: {exc}")
            return None

    dob = day("date_of_birth", "Date of birth")
    if dob is None and not row.get("date_of_birth", "").strip():
        problems.append("Date of birth: this is required")
    fields = dict(
        name=" ".join(row.get("name", "").split()), job_title=row.get("job_title", ""),
        contract_hours=row.get("contract_hours", "").strip() or "missing", date_of_birth=dob,
        skills=checked("Skills", parse_skills, row.get("skills", "")) or {},
        development_goals=row.get("development_goals", ""), start_date=day("start_date", "Start date"),
        line_manager=row.get("line_manager", ""),
        working_time_opt_out=checked("48-hour opt-out", yes_no, row.get("working_time_opt_out", ""),
                                     "48-hour opt-out", False) or False,
        active=checked("Active", yes_no, row.get("active", ""), "active", base.active if base else True),
    )
    if "notes" in row:
        fields["notes"] = row["notes"]
    envelope = base.model_dump(include=set(RecordModel.model_fields)) if base else {}
    keep = base.model_dump(exclude=set(RecordModel.model_fields) | set(fields)) if base else {}
    candidate = {**keep, **fields, **envelope}
    if dob is None:  # check everything else too, against a stand-in date
        candidate["date_of_birth"] = date(2000, 1, 1)
    try:
        member = Member.model_validate(candidate, context={"today": today})
    except ValidationError as exc:
        problems.extend(explain(exc, Member))
    if problems:
        raise ValueError("\n".join(problems))
    return member


def member_form_values(m: Member) -> dict[str, str | bool]:
    """The form's fields for an existing member: the CSV columns plus notes."""
    row: dict[str, str | bool] = dict(member_row(m))
    row["working_time_opt_out"] = m.working_time_opt_out
    row["notes"] = m.notes
    return row
