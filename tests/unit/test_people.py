"""Team member validation in words a supervisor understands."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from supervisor_tui.domain.base import explain
from supervisor_tui.domain.people import Member, SkillLevel, format_skills, parse_skills

GOOD = dict(name="Sam Patel", job_title="Customer Service Advisor", contract_hours=37.5, date_of_birth=date(1990, 4, 3))


TODAY = date(2026, 11, 22)  # writes are validated against the team clock's today


def problems(**changes) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        Member.model_validate({**GOOD, **changes}, context={"today": TODAY})
    return explain(caught.value, Member)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"name": "  "}, "Name: this cannot be blank"),
        ({"contract_hours": "lots"}, "Contract hours: enter a number"),
        ({"contract_hours": 0}, "Contract hours: weekly hours must be more than 0 and at most 60"),
        ({"contract_hours": 61}, "Contract hours: weekly hours must be more than 0 and at most 60"),
        ({"date_of_birth": date(2100, 1, 1)}, "Date of birth: must be in the past"),
        ({"date_of_birth": TODAY.replace(year=TODAY.year - 10)}, "Date of birth: a team member must be at least 13"),
        ({"date_of_birth": date(1900, 1, 1)}, "Date of birth: check the year"),
        ({"skills": "tills:guru"}, "Skills: skill level 'guru' for tills must be learner, competent or expert"),
        ({"start_date": date(1980, 1, 1)}, "Start date: cannot be before their date of birth"),
    ],
)
def test_validation_messages(changes, message):
    assert any(line.startswith(message) for line in problems(**changes)), problems(**changes)


def test_skills_parse_normalise_and_round_trip():
    skills = parse_skills("Tills:expert; phones ; Click  &  Collect:competent")
    assert skills == {"tills": SkillLevel.expert, "phones": SkillLevel.learner, "click & collect": SkillLevel.competent}
    assert parse_skills(format_skills(skills)) == skills
    assert format_skills(skills) == "click & collect:competent;phones:learner;tills:expert"


def test_under_18_is_worked_out_on_the_day():
    born = date(2009, 6, 15)
    member = Member(**{**GOOD, "date_of_birth": born})
    assert member.is_under_18(date(2027, 6, 14))
    assert not member.is_under_18(date(2027, 6, 15))
    assert member.age(date(2026, 11, 22)) == 17


def test_markup_is_kept_exactly_and_control_characters_are_refused():
    """Markup in a name is only text and is stored as typed; an escape code cannot be stored at all."""
    name = "[bold]Zoe[/] [link=x]Hart"
    assert Member(**{**GOOD, "name": name}).name == name
    assert problems(name="[bold]Zoe[/] \x1b[31mHart") == [
        "Name: has an invisible control character (U+001B) in it; type it again without it"
    ]


@pytest.mark.parametrize(
    "born, on, under_18",
    [
        (date(2008, 11, 22), date(2026, 11, 21), True),  # the day before their 18th birthday
        (date(2008, 11, 22), date(2026, 11, 22), False),  # on their birthday
        (date(2008, 2, 29), date(2026, 2, 28), True),  # a leap-day birthday: 18 on 1 March
        (date(2008, 2, 29), date(2026, 3, 1), False),
        (date(1990, 4, 3), date(2026, 11, 22), False),
    ],
)
def test_is_under_18_table(born, on, under_18):
    assert Member(**{**GOOD, "date_of_birth": born}).is_under_18(on) is under_18


@pytest.mark.parametrize(
    "text",
    [
        "",
        "tills",
        "tills:learner",
        "phones:expert;tills:competent;returns:learner",
        "complaints desk:expert;click & collect:learner",
    ],
)
def test_skills_round_trip(text):
    assert format_skills(parse_skills(text)) == format_skills(parse_skills(format_skills(parse_skills(text))))
    assert parse_skills(format_skills(parse_skills(text))) == parse_skills(text)


def test_several_problems_are_all_reported_each_with_its_label():
    lines = problems(name="", contract_hours=-1, skills="tills:guru")
    assert any(line.startswith("Name:") for line in lines)
    assert any(line.startswith("Contract hours:") for line in lines)
    assert any(line.startswith("Skills:") for line in lines)
    assert not any("pydantic" in line or "Input should" in line for line in lines), lines
