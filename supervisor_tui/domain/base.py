"""What every stored record has, and validation messages a supervisor can act on."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

_FRIENDLY = {
    "missing": "this is required",
    "float_parsing": "enter a number",
    "int_parsing": "enter a whole number",
    "date_from_datetime_parsing": "enter a date like 24/11/2026",
    "date_parsing": "enter a date like 24/11/2026",
    "bool_parsing": "enter yes or no",
    "string_too_short": "this cannot be blank",
}


class RecordModel(BaseModel):
    """The store's envelope, as read back: id, version, who and when. Set by the store, never typed."""

    model_config = ConfigDict(str_strip_whitespace=True, validate_assignment=False, extra="ignore")

    id: str | None = None
    version: int = 0
    created_at: str | None = None
    created_by: str | None = None
    updated_at: str | None = None
    updated_by: str | None = None
    voided: bool = False
    void_reason: str | None = None

    def fields(self) -> dict[str, Any]:
        """The editable part, as JSON-ready data for the store."""
        return self.model_dump(mode="json", exclude=set(RecordModel.model_fields))


def error_items(exc: ValidationError, model: type[BaseModel] | None = None) -> list[tuple[str, str, str]]:
    """(field name, label, message) for each problem; name and label are '' for the record as a whole."""
    items = []
    for err in exc.errors():
        name = str(err["loc"][0]) if err["loc"] else ""
        info = model.model_fields.get(name) if model and name else None
        label = info.title if info and info.title else name.replace("_", " ").capitalize()
        message = _FRIENDLY.get(err["type"]) or str(err["msg"]).removeprefix("Value error, ")
        items.append((name, label, message))
    return items


def explain(exc: ValidationError, model: type[BaseModel] | None = None) -> list[str]:
    """Turn pydantic's errors into lines like 'Date of birth: enter a date like 24/11/2026'."""
    return [f"{label}: {message}" if label else message for _, label, message in error_items(exc, model)]
