"""The forms and questions of an improvement action's page (tell the team, a progress note, the review, the
decision, a correction), the briefing's link to an action, and the pickers that plan an action from a root
cause or a weak criterion. Each redraws the screen it was opened from once it is done."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from pydantic import ValidationError

from ...domain.base import explain
from ...domain.briefing import Briefing
from ...domain.improvement import ImprovementAction
from ...services import StoreError
from ...services.improvement import Draft
from ...widgets.form import Field, FormErrors, RecordForm, parse_each
from ...widgets.prompt import ReasonPrompt
from ...widgets.saving import in_background, write
from .plan_form import open_plan_form, plan_fields, read_target

if TYPE_CHECKING:
    from ...app import SupervisorApp
    from ..base import RecordScreen
    from ..briefing import BriefingScreen
    from .page import ActionPage

WRITE_TODAY = "write today's briefing"  # the choice that opens today's briefing to write it
DECISIONS = [
    ("adopt: keep it; it is how we work now", "adopt"),
    ("adjust: change it and measure again (a next cycle)", "adjust"),
    ("abandon: stop it", "abandon"),
]
CORRECTABLE = ("title", "change", "objective", "owner", "resources", "agreed", "target", "review_on")


def _briefing_words(b: Briefing) -> str:
    return f"{b.day:%a %d/%m/%Y} · {b.id}"


# -- do: told at a briefing, progress notes --------------------------------------------------------
def open_tell_form(page: ActionPage, action: ImprovementAction) -> None:
    """b: the briefing that told the team, chosen from those saved since it was planned, newest first;
    if today's is not written yet, a choice says so and opens it to write."""
    records = page.records
    if action.stage == "act":
        page.notify(
            f"{action.id} is decided ({action.stage_text()}); a new cycle is told as its own.",
            severity="warning",
            title="Not linked",
        )
        return
    today = records.clock.today()
    briefings = {b.id: b for b in records.improvement.briefing_choices(action)}
    options = [(_briefing_words(b) + (" (today)" if b.day == today else ""), b.id or "") for b in briefings.values()]
    written = records.shifts.briefing_for(today) is not None
    if not written:
        options.insert(0, (f"Today's ({today:%a %d/%m}) is not written yet: write it now", WRITE_TODAY))
    if not options:
        page.notify(
            f"{action.id} is linked to every briefing saved since it was planned ({action.planned_on:%d/%m/%Y}).",
            title="Nothing to link",
        )
        return
    fields = [Field("briefing", "Told at", "choice", required=True, options=options)]

    def save(values: dict[str, Any]) -> ImprovementAction | str:
        if values["briefing"] == WRITE_TODAY:
            return WRITE_TODAY
        return records.improvement.tell_at_briefing(action, briefings[values["briefing"]])

    def done(result: ImprovementAction | str | None) -> None:
        if result == WRITE_TODAY:
            cast("SupervisorApp", page.app).open_page("screens.briefing:BriefingScreen", today)
        elif isinstance(result, ImprovementAction):
            page.notify(f"{result.id} is under way since {result.started_on:%d/%m/%Y}.", title="Told to the team")
            page.reload()

    first = next((value for _, value in options if value != WRITE_TODAY), "") if written else ""
    title = f"The briefing that told the team of {action.id} (newest first)"
    page.app.push_screen(RecordForm(title, fields, {"briefing": first}, save), done)


def ask_note(page: ActionPage, action: ImprovementAction) -> None:
    """t: a progress note, dated today and signed by whoever writes it."""
    _answer_then_save(
        page,
        ReasonPrompt(
            f"Progress note on {action.id}: what happened?",
            "e.g. script agreed with the carriers' desk",
            needed="Write what happened: an empty note says nothing.",
        ),
        lambda text: page.records.improvement.add_note(action, text),
        lambda saved: f"Note added to {saved.id}.",
        "Not added",
    )


def start_review(page: ActionPage, action: ImprovementAction) -> None:
    """r: the same measure over the same weeks, up to today, shown beside the baseline; then what the
    review found. Refused in the service's words before the change started, or while it is too early."""
    service = page.records.improvement
    try:
        figure = service.review_figure(action)
    except (ValueError, StoreError) as exc:
        page.notify(str(exc), severity="warning", title="Not reviewed")
        return
    comparison = action.comparison(figure)
    assert comparison is not None  # given a figure, there is always a comparison
    question = (
        f"Review {action.id} on {service.measure_label(action.measure)}: {comparison.text()}. What did the review find?"
    )
    _answer_then_save(
        page,
        ReasonPrompt(
            question,
            "e.g. fewer chasers; two slipped through",
            needed="Say what the review found: it is kept beside the figures.",
        ),
        lambda comment: service.review(action, comment),
        lambda saved: f"{saved.id} reviewed: {comparison.verdict}. Decide next (d): adopt, adjust or abandon.",
        "Not reviewed",
    )


def _answer_then_save(
    page: RecordScreen,
    prompt: ReasonPrompt,
    call: Callable[[str], ImprovementAction],
    said: Callable[[ImprovementAction], str],
    refused: str,
) -> None:
    """Ask, then save the answer off the UI thread; say what happened, or why not, and redraw."""

    @in_background(page)
    async def answered(text: str | None) -> None:
        if text is None:
            return
        try:
            saved = await write(page, call, text)
        except ValidationError as exc:  # (a note longer than a note may be)
            page.notify("; ".join(explain(exc, ImprovementAction)), severity="warning", title=refused)
            return
        except (ValueError, StoreError) as exc:
            page.notify(str(exc), severity="warning", title=refused)
            return
        page.notify(said(saved), title="Improvement")
        page.reload()

    page.app.push_screen(prompt, answered)


# -- act: the decision; a correction -----------------------------------------------------------------
def open_decide_form(page: ActionPage, action: ImprovementAction) -> None:
    """d: adopt, adjust or abandon, with why. Adjusting asks for the next cycle's plan, pre-filled, and
    saves both together."""
    service = page.records.improvement
    fields = [
        Field("decision", "Decision", "choice", required=True, options=DECISIONS),
        Field("reason", "Why", "long", required=True, hint="what the figures and the team showed"),
    ]

    def save(values: dict[str, Any]) -> ImprovementAction | tuple[str, str]:
        decision, reason = values["decision"], values["reason"].strip()
        if not reason:
            raise FormErrors({"reason": "say why: it is kept with the decision"})
        if decision == "adjust":
            service.check_decision(action, decision, reason)  # refused now, before the next plan is typed
            return decision, reason
        decided, _ = service.decide(action, decision, reason)
        return decided

    def done(result: ImprovementAction | tuple[str, str] | None) -> None:
        if isinstance(result, tuple):
            open_plan_form(page, adjusting=action, reason=result[1], done=lambda _: None)
        elif result is not None:
            page.notify(f"{result.id} decided ({result.stage_text()}): {result.decision_reason}", title="Improvement")
            page.reload()

    page.app.push_screen(RecordForm(f"Decide on {action.id}", fields, {"decision": ""}, save), done)


def open_correction_form(page: ActionPage) -> None:
    """c: correct what was planned (wording, owner, target, review date), with why; readings stay."""
    records = page.records
    action = page.action
    fields = [f for f in plan_fields(records, action.owner, "") if f.name in CORRECTABLE] + [
        Field("source_note", "What it showed", "long")
    ]

    def shown(a: ImprovementAction) -> dict[str, Any]:
        return {
            **{name: getattr(a, name) for name in ("title", "change", "objective", "owner", "resources", "agreed")},
            "target": "" if a.target is None else f"{a.target:g}",
            "review_on": f"{a.review_on:%d/%m/%Y}",
            "source_note": a.source.note,
        }

    def save(typed: dict[str, Any]) -> ImprovementAction:
        parsed = parse_each(
            typed,
            {
                "target": read_target,
                "review_on": records.clock.read_date,
            },
        )
        wanted = {**{k: typed[k] for k in CORRECTABLE if k not in parsed}, **parsed}
        changes = {k: v for k, v in wanted.items() if getattr(action, k) != v}
        if typed["source_note"] != action.source.note:
            changes["source"] = action.source.model_copy(update={"note": typed["source_note"]})
        if not changes:
            raise FormErrors({"": "Nothing to correct: change a field, or Esc to leave it as it is."})
        return records.improvement.correct(action, typed["reason"], **changes)

    def reload() -> dict[str, Any]:
        nonlocal action
        action = page.action
        return shown(action)

    def done(saved: ImprovementAction | None) -> None:
        if saved is not None:
            page.notify(f"{saved.id} corrected; its changes say what and why.", title="Improvement")
            page.reload()

    page.app.push_screen(RecordForm(f"Correct {action.id}", fields, shown(action), save, reload, reason=True), done)


# -- from where it came from: a root cause, a weak criterion --------------------------------------
def pick_and_plan(
    screen: RecordScreen, title: str, label: str, options: list[tuple[str, str]], draft: Callable[[str], Draft]
) -> None:
    """Choose one of ``options``, then plan an action from it (``draft`` of the chosen value)."""
    if not options:
        screen.notify("Nothing to plan from here yet.", title="Improvement")
        return

    def done(chosen: str | None) -> None:
        if chosen:
            open_plan_form(screen, draft(chosen))

    fields = [Field("pick", label, "choice", required=True, options=options)]
    screen.app.push_screen(RecordForm(title, fields, {"pick": options[0][1]}, lambda values: values["pick"]), done)


# -- from the briefing -------------------------------------------------------------------------------
def open_link_form(screen: BriefingScreen, briefing: Briefing) -> None:
    """The briefing's ctrl+l: an action told at it (the same link as b on the action's page)."""
    service = screen.records.improvement
    actions = service.to_tell_at(briefing)
    if not actions:
        screen.notify(
            f"No improvement action planned by {briefing.day:%d/%m/%Y} waits to be told (n on Improvement plans one).",
            title="Nothing to link",
        )
        return
    options = [(f"{a.id} {a.title} ({a.stage_text()})", a.saved_id) for a in actions]

    def save(values: dict[str, Any]) -> ImprovementAction:
        return service.tell_at_briefing(service.get(values["action"]), briefing)

    def done(saved: ImprovementAction | None) -> None:
        if saved is not None:
            screen.notify(f"{saved.id} told at this briefing: under way.", title="Improvement")
            screen.reload()

    fields = [Field("action", "Action", "choice", required=True, options=options)]
    title = f"An improvement action told at the briefing of {briefing.day:%d/%m/%Y}"
    screen.app.push_screen(RecordForm(title, fields, {"action": ""}, save), done)
