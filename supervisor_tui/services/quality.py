"""Quality use cases: standards and their editions, scored checks, KPIs, and the recomputable export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from supervisor_tui.storage import Store, StoreError

from ..domain.clock import Clock
from ..domain.numbers import MOST_TYPED, decimal_number
from ..domain.quality import (
    Agreement,
    CalibrationSession,
    Kpi,
    QualityCheck,
    QualitySettings,
    Result,
    Standard,
    WeakCriterion,
    calibrate,
    fraction,
    next_edition,
    recurring_weak,
    score_check,
    show_score,
    sparkline,
    weakest_by_criterion,
)
from ..domain.standards_pack import default_standards
from ..output import csv_text, md_table
from .base import Change, Repository, as_stored
from .csvio import read_rows
from .imports import Identity, Imported, sort_rows
from .team import TeamService

KPI_CSV_REQUIRED = ["member", "period", "csat", "nps", "fcr"]


@dataclass(frozen=True)
class Calibration:
    """A calibration session and the scorings given in it so far, each by a different supervisor."""

    session: CalibrationSession
    standard: Standard  # the edition everyone scores it on
    checks: list[QualityCheck]

    def scored_by(self, login: str) -> QualityCheck | None:
        """``login``'s scoring in this session, if they have given one."""
        return next((c for c in self.checks if c.created_by == login), None)

    def agreement(self) -> tuple[list[Agreement], float]:
        """Per criterion, how far the scorers agree (least first), and how far apart their overalls are."""
        return calibrate(self.standard, [c.scores for c in self.checks])


EXPORT_COLUMNS = [
    "check",
    "date",
    "member",
    "channel",
    "kind",
    "reference",
    "standard",
    "edition",
    "criterion",
    "section",
    "text",
    "weight",
    "top_score",
    "critical",
    "score",
    "share",
    "comment",
    "overall",
    "passed",
    "pass_mark",
    # Added last so scripts reading the columns by position keep working.
    "critical_failed",
]


class QualityService:
    def __init__(self, store: Store, team: TeamService, clock: Clock):
        self.team = team
        self.clock = clock
        self.standards: Repository[Standard] = Repository(store, "standards", "ST", Standard, clock)
        self.checks: Repository[QualityCheck] = Repository(store, "quality_checks", "Q", QualityCheck, clock)
        self.kpis: Repository[Kpi] = Repository(store, "kpis", "K", Kpi, clock)
        self.sessions: Repository[CalibrationSession] = Repository(
            store, "calibration_sessions", "CS", CalibrationSession, clock
        )
        self._settings: Repository[QualitySettings] = Repository(
            store, "quality_settings", "QS", QualitySettings, clock
        )
        # A saved check's result on a saved edition never changes (both are immutable at a version), so
        # it is worked out once: the section re-reads its lists often and exact fractions are not cheap.
        self._results: dict[tuple[str, int, str, int], Result] = {}

    def result(self, check: QualityCheck, standard: Standard) -> Result:
        """The check's result on this edition of its standard (see score_check)."""
        if check.id is None or standard.id is None:  # not saved yet: nothing fixes it
            return score_check(standard, check.scores)
        key = (check.id, check.version, standard.id, standard.version)
        found = self._results.get(key)
        if found is None:
            found = self._results[key] = score_check(standard, check.scores)
        return found

    def settings(self) -> QualitySettings:
        saved = self._settings.all()
        return saved[0] if saved else QualitySettings()

    def set_checks_per_month(self, count: int, reason: str | None = None) -> QualitySettings:
        return self._change_settings({"checks_per_month": count}, reason)

    def set_kpi_target(self, kind: str, target: float | None, reason: str | None = None) -> QualitySettings:
        """The team's target for 'csat', 'nps' or 'fcr'; None clears it. The model checks the range."""
        if kind not in ("csat", "nps", "fcr"):
            raise ValueError(f"{kind!r} is not a KPI; use csat, nps or fcr")
        return self._change_settings({f"{kind}_target": target}, reason)

    def _change_settings(self, changes: dict[str, object], reason: str | None) -> QualitySettings:
        current = self.settings()
        changed = current.model_copy(update=changes)  # checked against the model's ranges when saved
        return self._settings.update(changed, reason) if current.id else self._settings.create(changed, reason)

    # -- standards --------------------------------------------------------------------------------
    def current_standards(self) -> list[Standard]:
        """The newest edition of each standard."""
        newest: dict[str, Standard] = {}
        for s in self.standards.all():
            if s.family not in newest or s.edition > newest[s.family].edition:
                newest[s.family] = s
        return sorted(newest.values(), key=lambda s: s.name)

    def load_default_pack(self) -> list[Standard]:
        """Record the curriculum's standards once (an explicit step, never done behind anyone's back)."""
        have = {s.family for s in self.standards.all()}
        missing = [s for s in default_standards() if s.family not in have]
        with self.standards.store.transaction() as txn:
            created = [txn.create("standards", "ST", s.fields(), "default standards pack") for s in missing]
        return as_stored(missing, created)

    def is_used(self, standard_id: str) -> bool:
        return self.checks_on(standard_id) > 0

    def checks_on(self, standard_id: str) -> int:
        """How many checks were scored on this edition, voided ones included (they still used it)."""
        return sum(c.standard_id == standard_id for c in self.checks.all(include_voided=True))

    def edit_standard(self, standard: Standard, changes: dict, reason: str | None = None) -> Standard:
        """Edit in place while unused; once a check has used it, save the edit as a new edition."""
        used = self.is_used(standard.id or "")
        edited = next_edition(standard, changes, used)
        if used:
            why = f"new edition of {standard.id} (edition {standard.edition} is in use)"
            return self.standards.create(edited, f"{reason}: {why}" if reason else why)
        return self.standards.update(edited, reason)

    # -- checks -----------------------------------------------------------------------------------
    def checked_draft(self, check: QualityCheck) -> QualityCheck:
        """A check as it would be saved, validated against today now (a future date is refused), so
        the scorer hears before writing the feedback rather than after."""
        return self.checks.checked(check)

    def save_check(self, check: QualityCheck) -> QualityCheck:
        standard = self.standards.get(check.standard_id)
        scored = check.scored(standard)
        return self.checks.update(scored) if check.id else self.checks.create(scored)

    def check(self, check_id: str) -> QualityCheck:
        """A check as it is stored now (a correction form lays its edits over it after a conflict)."""
        return self.checks.get(check_id)

    def correct_check(self, check: QualityCheck, reason: str) -> QualityCheck:
        """Save a correction of a check (read at its version), with why. It is scored again on the edition
        it was scored on, through the same rules, so a changed score changes its result. Refused with
        the reason when the correction would leave it unfinished or invalid, or move it to another
        person or standard (void it and score a new check instead)."""
        stored = self.checks.get(check.saved_id)
        if (check.member_id, check.standard_id) != (stored.member_id, stored.standard_id):
            raise ValueError(
                "A check keeps the person and the standard it was scored for: void it (v) and score a new one"
            )
        standard = self.standards.get(check.standard_id)
        keys = {c.key for c in standard.criteria}
        strange = sorted(set(check.scores) - keys)
        if strange:
            raise ValueError(
                f"Scores: {', '.join(strange)} are not criteria of {standard.name} (edition {standard.edition})"
            )
        scored = check.scored(standard)  # a score that does not fit its criterion raises ScoreError, saying why
        missing = score_check(standard, scored.scores).missing
        if missing:
            raise ValueError(f"Scores: every criterion needs a score (x for N/A); not scored: {', '.join(missing)}")
        return self.checks.correct(scored, reason)

    def void_check(self, check_id: str, reason: str) -> QualityCheck:
        """Void a check as it stands now, with why: it stays on record, out of every score and trend."""
        return self.checks.void(self.checks.get(check_id), reason)

    def corrections(self, check_id: str) -> list[Change]:
        """The corrections made to a check, oldest first, each with why and its old and new values."""
        return self.checks.corrections(check_id)

    def checks_for(self, member_id: str) -> list[QualityCheck]:
        """Newest first (one-to-ones read this for the agenda)."""
        return sorted(
            (c for c in self.checks.all() if c.member_id == member_id), key=lambda c: (c.date, c.id or ""), reverse=True
        )

    def between(
        self, first: date | None = None, last: date | None = None, member_id: str | None = None
    ) -> list[QualityCheck]:
        """Checks from ``first`` to ``last`` (either open-ended), sealed ones included where the period
        reaches before the last seal's cut-off: exports and evidence packs read them."""
        return sorted(
            (
                c
                for c in self.checks.with_sealed(first)
                if (first is None or c.date >= first)
                and (last is None or c.date <= last)
                and (member_id is None or c.member_id == member_id)
            ),
            key=lambda c: (c.date, c.id or ""),
        )

    # -- trends ------------------------------------------------------------------------------------
    def with_standards(self, checks: list[QualityCheck]) -> list[tuple[Standard, dict]]:
        """Each check's scores with its standard; checks whose standard cannot be read (damaged, and
        named by the app) are left out rather than breaking the section for everyone."""
        cache: dict[str, Standard | None] = {}
        out = []
        for c in checks:
            if c.standard_id not in cache:
                cache[c.standard_id] = self.readable_standard(c.standard_id)
            standard = cache[c.standard_id]
            if standard is not None:
                out.append((standard, c.scores))
        return out

    def results(self, checks: list[QualityCheck]) -> list[tuple[Standard, Result]]:
        """Each check's result worked out again on the edition it was scored against, so every screen
        shows the exact figure and its verdict (a check saved before scores were kept exactly, with a
        rounded overall, reads right too)."""
        return [(standard, result) for _, standard, result in self.scored(checks)]

    def scored(self, checks: list[QualityCheck]) -> list[tuple[QualityCheck, Standard, Result]]:
        """Each check with its standard and result, leaving out checks whose standard cannot be read
        (so a list never pairs one check with another's result)."""
        cache: dict[str, Standard | None] = {}
        out = []
        for check in checks:
            if check.standard_id not in cache:
                cache[check.standard_id] = self.readable_standard(check.standard_id)
            standard = cache[check.standard_id]
            if standard is not None:
                out.append((check, standard, self.result(check, standard)))
        return out

    def shown(self, check: QualityCheck) -> str:
        """A check's score as every list shows it: through show_score, with its pass mark and 'crit'."""
        results = self.results([check])
        if not results:  # its standard is damaged or missing: Records.damaged() names it
            return "? (standard unreadable)"
        ((standard, result),) = results
        return result.shown(standard.pass_mark)

    def readable_standard(self, standard_id: str) -> Standard | None:
        try:
            return self.standards.get(standard_id)
        except StoreError:  # damaged or missing: Records.damaged() names it
            return None

    def member_summary(self, member_id: str, today: date) -> dict:
        """Checks this month against the target, last score, pass rate, trend, a recurring weak spot."""
        mine = list(reversed(self.checks_for(member_id)))  # oldest first
        this_month = [c for c in mine if (c.date.year, c.date.month) == (today.year, today.month)]
        last_month_end = today.replace(day=1) - timedelta(days=1)
        last_month = [c for c in mine if (c.date.year, c.date.month) == (last_month_end.year, last_month_end.month)]
        target = self.settings().checks_per_month
        results = self.results(mine)
        scored = [(standard, r) for standard, r in results if r.overall is not None]
        weak = recurring_weak(self.with_standards(mine))
        return {
            "this_month": len(this_month),
            "due": max(0, target - len(this_month)),
            "missed_last_month": max(0, target - len(last_month)),
            "last": scored[-1][1].overall if scored else None,
            "last_shown": scored[-1][1].shown(scored[-1][0].pass_mark) if scored else "—",
            "pass_rate": round(100 * sum(r.passed for _, r in results) / len(mine)) if mine else None,
            # 50-100%: the range where checks actually land, so a slide from 90 to 70 shows.
            "trend": sparkline([r.overall for _, r in results[-8:]], low=50),
            "weak": weak[0] if weak else "",
            "count": len(mine),
        }

    def team_average(self, since: date) -> tuple[float, float, int, int] | None:
        """Scored checks since ``since``: (average overall, average pass mark, passed, how many), or None."""
        scored = [
            (s, r, r.overall)
            for s, r in self.results([c for c in self.checks.all() if c.date >= since])
            if r.overall is not None
        ]
        if not scored:
            return None
        return (
            sum(overall for _, _, overall in scored) / len(scored),
            sum(s.pass_mark for s, _, _ in scored) / len(scored),
            sum(r.passed for _, r, _ in scored),
            len(scored),
        )

    def team_weakest(self, since: date) -> list[tuple[str, float, int]]:
        """(criterion text, average share, times scored) since ``since``, weakest first."""
        return [(w.text, w.share, w.scored) for w in self.team_weak_criteria(since)]

    def team_weak_criteria(self, since: date) -> list[WeakCriterion]:
        """The same, each with its standard's family and key (to plan an improvement action from)."""
        return weakest_by_criterion(self.with_standards([c for c in self.checks.all() if c.date >= since]))

    # -- calibration ------------------------------------------------------------------------------
    def calibrations(self) -> list[Calibration]:
        """Every calibration session with the scorings given in it so far, newest first. A session from
        before sessions were recorded (checks that share a session name) is read from its first check."""
        scorings: dict[str, list[QualityCheck]] = {}
        for c in sorted(self.checks.all(), key=lambda c: c.id or ""):
            if c.calibration:
                scorings.setdefault(c.calibration, []).append(c)
        sessions = {s.name: s for s in self.sessions.all()}
        for name, checks in scorings.items():
            if name not in sessions:
                first = checks[0]
                # Read from a check already on record, as it was written: nothing here is typed anew.
                sessions[name] = CalibrationSession.model_construct(
                    name=name,
                    standard_id=first.standard_id,
                    member_id=first.member_id,
                    date=first.date,
                    channel=first.channel,
                    kind=first.kind,
                    reference=first.reference,
                )
        found = []
        for name, session in sessions.items():
            standard = self.readable_standard(session.standard_id)
            if standard is not None:  # a damaged standard is named by the damaged-records notice
                found.append(Calibration(session, standard, scorings.get(name, [])))
        return sorted(found, key=lambda c: (c.session.date, c.session.name.lower()), reverse=True)

    def calibration(self, name: str) -> Calibration:
        found = next((c for c in self.calibrations() if c.session.name == name), None)
        if found is None:
            raise ValueError(f"there is no calibration session {name!r}")
        return found

    def start_calibration(self, session: CalibrationSession) -> CalibrationSession:
        """Record a new session: the interaction and the edition every supervisor scores it on. Its name
        is its own (each scoring carries it), and the standard and the person must be on record."""
        taken = {c.session.name.casefold() for c in self.calibrations()}
        if session.name.casefold() in taken:
            raise ValueError(f"Session: there is already a calibration session called {session.name!r}")
        if self.readable_standard(session.standard_id) is None:
            raise ValueError(f"Standard: there is no standard {session.standard_id}")
        self.team.get(session.member_id)  # a StoreError names a member who is not on record
        return self.sessions.create(session, "calibration session started")

    # -- KPIs -------------------------------------------------------------------------------------
    def import_kpis(self, text: str) -> Imported[Kpi]:
        """member (by name), period, csat, nps, fcr: all or nothing, every bad row with its line. A
        member's figures for a period already on record are skipped if the same, refused if not."""
        names = {m.id: m.name for m in self.team.members(include_inactive=True)}

        def number(value: str, label: str) -> float | None:
            if not value:
                return None
            try:  # the KPI's own limits then say what each figure may be (CSAT 0-100, NPS -100-100)
                return decimal_number(value.removesuffix("%"), -MOST_TYPED)
            except ValueError:
                raise ValueError(f"{label}: {value!r} is not a number") from None

        def convert(row: dict[str, str]) -> Kpi:
            problems = []
            member = self.team.by_name(row["member"])
            if member is None:
                problems.append(f"Member: no one called {row['member']!r} is on the team")
            figures = {}
            for key, label in (("csat", "CSAT"), ("nps", "NPS"), ("fcr", "FCR")):
                try:
                    figures[key] = number(row[key], label)
                except ValueError as exc:
                    problems.append(str(exc))
            if problems or member is None:  # no member is always one of the problems
                raise ValueError("\n".join(problems))
            return self.kpis.checked(Kpi(member_id=member.saved_id, period=row["period"], **figures))

        identity = Identity[Kpi](
            key=lambda k: (k.member_id, k.period),
            describe=lambda k: f"the KPI row for {names.get(k.member_id, k.member_id)} in {k.period}",
            compared={"csat": "CSAT", "nps": "NPS", "fcr": "FCR"},
        )
        kpis, skipped = sort_rows(read_rows(text, KPI_CSV_REQUIRED), convert, Kpi, identity, self.kpis.all())
        if not kpis:
            return Imported([], skipped)
        with self.kpis.store.transaction() as txn:
            created = [txn.create("kpis", "K", k.fields(), "imported from CSV") for k in kpis]
        return Imported(as_stored(kpis, created), skipped)

    def kpis_for(self, member_id: str) -> list[Kpi]:
        return sorted((k for k in self.kpis.all() if k.member_id == member_id), key=lambda k: k.period)

    # -- export -----------------------------------------------------------------------------------
    def export_rows(self, member: str | None, first: str | None, last: str | None) -> list[dict[str, object]]:
        member_id = None
        if member:
            found = self.team.by_name(member)
            if found is None:
                raise ValueError(f"--member: no one called {member!r} is on the team")
            member_id = found.id
        checks = self.between(
            self.clock.read_optional_date(first or ""), self.clock.read_optional_date(last or ""), member_id
        )
        names = {m.id: m.name for m in self.team.members(include_inactive=True)}
        rows: list[dict[str, object]] = []
        for check in checks:
            standard = self.standards.get(check.standard_id)
            result = self.result(check, standard)
            for criterion in standard.criteria:
                value = check.scores.get(criterion.key, "")
                share = fraction(criterion, value) if value != "" else None
                rows.append(
                    {
                        "check": check.id,
                        "date": f"{check.date:%d/%m/%Y}",
                        "member": names.get(check.member_id, ""),
                        "channel": check.channel,
                        "kind": check.kind,
                        "reference": check.reference,
                        "standard": standard.name,
                        "edition": standard.edition,
                        "criterion": criterion.key,
                        "section": criterion.section,
                        "text": criterion.text,
                        "weight": f"{criterion.weight:g}",
                        "top_score": criterion.max_points,
                        "critical": "yes" if criterion.critical else "no",
                        "score": value,
                        "share": "" if share is None else f"{share:g}",
                        "comment": check.comments.get(criterion.key, ""),
                        "overall": ""
                        if result.overall is None
                        else show_score(result.overall, standard.pass_mark, percent=False),
                        "passed": "yes" if result.passed else "no",
                        "pass_mark": f"{standard.pass_mark:g}",
                        "critical_failed": "yes" if result.critical_failures else "no",
                    }
                )
        return rows

    def export(self, member: str | None, first: str | None, last: str | None, fmt: str) -> str:
        rows = self.export_rows(member, first, last)
        if fmt == "csv":
            return csv_text(EXPORT_COLUMNS, rows)
        lines = [
            "# Quality checks",
            "",
            f"{len({r['check'] for r in rows})} check(s), one row per criterion; "
            "overall = sum(share x weight) / sum(weight) over scored criteria, N/A left out, shown as a whole "
            "percentage, with one or two decimals only where rounding would cross the pass mark; "
            "critical_failed = a critical item failed, which fails the check whatever the overall.",
            "",
        ]
        lines += md_table(EXPORT_COLUMNS, ([r[c] for c in EXPORT_COLUMNS] for r in rows))
        return "\n".join(lines) + "\n"
