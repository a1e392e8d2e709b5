"""A typed view of one table: pydantic models in, pydantic models out, every write audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from pydantic import ValidationError

from supervisor_tui.storage import DamagedRecordError, Store, Transaction, changed_fields

from ..domain.base import RecordModel, explain
from ..domain.clock import Clock
from ..domain.dates import show_stamp

M = TypeVar("M", bound=RecordModel)


@dataclass(frozen=True)
class Change:
    """One line of a record's history, ready to show."""

    seq: int
    at: str
    actor: str
    action: str
    fields: list[str]
    reason: str | None
    before: dict | None
    after: dict | None

    def when(self, tz: str) -> str:
        return show_stamp(self.at, tz)

    def summary(self) -> str:
        if self.action == "create":
            return "created"
        if self.action == "void":
            return f"voided: {self.reason}"
        what = ", ".join(f.replace("_", " ") for f in self.fields) or "no fields"
        return f"changed {what}" + (f" ({self.reason})" if self.reason else "")


def as_stored(models: list[M], records: list[dict]) -> list[M]:
    """The models just written, with the envelope the store gave them (id, version, who and when).

    They were checked on the way in and the store changed nothing else, so they are not validated
    again: a 20,000-row import would otherwise check every row twice."""
    envelope = list(RecordModel.model_fields)
    return [
        model.model_copy(update={key: record[key] for key in envelope})
        for model, record in zip(models, records, strict=True)
    ]


class Repository(Generic[M]):
    def __init__(self, store: Store, table: str, prefix: str, model: type[M], clock: Clock):
        self.store, self.table, self.prefix, self.model, self.clock = store, table, prefix, model, clock
        self._cache: dict[str, tuple[int, M]] = {}
        # Stored records that no longer read as their kind (edited outside the app, or a value an old
        # version let in): set aside with the reason, so one bad row never breaks a section for everyone.
        self.damaged: dict[str, str] = {}

    def all(self, include_voided: bool = False) -> list[M]:
        out = []
        for record in self.store.records(self.table, include_voided=include_voided):
            try:
                out.append(self._model(record))
            except DamagedRecordError:
                continue
        return out

    def get(self, record_id: str) -> M:
        return self._model(self.store.get(self.table, record_id))

    # Each write may be part of a caller's transaction (``txn``): several records, one atomic write.
    def create(self, item: M, reason: str | None = None, txn: Transaction | None = None) -> M:
        fields = self.checked(item).fields()
        record = (
            txn.create(self.table, self.prefix, fields, reason)
            if txn
            else self.store.create(self.table, self.prefix, fields, reason)
        )
        return self._model(record)

    def update(self, item: M, reason: str | None = None, txn: Transaction | None = None) -> M:
        """Save ``item`` over the version it was read at; a ConflictError if someone saved since."""
        assert item.id, "update needs a stored record"
        fields = self.checked(item).fields()
        record = (
            txn.update(self.table, item.id, fields, item.version, reason)
            if txn
            else self.store.update(self.table, item.id, fields, item.version, reason)
        )
        return self._model(record)

    def void(self, item: M, reason: str, txn: Transaction | None = None) -> M:
        assert item.id, "void needs a stored record"
        record = (
            txn.void(self.table, item.id, reason, item.version)
            if txn
            else self.store.void(self.table, item.id, reason, item.version)
        )
        return self._model(record)

    def checked(self, item: M) -> M:
        """Validate again before writing: ``model_copy(update=...)`` skips validation, the record must
        not. Rules that need today (an event cannot be in the future) read it from the context."""
        return self.model.model_validate(item.model_dump(warnings=False), context=self.context())

    def context(self) -> dict:
        """What validators may need beyond the record itself: the team clock's today."""
        return {"today": self.clock.today()}

    def history(self, record_id: str) -> list[Change]:
        return [
            Change(
                e["seq"],
                e["at"],
                e["actor"],
                e["action"],
                changed_fields(e["before"], e["after"]),
                e["reason"],
                e["before"],
                e["after"],
            )
            for e in self.store.history(self.table, record_id)
        ]

    def _model(self, record: dict) -> M:
        # Records are immutable per version, so a parsed model can be reused until the version moves.
        cached = self._cache.get(record["id"])
        if cached is not None and cached[0] == record["version"]:
            return cached[1]
        try:
            model = self.model.model_validate(record, context={"stored": True})
        except ValidationError as exc:
            reason = "; ".join(explain(exc, self.model))
            self.damaged[record["id"]] = reason
            raise DamagedRecordError(
                f"{record['id']} cannot be read ({reason}). It is kept as it was written; "
                "'supervisor-tui verify' checks whether it was changed outside the app."
            ) from None
        self.damaged.pop(record["id"], None)
        self._cache[record["id"]] = (record["version"], model)
        return model
