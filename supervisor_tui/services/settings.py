"""Team settings: the shared ones (region, time zone, week start, weekly rest) and one list of every
setting any section keeps, for `supervisor-tui settings` to print and change.

Each change goes through the section's own service, so it is validated and audited like any other
record ("settings set KEY" is the reason on the audit entry).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import ValidationError

from supervisor_tui.storage import Store, Transaction

from ..domain.base import explain
from ..domain.clock import Clock
from ..domain.numbers import decimal_number, whole_number
from ..domain.quality import Standard
from ..domain.retention import KINDS
from ..domain.settings import REGIONS, WEEKLY_REST, TeamSettings, parse_week_start
from .base import Repository
from .csvio import yes_no

if TYPE_CHECKING:
    from . import Records


def flag(value: str) -> bool:
    """A yes/no setting: a blank is refused like any other word that is not yes or no."""
    if not value.strip():
        raise ValueError("must be yes or no, not blank")
    return yes_no(value, "", False)


class TeamSettingsService:
    def __init__(self, store: Store, clock: Clock):
        self.store = store
        self.repo: Repository[TeamSettings] = Repository(store, "team_settings", "TS", TeamSettings, clock)

    def current(self) -> TeamSettings:
        saved = self.repo.all()
        if saved:
            return saved[0]
        # Before team settings existed the complaint policy kept the bank-holiday region: keep it.
        old = next(iter(self.store.records("complaint_policy")), {})
        return TeamSettings(region=old["region"]) if old.get("region") in REGIONS else TeamSettings()

    @property
    def region(self) -> str:
        return self.current().region

    def change(self, reason: str, txn: Transaction | None = None, **changes: object) -> TeamSettings:
        current = self.current()
        changed = current.model_copy(update=changes)
        return self.repo.update(changed, reason, txn) if current.id else self.repo.create(changed, reason, txn)


@dataclass(frozen=True)
class Setting:
    key: str
    value: str
    about: str


@dataclass(frozen=True)
class _Entry:
    read: Callable[[], str]
    write: Callable[[str, str], object]  # (typed value, reason)
    about: str


class SettingsError(ValueError):
    """An unknown key or a value that does not fit: the message says what would."""


def _flag(value: bool) -> str:
    return "yes" if value else "no"


# The team's KPI targets (quality.csat_target...), on the KPI returns' own scales.
KPI_TARGETS = {
    "csat": "the team's CSAT target (%, 0 to 100)",
    "nps": "the team's NPS target (-100 to 100)",
    "fcr": "the team's first-contact resolution target (%, 0 to 100)",
}
_NO_TARGET = "none"


def _target_text(target: float | None) -> str:
    return _NO_TARGET if target is None else f"{target:g}"


def _target(text: str, kind: str) -> float | None:
    """A typed KPI target: 'none' clears it; otherwise a number within the KPI's own range."""
    if text.strip().lower() == _NO_TARGET:
        return None
    return decimal_number(text.removesuffix("%"), -100 if kind == "nps" else 0, 100)


def _choice(text: str, options: dict[str, str], what: str) -> str:
    wanted = text.strip()
    for code, name in options.items():
        if wanted.lower() in (code.lower(), name.lower()):
            return code
    raise SettingsError(f"{what} must be one of: " + ", ".join(f"{code} ({name})" for code, name in options.items()))


class TeamSettingsRegistry:
    """Every team setting by a dotted key: what it is now, what it means, and how to change it."""

    def __init__(self, records: Records):
        self.records = records

    def _entries(self) -> dict[str, _Entry]:
        r = self.records
        team = r.settings
        policy = lambda: r.complaints.policy  # noqa: E731 - read fresh each time
        quality = lambda: r.quality.settings()  # noqa: E731

        def set_week_start(value: str, why: str) -> TeamSettings:
            day, at = parse_week_start(value)
            return team.change(why, week_start_day=day, week_start_time=at)

        def pass_mark_entry(standard: Standard) -> _Entry:
            return _Entry(
                lambda: f"{standard.pass_mark:g}",
                lambda v, why: r.quality.edit_standard(standard, {"pass_mark": decimal_number(v, 0, 100)}, why),
                f"pass mark (%) of '{standard.name}' (edition {standard.edition}; a standard already used gets a "
                "new edition)",
            )

        def kpi_target_entry(kind: str, about: str) -> _Entry:
            return _Entry(
                lambda: _target_text(quality().kpi_target(kind)),
                lambda v, why: r.quality.set_kpi_target(kind, _target(v, kind), why),
                about + "; 'none' clears it (the manager's report then says no target is set)",
            )

        def retention_entry(key: str) -> _Entry:
            return _Entry(
                lambda: r.data_protection.periods()[key].text,
                lambda v, why: r.data_protection.set_period(key, v, why),
                "how long this personal data is kept (e.g. '6 months', '3 years'): " + r.data_protection.describe(key),
            )

        entries = {
            "region": _Entry(
                lambda: team.current().region,
                lambda v, why: team.change(why, region=_choice(v, REGIONS, "region")),
                "whose bank holidays count in every business-day deadline: "
                + ", ".join(f"{c} {n}" for c, n in REGIONS.items()),
            ),
            "time_zone": _Entry(
                lambda: team.current().time_zone,
                lambda v, why: team.change(why, time_zone=v.strip()),
                "the team's time zone: dates are typed and shown in it (IANA name)",
            ),
            "week_start": _Entry(
                lambda: team.current().week_start_text(),
                set_week_start,
                "when each 7- or 14-day weekly-rest period begins (WTR 1998 reg 11(4)-(6): "
                "Monday 00:00 unless a relevant agreement says otherwise)",
            ),
            "weekly_rest": _Entry(
                lambda: team.current().weekly_rest,
                lambda v, why: team.change(why, weekly_rest=_choice(v, WEEKLY_REST, "weekly_rest")),
                "the employer's choice under WTR 1998 reg 11(1)-(2): "
                + "; ".join(f"{k}: {v}" for k, v in WEEKLY_REST.items()),
            ),
            "weekly_rest_includes_daily_rest": _Entry(
                lambda: _flag(team.current().weekly_rest_includes_daily_rest),
                lambda v, why: team.change(why, weekly_rest_includes_daily_rest=flag(v)),
                "yes only where objective, technical or work-organisation reasons justify it (WTR 1998 reg 11(7)); "
                "otherwise an adult's weekly rest comes on top of the 11-hour daily rest",
            ),
            "complaints.fca": _Entry(
                lambda: _flag(policy().fca),
                lambda v, why: r.complaints.change_policy(why, fca=flag(v)),
                "FCA-regulated: final response within 8 weeks (DISP 1.6.2R), summary resolution "
                "by the 3rd business day (DISP 1.5)",
            ),
            "complaints.acknowledge_days": _Entry(
                lambda: str(policy().acknowledge_business_days),
                lambda v, why: r.complaints.change_policy(why, acknowledge_business_days=whole_number(v)),
                "business days to acknowledge a complaint",
            ),
            "complaints.final_response_days": _Entry(
                lambda: str(policy().final_response_business_days),
                lambda v, why: r.complaints.change_policy(why, final_response_business_days=whole_number(v)),
                "business days to send the final response (when not FCA-regulated)",
            ),
            "complaints.at_risk_days": _Entry(
                lambda: str(policy().at_risk_business_days),
                lambda v, why: r.complaints.change_policy(why, at_risk_business_days=whole_number(v)),
                "a deadline this many business days away or fewer shows 'at risk'",
            ),
            "quality.checks_per_month": _Entry(
                lambda: str(quality().checks_per_month),
                lambda v, why: r.quality.set_checks_per_month(whole_number(v), why),
                "quality checks each person should have a month",
            ),
            **{f"quality.{kind}_target": kpi_target_entry(kind, about) for kind, about in KPI_TARGETS.items()},
        }
        for standard in r.quality.current_standards():
            entries[f"quality.pass_mark.{standard.family}"] = pass_mark_entry(standard)
        for kind in KINDS:
            entries[f"retention.{kind.key}"] = retention_entry(kind.key)
        return entries

    def listing(self) -> list[Setting]:
        return [Setting(key, entry.read(), entry.about) for key, entry in self._entries().items()]

    def set(self, key: str, value: str) -> Setting:
        entries = self._entries()
        if key not in entries:
            raise SettingsError(f"there is no setting {key!r}; 'supervisor-tui settings' lists them all")
        try:
            entries[key].write(value, f"settings set {key}")
        except SettingsError:
            raise
        except ValidationError as exc:  # the section's own rules, in their words
            raise SettingsError(f"{key}: " + "; ".join(explain(exc))) from None
        except ValueError as exc:  # a value that could not be read (a number, a yes/no, a week start)
            raise SettingsError(f"{key}: {exc}") from None
        return next(s for s in self.listing() if s.key == key)
