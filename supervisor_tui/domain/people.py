"""Team members: who they are, what they can do, what they want to learn."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from pydantic import (
    Field,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)

from .base import RecordModel
from .dates import age_on
from .fields import LongText, PersonName, RecordDate

ADULT_AGE = 18
MIN_WORKING_AGE = 13
MAX_CONTRACT_HOURS = 60.0
COMMON_SKILLS = ("tills", "phones", "returns", "complaints desk", "click & collect", "email", "chat")


class SkillLevel(StrEnum):
    learner = "learner"
    competent = "competent"
    expert = "expert"

    @property
    def rank(self) -> int:
        return ("learner", "competent", "expert").index(self.value)


class Member(RecordModel):
    name: PersonName = Field(title="Name", min_length=1, max_length=80)
    job_title: PersonName = Field(title="Job title", min_length=1, max_length=80)
    contract_hours: float = Field(title="Contract hours", gt=0, le=MAX_CONTRACT_HOURS)
    # None only once erased (a former member's details, domain.retention): required while they are in the team.
    date_of_birth: RecordDate | None = Field(default=None, title="Date of birth")
    skills: dict[str, SkillLevel] = Field(default_factory=dict, title="Skills", max_length=40)
    development_goals: list[str] = Field(default_factory=list, title="Development goals", max_length=20)
    start_date: RecordDate | None = Field(default=None, title="Start date")
    line_manager: PersonName = Field(default="", title="Line manager", max_length=80)
    working_time_opt_out: bool = Field(default=False, title="48-hour opt-out")
    # WTR 1998 reg 2 'restricted period': 23:00-07:00 instead of 22:00-06:00 for an under-18 whose
    # contract provides for work after 22:00 (a fact about the contract, not a choice per shift).
    works_after_ten_by_contract: bool = Field(default=False, title="Contract: work after 22:00")
    # WTR 1998 reg 10(3) and 11(8)(a): an under-18's rest may be interrupted where the work is split up
    # over the day or of short duration. Only where the work really is, so it is set per person.
    split_or_short_work: bool = Field(default=False, title="Split or short work")
    # The first day they are over compulsory school age, where the supervisor knows it better than the
    # rule (a Scottish pupil's Christmas holidays, a deferred entrant in Northern Ireland).
    over_school_age_from: RecordDate | None = Field(default=None, title="Over school age from")
    active: bool = True
    # The day they left the team: the retention schedule counts from it (domain.retention).
    left_on: RecordDate | None = Field(default=None, title="Left on")
    notes: LongText = Field(default="", title="Notes", max_length=2000)

    @field_validator("contract_hours", mode="wrap")
    @classmethod
    def _hours(cls, value: object, handler: ValidatorFunctionWrapHandler) -> float:
        """The limits in one sentence, whichever end was crossed."""
        try:
            hours: float = handler(value)
            return hours
        except ValidationError as exc:
            if any(e["type"] in ("greater_than", "less_than_equal") for e in exc.errors()):
                raise ValueError(f"weekly hours must be more than 0 and at most {MAX_CONTRACT_HOURS:g}") from None
            raise

    @field_validator("skills", mode="before")
    @classmethod
    def _skill_names(cls, value: object) -> object:
        if isinstance(value, str):
            return parse_skills(value)
        if isinstance(value, dict):
            return {normalise_skill(k): v for k, v in value.items() if normalise_skill(k)}
        return value

    @field_validator("development_goals", mode="before")
    @classmethod
    def _goals(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.split(";")
        return [g.strip() for g in value if str(g).strip()] if isinstance(value, list) else value

    @model_validator(mode="after")
    def _dates(self, info: ValidationInfo) -> Member:
        born = self.date_of_birth
        if born and self.start_date and self.start_date < born:
            raise ValueError("Start date: cannot be before their date of birth")
        if self.left_on and self.start_date and self.left_on < self.start_date:
            raise ValueError("Left on: cannot be before they started")
        today = (info.context or {}).get("today")
        if today is None:  # reading a stored record: it was checked against the clock when written
            return self
        if self.left_on and self.left_on > today:
            raise ValueError("Left on: cannot be in the future; mark them as left on the day they go")
        if self.date_of_birth is None:
            if "date_of_birth" in self.erased:
                return self
            raise ValueError("Date of birth: this is required")
        if self.date_of_birth >= today:
            raise ValueError("Date of birth: must be in the past")
        if age_on(self.date_of_birth, today) < MIN_WORKING_AGE:
            raise ValueError(f"Date of birth: a team member must be at least {MIN_WORKING_AGE}")
        if age_on(self.date_of_birth, today) > 100:
            raise ValueError("Date of birth: check the year (that makes them over 100)")
        return self

    def age(self, on: date) -> int | None:
        """Their age on a day; None once their date of birth is erased."""
        return age_on(self.date_of_birth, on) if self.date_of_birth else None

    def is_under_18(self, on: date) -> bool:
        age = self.age(on)
        return age is not None and age < ADULT_AGE

    def level(self, skill: str) -> SkillLevel | None:
        return self.skills.get(normalise_skill(skill))


class AgeBand(StrEnum):
    """Which working-time rules apply on a day (WTR 1998 reg 2)."""

    child = "child"  # not over compulsory school age: not a worker under the WTR at all
    young = "young worker"  # over compulsory school age and under 18
    adult = "adult"  # 18 or over


def school_leaving_date(born: date, region: str) -> date:
    """The first day someone is over compulsory school age, from their date of birth.

    - England and Wales (Education Act 1996 s.8(3)-(4)): the end of the school leaving date, the last
      Friday in June of the school year in which they turn 16 (16 by the end of August: that June;
      16 from September on: the next June). Over it from the Saturday after.
    - Scotland (Education (Scotland) Act 1980 s.33): a 16th birthday from 1 March to 30 September
      counts from the summer leaving date, 31 May; from 1 October to the end of February, from the
      winter leaving date, taken as 21 December (the statutory date for those not at school; a
      pupil's holidays may start a few days later, so this errs towards protecting them).
    - Northern Ireland (Education and Libraries (NI) Order 1986 art 46): 16 by 1 July may leave on
      30 June that year, 16 later in the summer on 30 June the next year. Over it from 1 July.
    A deferred school start, or a date the supervisor knows, is recorded as ``over_school_age_from``.
    """
    sixteen = _birthday(born, 16)
    if region == "SCT":
        if date(sixteen.year, 3, 1) <= sixteen <= date(sixteen.year, 9, 30):
            return date(sixteen.year, 5, 31)
        return date(sixteen.year if sixteen.month >= 10 else sixteen.year - 1, 12, 21)
    if region == "NIR":
        year = sixteen.year if (sixteen.month, sixteen.day) <= (7, 1) else sixteen.year + 1
        return date(year, 7, 1)
    year = sixteen.year if sixteen.month <= 8 else sixteen.year + 1
    last_friday = date(year, 6, 30) - timedelta(days=(date(year, 6, 30).weekday() - 4) % 7)
    return last_friday + timedelta(days=1)


def _birthday(born: date, years: int) -> date:
    """The day someone reaches an age (a 29 February birthday counts from 1 March in other years)."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return date(born.year + years, 3, 1)


def age_band(member: Member, on: date, region: str) -> AgeBand:
    """Which rules apply on ``on``. A former member whose date of birth is erased is taken as an adult:
    it goes years after they left, when their working-time records have gone too (WTR reg 9)."""
    born = member.date_of_birth
    if born is None:
        return AgeBand.adult
    over_school_age = member.over_school_age_from or school_leaving_date(born, region)
    if on < over_school_age:
        return AgeBand.child
    return AgeBand.young if on < _birthday(born, ADULT_AGE) else AgeBand.adult


def normalise_skill(name: str) -> str:
    return " ".join(str(name).strip().lower().split())


def parse_skills(text: str) -> dict[str, SkillLevel]:
    """'tills:expert;phones:learner' -> {'tills': expert, 'phones': learner}; a bare name is a learner.

    A colon with nothing after it ('tills:') is refused rather than read as a learner: the level
    was meant to be there. A skill named twice is refused rather than the last one silently winning."""
    skills: dict[str, SkillLevel] = {}
    for part in (text or "").split(";"):
        if not part.strip():
            continue
        name, colon, level = part.partition(":")
        name = normalise_skill(name)
        level = level.strip().lower() or ("" if colon else "learner")
        if not name:
            raise ValueError(f"skill {part.strip()!r} has no name")
        if not level:
            raise ValueError(f"skill {name} has no level after the colon: learner, competent or expert")
        if level not in SkillLevel.__members__:
            raise ValueError(f"skill level {level!r} for {name} must be learner, competent or expert")
        if name in skills:
            raise ValueError(f"skill {name} is given twice; give it once with its level")
        skills[name] = SkillLevel(level)
    return skills


def format_skills(skills: dict[str, SkillLevel]) -> str:
    return ";".join(f"{name}:{SkillLevel(level).value}" for name, level in sorted(skills.items()))
