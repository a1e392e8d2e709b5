"""Demo team: a dozen people with varied skills, contracts, an under-18, goals and some history."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..domain.people import Member

if TYPE_CHECKING:
    from . import DemoContext

# name, job title, weekly hours, age, skills, development goals
CORE_TEAM = [
    (
        "Sam Patel",
        "Senior Customer Service Advisor",
        37.5,
        34,
        "tills:expert;phones:expert;complaints desk:expert;returns:competent",
        ["coach new starters"],
    ),
    (
        "Aisha Khan",
        "Customer Service Advisor",
        37.5,
        27,
        "phones:expert;email:competent;complaints desk:competent",
        ["lead the complaints desk"],
    ),
    ("Tom Richardson", "Customer Service Advisor", 30, 45, "tills:expert;returns:expert;click & collect:competent", []),
    (
        "Megan O'Neill",
        "Customer Service Advisor",
        24,
        22,
        "tills:competent;phones:learner;chat:competent",
        ["phones to competent"],
    ),
    (
        "Daniel Okafor",
        "Customer Service Advisor",
        37.5,
        31,
        "phones:competent;chat:expert;email:expert",
        ["complaints desk"],
    ),
    (
        "Chloe Evans",
        "Customer Service Assistant (Saturday)",
        8,
        17,
        "tills:learner;click & collect:learner",
        ["tills to competent"],
    ),
    ("Harry Wilson", "Customer Service Advisor", 16, 63, "tills:expert;returns:competent", []),
    (
        "Priya Sharma",
        "Team Leader",
        37.5,
        38,
        "tills:expert;phones:expert;complaints desk:expert;returns:expert;email:competent",
        [],
    ),
    (
        "Jack Thompson",
        "Customer Service Advisor",
        20,
        19,
        "tills:competent;click & collect:competent;returns:learner",
        ["returns desk"],
    ),
    (
        "Olivia Brown",
        "Customer Service Advisor",
        37.5,
        29,
        "phones:competent;email:competent;chat:competent",
        ["quality coaching"],
    ),
    (
        "Mohammed Ali",
        "Customer Service Advisor",
        30,
        41,
        "tills:competent;phones:competent;returns:competent",
        ["complaints desk"],
    ),
    ("Grace Murphy", "Customer Service Advisor", 12, 52, "tills:expert;click & collect:expert", []),
]
EXTRA_FIRST = ["Ruby", "Leo", "Isla", "Ethan", "Zara", "Noah", "Freya", "Arjun", "Ellie", "Kai", "Maya", "Owen"]
EXTRA_LAST = ["Hughes", "Clarke", "Begum", "Walsh", "Nowak", "Davies", "Green", "Singh", "Reid", "Morgan"]
SKILL_POOL = ["tills", "phones", "returns", "complaints desk", "click & collect", "email", "chat"]


def build(ctx: DemoContext) -> None:
    team = ctx.records.team
    rng = ctx.rng
    rows = list(CORE_TEAM[: ctx.team_size])
    while len(rows) < ctx.team_size:
        name = f"{rng.choice(EXTRA_FIRST)} {rng.choice(EXTRA_LAST)}"
        if any(r[0] == name for r in rows):
            continue
        skills = ";".join(
            f"{s}:{rng.choice(['learner', 'competent', 'expert'])}" for s in rng.sample(SKILL_POOL, rng.randint(2, 4))
        )
        rows.append((name, "Customer Service Advisor", rng.choice([16, 24, 30, 37.5]), rng.randint(19, 60), skills, []))

    first_day = ctx.today - timedelta(days=ctx.months * 31 + 30)
    ctx.clock.at(first_day)
    for index, (name, title, hours, age, skills, goals) in enumerate(rows):
        born = date(ctx.today.year - age, rng.randint(1, 12), rng.randint(1, 28))
        if born > ctx.today.replace(year=ctx.today.year - age):
            born = born.replace(year=born.year - 1)
        started = ctx.today - timedelta(days=rng.randint(120, 3000) if age > 18 else 150)
        team.add(
            Member(
                name=name,
                job_title=title,
                contract_hours=hours,
                date_of_birth=born,
                skills=skills,
                development_goals=goals,
                start_date=started,
                line_manager="Priya Sharma" if name != "Priya Sharma" else "Store Manager",
                working_time_opt_out=(index == 0),
            )
        )

    # Some history: a promotion in skill, a change of hours, and a leaver who stays on record.
    ctx.clock.at(first_day + timedelta(days=10), 14)
    megan = team.by_name("Megan O'Neill")
    if megan:
        team.edit(megan.model_copy(update={"skills": {**megan.skills, "chat": "expert"}}), "chat assessment passed")
    ctx.clock.at(first_day + timedelta(days=15), 11)
    tom = team.by_name("Tom Richardson")
    if tom:
        team.edit(
            tom.model_copy(
                update={"contract_hours": 30.0, "notes": "Reduced hours at own request (flexible working)."}
            ),
            "flexible working request agreed",
        )
    ctx.clock.at(first_day + timedelta(days=20), 16)
    team.add(
        Member(
            name="Ben Carter",
            job_title="Customer Service Advisor",
            contract_hours=20,
            date_of_birth=date(ctx.today.year - 24, 6, 2),
            skills="tills:competent",
            start_date=first_day,
            line_manager="Priya Sharma",
        )
    )
    ben = team.by_name("Ben Carter")
    assert ben is not None  # added above
    ctx.clock.at(first_day + timedelta(days=25), 17)
    team.set_active(ben, False, "left the company (moved to university)")
