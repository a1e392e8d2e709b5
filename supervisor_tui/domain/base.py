"""What every stored record has, and validation messages a supervisor can act on."""

from __future__ import annotations

import threading
from typing import Any, ClassVar, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, model_validator

from .fields import LONG, UtcStamp, check_text, reading_stored

_FRIENDLY = {
    "missing": "this is required",
    "float_parsing": "enter a number",
    "int_parsing": "enter a whole number",
    "int_from_float": "enter a whole number",
    "finite_number": "enter an ordinary number",
    "date_from_datetime_parsing": "enter a date like 24/11/2026",
    "date_parsing": "enter a date like 24/11/2026",
    "bool_parsing": "enter yes or no",
    "string_too_short": "this cannot be blank",
    # a part of a record (a wait on the customer) edited outside the app into something else
    "extra_forbidden": "holds something that does not belong in it",
    "model_type": "is not in the form this record keeps it in",
}
# Range errors say the limit in words: 'must be at most 180', not pydantic's 'Input should be ...'.
_LIMITS = {
    "greater_than": ("gt", "must be more than {}"),
    "greater_than_equal": ("ge", "must be at least {}"),
    "less_than": ("lt", "must be less than {}"),
    "less_than_equal": ("le", "must be at most {}"),
    "string_too_long": ("max_length", "must be at most {} characters"),
    "too_long": ("max_length", "can have at most {} entries"),
    "too_short": ("min_length", "needs at least {} entries"),
}


def _holds_models(annotation: Any) -> bool:
    """Whether a field holds other models (a list of events): they check their own text."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_holds_models(arg) for arg in get_args(annotation))


_BUILDING = threading.RLock()  # see DomainModel.model_rebuild


class DomainModel(BaseModel):
    """Every model in the domain, stored record or part of one (a feedback item, a history event).

    Class-wide rules, so a new field cannot forget them: no text anywhere holds a control character
    (one-line fields not even a newline or tab; fields marked ``LONG`` may), and no number is NaN
    or infinite."""

    # defer_build: a model's validator is built the first time it is used, not when its module is
    # imported, so starting the app pays only for the models the first screen reads (see model_rebuild).
    model_config = ConfigDict(allow_inf_nan=False, defer_build=True)
    # field name -> may it hold newlines and tabs; fields holding nested models check themselves.
    _text_fields: ClassVar[dict[str, bool]] = {}

    @classmethod
    def model_rebuild(
        cls,
        *,
        force: bool = False,
        raise_errors: bool = True,
        _parent_namespace_depth: int = 2,
        _types_namespace: Any = None,
    ) -> bool | None:
        """Build (or rebuild) the validator, one model at a time in the whole process.

        A deferred model is built by whichever thread first uses it, and the app reads in worker
        threads while the UI thread draws; pydantic's own rebuild is not safe for two threads at once
        (pydantic#13419), so builds take turns and the second finds the model already built."""
        with _BUILDING:
            return super().model_rebuild(
                force=force,
                raise_errors=raise_errors,
                # one frame more (this one) between pydantic's caller and its namespace
                _parent_namespace_depth=_parent_namespace_depth + 1 if _parent_namespace_depth > 0 else 0,
                _types_namespace=_types_namespace,
            )

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls._text_fields = {
            name: LONG in field.metadata
            for name, field in cls.model_fields.items()
            if not _holds_models(field.annotation)
        }

    @model_validator(mode="before")
    @classmethod
    def _no_control_characters(cls, data: Any, info: ValidationInfo) -> Any:
        """Checked on the values as given, before any field tidies them (splitting on whitespace
        would quietly turn some controls into spaces), in one pass: every record read runs this."""
        if not isinstance(data, dict) or reading_stored(info):
            return data
        checked = data
        for name, multiline in cls._text_fields.items():
            value = data.get(name)
            if not isinstance(value, (str, list, dict)):
                continue
            try:
                tidy = check_text(value, multiline)
            except ValueError as exc:
                field = cls.model_fields[name]
                raise ValueError(f"{field.title or name.replace('_', ' ').capitalize()}: {exc}") from None
            if tidy is not value:
                checked = {**checked, name: tidy}  # the caller's dict is left as it was
        return checked


class NotSavedError(RuntimeError):
    """Code asked for the id of a record the store has not saved yet: a mistake in that code."""


class RecordModel(DomainModel):
    """The store's envelope, as read back: id, version, who and when. Set by the store, never typed."""

    # frozen: the services hand the same cached model to every screen (see services.base.Repository),
    # so none may change one in place; an edit is a copy (model_copy(update=...)), saved as a new version.
    model_config = ConfigDict(str_strip_whitespace=True, frozen=True, extra="ignore")

    id: str | None = None  # None until the store saves it; code that needs it uses saved_id
    version: int = Field(default=0, ge=0, le=2**31)
    # Checked on reading too: screens compute with them (a note written late is judged by created_at),
    # so a stamp edited outside the app sets the record aside, named, instead of breaking a section.
    created_at: UtcStamp | None = None
    created_by: str | None = None
    updated_at: UtcStamp | None = None
    updated_by: str | None = None
    voided: bool = False
    void_reason: str | None = None
    # Field -> 'erased on 24/11/2026 (reason)': set by an erasure of personal data (UK GDPR Art. 17; see
    # domain.retention and services.data_protection) with the fields' stand-ins, never typed or edited.
    erased: dict[str, str] = Field(default_factory=dict)

    @property
    def saved_id(self) -> str:
        """The id the store gave this record. A record on a rota, in a caseload or in any rule that
        keys by person or record has been saved; a new one (a form not yet saved) has no id to give."""
        if not self.id:
            raise NotSavedError(f"this {type(self).__name__} has not been saved yet, so it has no id")
        return self.id

    def fields(self) -> dict[str, Any]:
        """The editable part, as JSON-ready data for the store (with the erasure notes it carries, if any)."""
        data = self.model_dump(mode="json", exclude=set(ENVELOPE))
        if not data["erased"]:
            del data["erased"]  # a record never erased does not gain an empty field on its next save
        return data


# What the store sets on every record (storage.entries.ENVELOPE): every RecordModel field but the notes
# an erasure leaves, which are written with the erasure's stand-ins.
ENVELOPE = frozenset(RecordModel.model_fields) - {"erased"}


def _message(err: Any) -> str:
    if err["type"] in _FRIENDLY:
        return _FRIENDLY[err["type"]]
    if err["type"] in _LIMITS:
        key, words = _LIMITS[err["type"]]
        limit = (err.get("ctx") or {}).get(key)
        if limit is not None:
            return words.format(f"{limit:g}" if isinstance(limit, float) else limit)
    return str(err["msg"]).removeprefix("Value error, ")


def error_items(exc: ValidationError, model: type[BaseModel] | None = None) -> list[tuple[str, str, str]]:
    """(field name, label, message) for each problem; name and label are '' for the record as a whole."""
    items = []
    for err in exc.errors():
        name = str(err["loc"][0]) if err["loc"] else ""
        info = model.model_fields.get(name) if model and name else None
        label = info.title if info and info.title else name.replace("_", " ").capitalize()
        items.append((name, label, _message(err)))
    return items


def explain(exc: ValidationError, model: type[BaseModel] | None = None) -> list[str]:
    """Turn pydantic's errors into lines like 'Date of birth: enter a date like 24/11/2026'."""
    return [f"{label}: {message}" if label else message for _, label, message in error_items(exc, model)]
