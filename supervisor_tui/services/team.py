"""Team roster use cases: add, edit, deactivate, find, and bulk import/export of members."""

from __future__ import annotations

from datetime import date

from pydantic import ValidationError

from supervisor_tui.storage import Store

from ..domain.base import RecordModel, explain
from ..domain.clock import Clock
from ..domain.dates import parse_date, show_date
from ..domain.fields import name_key
from ..domain.people import Member, format_skills, parse_skills
from ..output import csv_text
from .base import Repository, as_stored
from .csvio import read_rows, yes_no
from .imports import Identity, Imported, sort_rows

TEAM_CSV_COLUMNS = [
    "name",
    "job_title",
    "contract_hours",
    "date_of_birth",
    "skills",
    "development_goals",
    "start_date",
    "line_manager",
    "working_time_opt_out",
    "active",
]
REQUIRED_CSV_COLUMNS = TEAM_CSV_COLUMNS[:5]
OPTIONAL_CSV_COLUMNS = TEAM_CSV_COLUMNS[5:] + ["notes"]


class TeamService:
    def __init__(self, store: Store, clock: Clock):
        self.clock = clock
        self.repo: Repository[Member] = Repository(store, "members", "M", Member, clock)

    def members(self, *, include_inactive: bool = False, search: str = "") -> list[Member]:
        needle = search.strip().lower()
        found = [m for m in self.repo.all() if include_inactive or m.active]
        if needle:
            found = [
                m
                for m in found
                if needle in m.name.lower()
                or needle in m.job_title.lower()
                or any(needle in s for s in m.skills)
                or needle == (m.id or "").lower()
            ]
        return sorted(found, key=lambda m: (not m.active, m.name.lower()))

    def line_manager_choices(self, member: Member | None = None) -> list[tuple[str, str]]:
        """Whom a member's line manager can be chosen from: everyone active on the roster but themself,
        by name; and the name they have now if it is not one of those (someone outside the team, or who
        has left), so editing them never changes it behind anyone's back."""
        names = sorted((m.name for m in self.members() if member is None or m.id != member.id), key=str.lower)
        current = member.line_manager if member else ""
        if current and current not in names:
            return [(f"{current} (not on the roster)", current), *((n, n) for n in names)]
        return [(n, n) for n in names]

    def get(self, member_id: str) -> Member:
        return self.repo.get(member_id)

    def by_name(self, name: str) -> Member | None:
        """The member with this name, compared as names are (case, spacing and width aside)."""
        wanted = name_key(name)
        return next((m for m in self.repo.all() if name_key(m.name) == wanted), None)

    def add(self, member: Member) -> Member:
        self._check_unique_name(member)
        return self.repo.create(member)

    def edit(self, member: Member, reason: str | None = None) -> Member:
        self._check_unique_name(member)
        return self.repo.update(member, reason)

    def set_active(self, member: Member, active: bool, reason: str, left_on: date | None = None) -> Member:
        """Deactivating keeps the person and their history; they just leave rotas and lists. The day they
        left (today unless given) starts the retention periods of their records (domain.retention);
        coming back clears it."""
        left = None if active else (left_on or self.clock.today())
        return self.repo.update(member.model_copy(update={"active": active, "left_on": left}), reason)

    def history(self, member_id: str):
        return self.repo.history(member_id)

    def _check_unique_name(self, member: Member) -> None:
        other = self.by_name(member.name)
        if other and other.id != member.id:
            same = "" if other.name == member.name else f" (as {other.name})"
            raise ValueError(
                f"Name: {member.name} is already on the team{same} as {other.id}; "
                "add a middle initial or surname to tell them apart"
            )

    # -- CSV -----------------------------------------------------------------------------------
    def import_csv(self, text: str) -> Imported[Member]:
        """All or nothing: every row is checked first; any bad row refuses the whole file. A person
        already on the team with the same details is skipped; with different ones, refused."""
        rows = read_rows(text, REQUIRED_CSV_COLUMNS, OPTIONAL_CSV_COLUMNS)
        columns = set(rows[0][1]) if rows else set()
        identity = Identity[Member](
            key=lambda m: name_key(m.name),
            describe=lambda m: m.name,
            compared={
                name: (Member.model_fields[name].title or name)
                for name in TEAM_CSV_COLUMNS + ["notes"]
                if name in columns and name != "name"
            },
        )
        members, skipped = sort_rows(
            rows, lambda row: member_from_row(row, self.clock.today()), Member, identity, self.repo.all()
        )
        if not members:
            return Imported([], skipped)
        with self.repo.store.transaction() as txn:
            created = [txn.create("members", "M", m.fields(), "imported from CSV") for m in members]
        return Imported(as_stored(members, created), skipped)

    def export_csv(self) -> str:
        return csv_text(TEAM_CSV_COLUMNS, [member_row(m) for m in sorted(self.repo.all(), key=lambda m: m.id or "")])


def member_row(m: Member) -> dict[str, str]:
    return {
        "name": m.name,
        "job_title": m.job_title,
        "contract_hours": f"{m.contract_hours:g}",
        "date_of_birth": show_date(m.date_of_birth),
        "skills": format_skills(m.skills),
        "development_goals": ";".join(m.development_goals),
        "start_date": show_date(m.start_date),
        "line_manager": m.line_manager,
        "working_time_opt_out": "yes" if m.working_time_opt_out else "no",
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

    def flag(key: str, label: str, default: bool) -> bool:
        """A yes/no: a column left out means the usual; a column given must say yes or no."""
        if key not in row:
            return default
        if isinstance(row[key], str) and not row[key].strip():
            problems.append(f"{label}: say yes or no (it is blank)")
            return default
        return bool(checked(label, yes_no, row[key], label.lower(), default))

    dob = day("date_of_birth", "Date of birth")
    if dob is None and not row.get("date_of_birth", "").strip():
        problems.append("Date of birth: this is required")
    fields = dict(
        # The name goes to the model as typed: it refuses control characters before tidying spaces.
        name=row.get("name", ""),
        job_title=row.get("job_title", ""),
        contract_hours=row.get("contract_hours", "").strip() or "missing",
        date_of_birth=dob,
        skills=checked("Skills", parse_skills, row.get("skills", "")) or {},
        development_goals=row.get("development_goals", ""),
        start_date=day("start_date", "Start date"),
        line_manager=row.get("line_manager", ""),
        working_time_opt_out=flag("working_time_opt_out", "48-hour opt-out", False),
        active=flag("active", "Active", base.active if base else True),
    )
    if "notes" in row:
        fields["notes"] = row["notes"]
    # The form's working-time settings (not CSV columns): only when given, so an import keeps them.
    for key, label in (
        ("works_after_ten_by_contract", "Works after 22:00"),
        ("split_or_short_work", "Split or short work"),
    ):
        if key in row:
            fields[key] = flag(key, label, False)
    if "over_school_age_from" in row:
        fields["over_school_age_from"] = day("over_school_age_from", "Over school age from")
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
    row["works_after_ten_by_contract"] = m.works_after_ten_by_contract
    row["split_or_short_work"] = m.split_or_short_work
    row["over_school_age_from"] = show_date(m.over_school_age_from)
    row["notes"] = m.notes
    return row
