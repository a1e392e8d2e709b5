"""The plan form: what will change and what prompted it, a SMART objective, an owner, and the measure, whose
baseline is read from the record and shown as the measure and the weeks are chosen ("before: 2.3 a month
(7 complaints), 29/09 to 23/11"). Used for a new action (n on the list, or from the record that prompted
it) and for the next cycle of one being adjusted (d on its page), which keeps the source of the first."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from pydantic import ValidationError
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.widgets import Input, Select, Static

from ...domain.base import explain
from ...domain.improvement import DEFAULT_WEEKS, SOURCE_WORDS, ImprovementAction, Source
from ...domain.measures import Figure
from ...domain.numbers import decimal_number, whole_number
from ...services import StoreError
from ...services.improvement import Draft
from ...widgets.debounce import Debounce
from ...widgets.form import Field, FormErrors, RecordForm, field_errors, parse_each
from ...widgets.text import plain
from .cells import measure_key, measure_of

if TYPE_CHECKING:
    from ...app import SupervisorApp
    from ...services import Records
    from ..base import RecordScreen

# What 'Which' is, for each kind of source (under the choice, as its hint).
WHICH_HINTS = {
    "": "choose what prompted it first",
    "complaint": "the complaint it came from",
    "root cause": "complaints with this root cause",
    "criterion": "the quality criterion (the team focus on Quality lists the weakest)",
    "kpi": "the KPI that shows it",
    "mystery shop": "the check of kind 'mystery shop', if it was scored here (optional): say what it found below",
    "suggestion": "who suggested it, from the roster",
}


def source_fields(which: list[tuple[str, str]]) -> list[Field]:
    """What prompted it: a kind, which one of that kind (``which`` to start with; PlanForm changes them with
    the kind), and what it showed."""
    return [
        Field(
            "source_kind",
            "Prompted by",
            "choice",
            required=True,
            options=[(words, kind) for kind, words in SOURCE_WORDS.items()],
        ),
        Field("source_ref", "Which", "choice", options=which),
        Field("source_note", "What it showed", "long", hint="the finding, the figure, the suggestion in brief"),
    ]


NOT_SMART_YET = "Not quite SMART yet — {gaps}"  # as the one-to-ones' objective form says it
NOT_SMART = NOT_SMART_YET + " (Save again to keep it.)"


def plan_fields(records: Records, owner: str, measure: str) -> list[Field]:
    """The plan's own fields; the owner is chosen from the roster (and ``owner`` kept if not on it), the
    measure from those the app can work out (and ``measure`` kept if not among them)."""
    names = sorted((m.name for m in records.team.members()), key=str.lower)
    owners = [(n, n) for n in names]
    if owner and owner not in names:
        owners.insert(0, (f"{owner} (not on the roster)", owner))
    measures = [(label, measure_key(m)) for label, m in records.measures.choices()]
    if measure and measure not in {key for _, key in measures}:
        measures.insert(0, (records.measures.label(measure_of(measure)), measure))
    return [
        Field("title", "What will change", required=True, hint="in a few words"),
        Field("change", "How", "long", hint="what will be done differently, by whom, from when"),
        Field("objective", "Objective", required=True, hint="SMART: what will be different, by how much, by when"),
        Field("owner", "Owner", "choice", required=True, options=owners),
        Field("resources", "Resources", hint="time, money, training, tools it needs"),
        Field("agreed", "Agreed with team", "bool", hint="talked through with the team and the owner"),
        Field("measure", "Measure", "choice", required=True, options=measures),
        Field("weeks", "Weeks measured", "number", required=True, hint="1-52: before the change, and again at review"),
        Field("target", "Target", "number", hint="in its units: 2 (a month), 85 (%), +30 (NPS)"),
        Field("review_on", "Review on", "date", hint="blank: a week after the weeks measured, e.g. +9w"),
    ]


class PlanForm(RecordForm):
    """A RecordForm that reads the measure's baseline as it is chosen, offers what can have prompted an
    action of the kind chosen, and fills in what a source suggests (its measure, its title, what it
    showed) into fields the person has not typed into."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # What was filled in for the person (not typed), so a later choice may replace it.
        drafted = ("measure", "review_on", "title", "source_note")
        self._drafted: dict[str, Any] = {k: v for k, v in self.initial.items() if k in drafted}
        self._kind = str(self.initial.get("source_kind") or "")
        self._asked = 0  # baseline readings asked for: an older one that comes back late is dropped
        self._baseline = Debounce(self, 0.25, self._read_baseline)

    @property
    def records(self) -> Records:
        return cast("SupervisorApp", self.app).records

    def _field_widgets(self, spec: Field) -> ComposeResult:
        yield from super()._field_widgets(spec)
        if spec.name == "source_ref":
            yield Static(plain(WHICH_HINTS.get(self._kind, "")), id="h-source_ref", classes="form-hint")
        elif spec.name == "weeks":
            yield Static("", id="plan-baseline", classes="form-hint")

    def on_mount(self) -> None:
        super().on_mount()
        self._read_baseline()

    # -- what prompted it ---------------------------------------------------------------------------
    @on(Select.Changed, "#f-source_kind")
    def _kind_chosen(self, event: Select.Changed) -> None:
        kind = "" if event.value is Select.NULL else str(event.value)
        if kind == self._kind:  # (the Select says its first value too)
            return
        self._kind = kind
        which = self.query_one("#f-source_ref", Select)
        which.set_options(self.records.improvement.source_choices(kind) if kind else [])
        self.query_one("#h-source_ref", Static).update(plain(WHICH_HINTS.get(kind, "")))

    @on(Select.Changed, "#f-source_ref")
    def _source_chosen(self, event: Select.Changed) -> None:
        if event.value is Select.NULL:
            return
        draft = self._draft(self._kind, str(event.value))
        if draft is None:
            return
        self._fill("measure", measure_key(draft.measure))
        if draft.title:
            self._fill("title", draft.title)
        if draft.source.note:
            self._fill("source_note", draft.source.note)

    def _draft(self, kind: str, ref: str) -> Draft | None:
        try:
            return self._drafted_from(kind, ref)
        except (StoreError, ValueError):  # voided or damaged meanwhile: nothing to suggest, nothing lost
            return None

    def _drafted_from(self, kind: str, ref: str) -> Draft | None:
        service = self.records.improvement
        if kind == "complaint":
            return service.draft_from_complaint(ref)
        if kind == "root cause":
            return service.draft_from_root_cause(ref)
        if kind == "criterion":
            family, _, key = ref.partition(":")
            return service.draft_from_criterion(family, key)
        if kind == "kpi":
            return service.draft_from_kpi(ref)
        return None

    def _fill(self, name: str, value: str) -> None:
        """Put what the source suggests in a field nobody has typed into (blank, or as last filled in)."""
        now = self.values().get(name)
        if now is None or now == value or now not in ("", self._drafted.get(name, "")):
            return
        if name == "measure":
            self._offer_measure(value)
        self.set_values({name: value})
        self._drafted[name] = value

    def _offer_measure(self, key: str) -> None:
        """Make sure the measure a source suggests is one of the choices (a category spelt its own way)."""
        spec = next(f for f in self.fields if f.name == "measure")
        if key not in {value for _, value in spec.options}:
            spec.options.insert(0, (self.records.measures.label(measure_of(key)), key))
            self.query_one("#f-measure", Select).set_options(spec.options)

    # -- the baseline, read live -------------------------------------------------------------------
    @on(Select.Changed, "#f-measure")
    def _measure_chosen(self) -> None:
        self._baseline.poke()

    @on(Input.Changed, "#f-weeks")
    def _weeks_typed(self, event: Input.Changed) -> None:
        try:
            weeks = whole_number(event.value, 1, 52)
        except ValueError:
            weeks = None
        if weeks is not None:  # the review's default follows the weeks, until a date is typed there
            self._fill("review_on", f"+{weeks + 1}w")
        self._baseline.poke()

    def _read_baseline(self) -> None:
        values = self.values()
        if "weeks" not in values or "measure" not in values:  # a form of other fields: no baseline to show
            return
        self._asked += 1
        try:
            weeks = whole_number(values["weeks"], 1, 52)
        except ValueError as exc:
            self._show_baseline(self._asked, f"before: weeks measured: {exc}")
            return
        if not values["measure"]:
            self._show_baseline(self._asked, "before: choose the measure to see its baseline")
            return
        self._baseline_in_thread(self._asked, values["measure"], weeks)

    @work(thread=True, exclusive=True, group="reload")
    def _baseline_in_thread(self, asked: int, measure: str, weeks: int) -> None:
        records = self.records
        figure = records.improvement.baseline(measure_of(measure), weeks, records.clock.today())
        self.app.call_from_thread(self._show_baseline, asked, baseline_words(figure))

    def _show_baseline(self, asked: int, words: str) -> None:
        if asked == self._asked and self.is_attached:
            self.query_one("#plan-baseline", Static).update(Text(words, style="bold"))


def baseline_words(figure: Figure) -> str:
    """'before: 2.3 a month (7 complaints), 29/09 to 23/11', with a word when it rests on few cases."""
    window = figure.window
    words = f"before: {figure.text()}, {window.first:%d/%m} to {window.last:%d/%m}"
    return words + (" — few cases: read it with care" if figure.few else "")


def read_target(text: str) -> float | None:
    """A target as typed: a number in the measure's units, or blank for none."""
    return decimal_number(text, -100, 10000) if (text or "").strip() else None


def open_plan_form(
    screen: RecordScreen,
    draft: Draft | None = None,
    *,
    adjusting: ImprovementAction | None = None,
    reason: str = "",
    done: Callable[[ImprovementAction], object] | None = None,
) -> None:
    """Plan a new action (from ``draft`` where it came from a record), or, ``adjusting`` one with the
    decision's ``reason``, its next cycle. Once saved: ``done`` with the new action, else its page opens."""
    records = screen.records
    service = records.improvement
    if adjusting is not None:
        a = adjusting
        values: dict[str, Any] = {
            "title": a.title,
            "change": a.change,
            "objective": a.objective,
            "owner": a.owner,
            "resources": a.resources,
            "agreed": a.agreed,
            "measure": measure_key(a.measure),
            "weeks": str(a.weeks),
            "target": "" if a.target is None else f"{a.target:g}",
            "review_on": f"+{a.weeks + 1}w",
        }
        fields = plan_fields(records, a.owner, values["measure"])
        title = f"Next cycle of {a.id}, adjusting it: change what the review showed"
    else:
        kind = draft.source.kind if draft else ""
        values = {
            "source_kind": kind,
            "source_ref": draft.source.ref if draft else "",
            "source_note": draft.source.note if draft else "",
            "title": draft.title if draft else "",
            "agreed": False,
            "measure": measure_key(draft.measure) if draft else "",
            "weeks": str(DEFAULT_WEEKS),
            "review_on": f"+{DEFAULT_WEEKS + 1}w",
        }
        which = service.source_choices(kind) if kind else []
        if draft and draft.source.ref and draft.source.ref not in {ref for _, ref in which}:
            which.insert(0, (draft.source.ref, draft.source.ref))
        fields = source_fields(which) + plan_fields(records, "", values["measure"])
        title = "Plan an improvement action" + (f": from {service.source_label(draft.source)}" if draft else "")
    nudged = {"done": False}

    def save(typed: dict[str, Any]) -> ImprovementAction:
        parsed = parse_each(
            typed,
            {
                "weeks": lambda v: whole_number(v, 1, 52),
                "target": read_target,
                "review_on": records.clock.read_optional_date,
            },
        )
        if parsed["review_on"] is None:
            del parsed["review_on"]  # the service's default: a week after the weeks measured
        planned: dict[str, Any] = {
            **{k: typed[k] for k in ("title", "change", "objective", "owner", "resources", "agreed")},
            "measure": measure_of(typed["measure"]),
            **parsed,
        }
        source = adjusting.source if adjusting is not None else _source(typed, fields)
        if not nudged["done"]:
            gaps = service.check_plan(**planned, source=source)
            if gaps:
                nudged["done"] = True
                raise FormErrors({"": NOT_SMART.format(gaps=" ".join(gaps))})
        if adjusting is not None:
            _, following = service.decide(adjusting, "adjust", reason, next_cycle=planned)
            assert following is not None  # adjusting always plans the next cycle
            return following
        return service.plan(**planned, source=source)

    def saved(action: ImprovementAction | None) -> None:
        if action is None:
            return
        screen.reload()
        if adjusting is not None:
            screen.notify(
                f"{adjusting.id} adjusted; its next cycle is {action.id}: tell the team at a briefing (b) to start it.",
                title="Improvement",
            )
        else:
            screen.notify(f"Planned {action.id}: tell the team at a briefing (b) to start it.", title="Improvement")
        if done is not None:
            done(action)
        else:
            cast("SupervisorApp", screen.app).open_page("screens.improvement:ActionPage", action.saved_id)

    screen.app.push_screen(PlanForm(title, fields, values, save), saved)


def _source(typed: dict[str, Any], fields: list[Field]) -> Source:
    try:
        return Source(kind=typed["source_kind"], ref=typed["source_ref"], note=typed["source_note"])
    except ValidationError as exc:
        raise FormErrors(field_errors(explain(exc, Source), fields)) from None
