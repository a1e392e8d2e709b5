"""The shared field rules hold for every model: dates in range, numbers with limits, text without control
characters, names that cannot pass for someone else's. Pure domain, no Textual or files."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from datetime import date, time
from types import UnionType
from typing import Annotated, Literal, Union, get_args, get_origin

import annotated_types
import pytest
from pydantic import BaseModel, ValidationError

import supervisor_tui.domain as domain
from supervisor_tui.domain import fields
from supervisor_tui.domain.base import DomainModel, NotSavedError, explain
from supervisor_tui.domain.briefing import Briefing
from supervisor_tui.domain.complaints import Complaint, Event
from supervisor_tui.domain.numbers import decimal_number, whole_number
from supervisor_tui.domain.one_to_ones import Action, FeedbackItem, Objective, PlanIssue, Review
from supervisor_tui.domain.people import Member, parse_skills
from supervisor_tui.domain.quality import Criterion, Kpi, QualityCheck, Standard
from supervisor_tui.domain.rota import Position, Shift
from supervisor_tui.domain.settings import TeamSettings

TODAY = date(2026, 11, 22)
MEMBER = dict(
    name="Sam Patel", job_title="Customer Service Advisor", contract_hours=37.5, date_of_birth=date(1990, 4, 3)
)


def domain_models() -> list[type[BaseModel]]:
    """Every pydantic model defined in the domain package."""
    found = []
    for info in pkgutil.iter_modules(domain.__path__):
        module = importlib.import_module(f"supervisor_tui.domain.{info.name}")
        found += [
            obj
            for obj in vars(module).values()
            if inspect.isclass(obj) and issubclass(obj, BaseModel) and obj.__module__ == module.__name__
        ]
    return found


MODELS = domain_models()


def test_the_model_list_is_real():
    assert {Member, Complaint, Event, FeedbackItem, Review, PlanIssue, Criterion, Shift, Briefing} <= set(MODELS)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_model_shares_the_text_and_number_rules(model):
    """One base for all, nested ones too: a new model cannot forget control characters or NaN."""
    assert issubclass(model, DomainModel)
    assert "_no_control_characters" in model.__pydantic_decorators__.model_validators
    assert model.model_config.get("allow_inf_nan") is False


def _unranged_date(tp, metadata=()) -> bool:
    if tp is date:
        return not any(getattr(m, "func", None) is fields._in_range for m in metadata)
    if get_origin(tp) is Annotated:
        base, *meta = get_args(tp)
        return _unranged_date(base, meta)
    return any(_unranged_date(arg) for arg in get_args(tp))


def _bounds(metadata) -> tuple[bool, bool]:
    low = any(isinstance(m, (annotated_types.Ge, annotated_types.Gt)) for m in metadata)
    high = any(isinstance(m, (annotated_types.Le, annotated_types.Lt)) for m in metadata)
    return low, high


def _number(tp) -> bool:
    if tp in (int, float):
        return True
    if get_origin(tp) in (Union, UnionType):
        return any(a in (int, float) for a in get_args(tp))
    return False


FIELDS = [(m, name, info) for m in MODELS for name, info in m.model_fields.items()]


@pytest.mark.parametrize("model, name, info", FIELDS, ids=[f"{m.__name__}.{n}" for m, n, _ in FIELDS])
def test_every_date_is_in_range_and_every_number_has_both_limits(model, name, info):
    """The class, not the example: one date field without the 1900-2100 range, or one number field
    without a lower and an upper limit, is a bug."""
    assert not _unranged_date(info.annotation, info.metadata), f"{model.__name__}.{name} holds any date"
    if _number(info.annotation):
        assert _bounds(info.metadata) == (True, True), f"{model.__name__}.{name} has no range"


def problems(model: type[BaseModel], context: dict | None = None, **data) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data, context=context)
    return explain(caught.value, model)


EVENT = dict(at="2026-11-20T10:00:00.000000Z", by="sam", what="received")
COMPLAINT = dict(received_at="2026-11-20T10:00:00Z", customer_name="Mrs J Smith", category="delivery", summary="Late")
CRITERION = dict(key="greet", section="Greeting", text="Greeted them")
REVIEW = dict(due=date(2026, 12, 1))
SHIFT = dict(member_id="M-0001", day=date(2026, 11, 23), start=time(9), end=time(17), position="tills")
BRIEFING = dict(day=date(2026, 11, 20), targets="Queue under 3 minutes")
CHECK = dict(member_id="M-0001", date=date(2026, 11, 20), standard_id="ST-0001")
ACTION = dict(member_id="M-0001", what="Read the policy", due=date(2026, 11, 30))
OBJECTIVE = dict(member_id="M-0001", text="Answer calls faster")


@pytest.mark.parametrize(
    "model, base, field, value, why",
    [
        (Member, MEMBER, "name", "Sam \x1b[31mPatel", "an escape code would recolour every terminal it reaches"),
        (Member, MEMBER, "notes", "fine\x07", "a bell, even in long text"),
        (Member, MEMBER, "job_title", "Advisor\x00", "NUL truncates the value in C tools"),
        (Member, MEMBER, "development_goals", ["phones\x9b"], "a C1 control inside a list"),
        (Member, MEMBER, "skills", {"tills\x1b": "expert"}, "a control in a dict key"),
        (Complaint, COMPLAINT, "summary", "Late\x1b[2J", "clears the screen of whoever reads it"),
        (Complaint, COMPLAINT, "history", [{**EVENT, "note": "x\x1b]8;;http://evil\x07"}], "a nested Event"),
        (FeedbackItem, {}, "parts", {"situation": "On the phone\x08\x08"}, "a nested feedback item"),
        (PlanIssue, {}, "text", "Late\x7f", "DEL in a plan's issue"),
        (Review, REVIEW, "progress", "Better\x1b", "a review's progress"),
        (Criterion, CRITERION, "guidance", "Within 10 seconds\x0c", "a form feed in a standard's guidance"),
        (Shift, SHIFT, "reason", "cover\rfor sickness", "a carriage return overwrites the line on a terminal"),
        (Briefing, BRIEFING, "updates", "New policy\x1b[8m", "hidden text in a briefing"),
        (Position, dict(skill="tills"), "name", "tills\u2028desk", "a Unicode line separator in a one-line field"),
        (Position, dict(skill="tills"), "name", "tills\x1fdesk", "a separator control that tidying would make a space"),
        (Standard, dict(family="core", criteria=[CRITERION]), "name", "Core\tservice", "a tab in a one-line name"),
    ],
)
def test_control_characters_are_refused_in_every_model(model, base, field, value, why):
    assert problems(model, **{**base, field: value}), why


@pytest.mark.parametrize(
    "model, base, field, value",
    [
        (Member, MEMBER, "notes", "Line one\nLine two\tindented"),
        (Complaint, COMPLAINT, "summary", "They said:\n\tit broke"),
        (Review, REVIEW, "progress", "Two checks\nboth passed"),
        (FeedbackItem, {}, "parts", {"behaviour": "Listened.\nThen summarised."}),
    ],
)
def test_long_text_keeps_newlines_and_tabs(model, base, field, value):
    assert getattr(model.model_validate({**base, field: value}), field) == value


def test_windows_line_endings_in_long_text_become_plain_newlines():
    assert Member.model_validate({**MEMBER, "notes": "one\r\ntwo\rthree"}).notes == "one\ntwo\nthree"


@pytest.mark.parametrize(
    "name, why",
    [
        ("José Álvarez", "accents"),
        ("Zoë Brontë", "a diaeresis"),
        ("Siân Ó Súilleabháin", "Welsh and Irish"),
        ("O'Neill", "an apostrophe"),
        ("Smith-Jones", "a hyphen"),
        ("Mary-Kate D’Arcy", "a curly apostrophe"),
        ("Дмитрий Иванов", "wholly Cyrillic"),
        ("王芳", "wholly Chinese"),
        ("محمد علي", "wholly Arabic"),
        ("田中さくら", "Japanese mixes kanji and kana as a matter of course"),
        ("Nguyễn Thị Minh", "Vietnamese"),
        ("Αλέξανδρος Παπαδόπουλος", "wholly Greek"),
        ("Sam Иванов", "two words, each in one alphabet"),
    ],
)
def test_legitimate_names_are_accepted(name, why):
    assert Member.model_validate({**MEMBER, "name": name}).name == name, why


@pytest.mark.parametrize(
    "name, says, why",
    [
        ("S\u0430m Patel", "'Sаm' mixes Latin and Cyrillic letters in one word", "a Cyrillic а passes for Sam"),
        ("\u0391lice", "mixes Greek and Latin", "a Greek capital alpha"),
        ("Sam\u200b Patel", "invisible character (U+200B ZERO WIDTH SPACE)", "a zero-width space"),
        ("Sam\u200dPatel", "ZERO WIDTH JOINER", "a zero-width joiner"),
        ("\u202eletaP maS", "RIGHT-TO-LEFT OVERRIDE", "a bidi override reverses what is shown"),
        ("\ufeffSam Patel", "ZERO WIDTH NO-BREAK SPACE", "a byte-order mark"),
        ("Sam\u3164Patel", "HANGUL FILLER", "a letter that draws nothing"),
        ("Sam\x1b[31m", "control character (U+001B)", "an escape code"),
        ("Sam\nPatel", "must be on one line", "a line break"),
        ("12345", "needs letters", "not a name at all"),
    ],
)
def test_look_alike_and_invisible_names_are_refused(name, says, why):
    (line,) = problems(Member, **{**MEMBER, "name": name})
    assert line.startswith("Name: ") and says in line, (line, why)


@pytest.mark.parametrize(
    "model, base, field",
    [
        (Member, MEMBER, "line_manager"),
        (Member, MEMBER, "job_title"),
        (Complaint, COMPLAINT, "customer_name"),
        (Complaint, COMPLAINT, "owner"),
        (Briefing, BRIEFING, "led_by"),
    ],
)
def test_every_who_field_is_a_checked_name(model, base, field):
    assert any("mixes Latin and Cyrillic" in p for p in problems(model, **{**base, field: "Priy\u0430 Sharma"}))


def test_names_are_stored_composed_with_single_spaces_and_compared_by_key():
    decomposed = "Jose\u0301   Patel"
    assert Member.model_validate({**MEMBER, "name": decomposed}).name == "José Patel"
    assert fields.name_key("ＳＡＭ  patel") == fields.name_key("Sam Patel") == "sam patel"
    assert fields.name_key("STRASSE") == fields.name_key("straße")


@pytest.mark.parametrize(
    "model, base, field, value, says",
    [
        (Member, MEMBER, "date_of_birth", "9999-12-31", "Date of birth: 31/12/9999 is after 2100; check the year"),
        (Member, MEMBER, "start_date", "1850-01-01", "Start date: 01/01/1850 is before 1900; check the year"),
        (Complaint, COMPLAINT, "received_at", "9999-12-31T10:00:00Z", "Received: 31/12/9999 is after 2100"),
        (Complaint, COMPLAINT, "received_at", "2026-11-20T10:00:00+05:00", "is not a UTC time"),
        (Complaint, COMPLAINT, "received_at", "yesterday", "is not a date and time"),
        (Complaint, COMPLAINT, "history", [{**EVENT, "at": "9999-01-01T00:00:00Z"}], "after 2100"),
        (Complaint, COMPLAINT, "pauses", [{"start": "9999-01-01", "end": None}], "after 2100"),
        (Briefing, BRIEFING, "caught_up", {"M-0001": "9999-01-01"}, "after 2100"),
        (Kpi, dict(member_id="M-0001", csat=80), "period", "9999-11", "the year must be from 1900 to 2100"),
    ],
)
def test_stored_and_imported_dates_are_in_range(model, base, field, value, says):
    assert any(says in p for p in problems(model, **{**base, field: value}))


@pytest.mark.parametrize(
    "model, base, field, value, says",
    [
        (Member, MEMBER, "contract_hours", 10**30, "weekly hours must be more than 0 and at most 60"),
        (Member, MEMBER, "contract_hours", "nan", "enter an ordinary number"),
        (Member, MEMBER, "contract_hours", "1e400", "enter an ordinary number"),
        (Shift, SHIFT, "break_minutes", 10**30, "Break (minutes): must be at most 180"),
        (Criterion, CRITERION, "weight", float("inf"), "Weight: enter an ordinary number"),
        (Standard, dict(family="core", name="Core", criteria=[CRITERION]), "edition", 10**9, "must be at most 9999"),
        (Kpi, dict(member_id="M-0001", period="2026-11"), "nps", -101, "NPS: must be at least -100"),
        (
            QualityCheck,
            dict(member_id="M-0001", date=date(2026, 11, 20), standard_id="ST-0001"),
            "scores",
            {"greet": 10**30},
            "points is outside 0 to 10",
        ),
        (
            QualityCheck,
            dict(member_id="M-0001", date=date(2026, 11, 20), standard_id="ST-0001"),
            "overall",
            1000.0,
            "must be at most 100",
        ),
    ],
)
def test_numbers_outside_their_range_are_refused_in_words(model, base, field, value, says):
    assert any(says in p for p in problems(model, **{**base, field: value}))


@pytest.mark.parametrize(
    "model, base, field, value, says",
    [
        (Complaint, COMPLAINT, "channel", "pigeon", "'pigeon' is not a channel"),
        (Complaint, COMPLAINT, "channel", "", "'' is not a channel"),
        (Complaint, COMPLAINT, "stage", "sorted", "'sorted' is not a stage"),
        (Complaint, COMPLAINT, "remedy", "cash", "'cash' is not a remedy"),
        (Review, REVIEW, "outcome", "fine", "'fine' is not an outcome"),
        (QualityCheck, CHECK, "channel", "letter", "Channel: choose one of face to face, phone, email, chat, social"),
        (QualityCheck, CHECK, "kind", "chat", "Kind: choose one of observation, call listen, mystery shop, audit"),
        (Action, ACTION, "owner", "manager", "Owner: the owner is the team member or the supervisor"),
        (Action, ACTION, "status", "finished", "Status: open, done or dropped"),
        (
            Objective,
            OBJECTIVE,
            "status",
            "done",
            "Status: 'done' is not a status; use one of open, met, not met, dropped",
        ),
        (FeedbackItem, {}, "framework", "GROW", "Framework: use SBI or BOOST"),
        (FeedbackItem, {}, "kind", "praise", "Kind: a feedback item is a strength or a development point"),
        (TeamSettings, {}, "region", "WAL", "Bank holidays: 'WAL' is not a part of the UK; use one of ENG, SCT, NIR"),
        (TeamSettings, {}, "weekly_rest", 7, "Weekly rest: 7 is not a weekly rest rule"),
    ],
)
def test_enumerations_are_checked_in_the_model(model, base, field, value, says):
    assert any(says in p for p in problems(model, **{**base, field: value}))


def test_a_choice_reads_as_the_text_field_it_was():
    """Choices were plain text before they were Literals: where the model trims text, spaces around a
    choice are still trimmed, and a feedback framework may still be typed in lower case."""
    assert Complaint.model_validate({**COMPLAINT, "channel": " email "}).channel == "email"
    assert FeedbackItem.model_validate({"framework": "boost"}).framework == "BOOST"


def _choice(tp) -> bool:
    return get_origin(tp) is Literal or any(_choice(arg) for arg in get_args(tp) if not isinstance(arg, str))


CHOICES = [(m, name, info) for m, name, info in FIELDS if _choice(info.annotation)]


def test_the_choice_list_is_real():
    assert {(Complaint, "stage"), (Action, "status"), (TeamSettings, "region")} <= {(m, n) for m, n, _ in CHOICES}


@pytest.mark.parametrize("model, name, info", CHOICES, ids=[f"{m.__name__}.{n}" for m, n, _ in CHOICES])
def test_every_choice_is_refused_in_words(model, name, info):
    """The class, not the example: a Literal field without ``one_of`` would be refused with pydantic's
    'Input should be ...' instead of what the choices are."""
    validators = [getattr(m, "func", None) for m in info.metadata]
    assert any(getattr(f, "__qualname__", "").startswith("one_of.") for f in validators), f"{model.__name__}.{name}"


def test_a_saved_record_gives_its_id_and_a_new_one_says_it_has_none():
    assert Member.model_validate({**MEMBER, "id": "M-0007"}).saved_id == "M-0007"
    with pytest.raises(NotSavedError, match="this Member has not been saved yet"):
        _ = Member.model_validate(MEMBER).saved_id


@pytest.mark.parametrize(
    "text, says",
    [
        ("tills:", "tills has no level after the colon"),
        ("tills:expert;tills:learner", "tills is given twice"),
    ],
)
def test_a_blank_or_repeated_skill_level_is_not_guessed(text, says):
    with pytest.raises(ValueError, match=says):
        parse_skills(text)


@pytest.mark.parametrize(
    "reader, text, expected",
    [
        (whole_number, "30", 30),
        (whole_number, " 0 ", 0),
        (lambda t: decimal_number(t, 0, 100), "37.5", 37.5),
        (lambda t: decimal_number(t, -100, 100), "-20", -20.0),
    ],
)
def test_typed_numbers_read(reader, text, expected):
    assert reader(text) == expected


@pytest.mark.parametrize(
    "reader, text, says, why",
    [
        (whole_number, "1" + "0" * 30, "far too big", "10**30 no longer goes on to a model or a range()"),
        (whole_number, "²", "enter a whole number", "a superscript digit passes str.isdigit but not int()"),
        (whole_number, "-5", "enter a whole number", "a count is never negative"),
        (lambda t: whole_number(t, 1, 52), "53", "enter 1 to 52", "a field's own range"),
        (lambda t: decimal_number(t, 0, 100), "nan", "enter a number", "NaN compares false with every limit"),
        (lambda t: decimal_number(t, 0, 100), "inf", "enter a number", "infinity"),
        (lambda t: decimal_number(t, 0, 100), "1e400", "enter a number", "an exponent that overflows to infinity"),
        (lambda t: decimal_number(t, 0, 100), "101", "enter 0 to 100", "over the range"),
    ],
)
def test_typed_numbers_refused_in_words(reader, text, says, why):
    with pytest.raises(ValueError, match=says):
        reader(text)
