"""One user's own preferences (theme, remapped keys): the model that checks the settings file, and
saving it. Where the file lives, and whether it can be trusted, is ``locations``' business."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .locations import settings_path, stored_settings, write_own_file


class UserSettings(BaseModel):
    """One user's own preferences, never in the shared record file: the theme they chose, and keys
    remapped by binding id, as ``supervisor-tui keys`` lists them: {"keymap": {"team.add": "n"}}."""

    model_config = ConfigDict(coerce_numbers_to_str=True)  # {"team.add": 5} binds the 5 key

    theme: str | None = None  # a theme's name; one the app does not have is passed over
    keymap: dict[str, str] = Field(default_factory=dict)

    @classmethod
    def readable(cls, data: dict[str, Any]) -> UserSettings:
        """The settings in a file's JSON object. A part that is not what it should be (a keymap that
        is not binding id -> key) is left out rather than guessed at; the other parts still count."""
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            wrong = {err["loc"][0] for err in exc.errors() if err["loc"]}
            return cls.model_validate({key: value for key, value in data.items() if key not in wrong})


def load_settings() -> UserSettings:
    """Per-user preferences (theme, keymap); the defaults if the file is missing, unreadable or unsafe."""
    return UserSettings.readable(stored_settings())


def save_settings(changes: UserSettings) -> None:
    """Remember the preferences set in ``changes`` (``UserSettings(theme="daylight")``) over what the
    file holds, leaving the rest of it as it is: written atomically, readable and writable by the
    user only."""
    settings = {**stored_settings(), **changes.model_dump(mode="json", exclude_unset=True)}
    try:
        write_own_file(settings_path(), json.dumps(settings, indent=2))
    except OSError:
        pass  # a preference that cannot be saved is not worth interrupting anyone for
