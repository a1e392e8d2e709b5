"""Where things live on disk: the user's own config and data folders (XDG on Linux), and the user's
own settings file in the config folder."""

from __future__ import annotations

import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

from platformdirs import user_config_dir, user_data_dir
from pydantic import BaseModel, ConfigDict, Field, ValidationError

APP = "supervisor-tui"
DB_ENV = "SUPERVISOR_TUI_DB"


def config_dir() -> Path:
    return Path(user_config_dir(APP))


def data_dir() -> Path:
    return Path(user_data_dir(APP))


def default_db_path() -> Path:
    return data_dir() / "team.json"


def resolve_db(arg: str | None) -> Path:
    """``--db PATH``, else ``$SUPERVISOR_TUI_DB``, else the user's data folder."""
    if arg:
        return Path(arg).expanduser()
    if os.environ.get(DB_ENV):
        return Path(os.environ[DB_ENV]).expanduser()
    path = default_db_path()
    try:  # a new user's data folder does not exist yet; the first run must not refuse for that
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        pass  # the store then says clearly which folder it cannot use
    return path


def settings_path() -> Path:
    return config_dir() / "settings.json"


def settings_problem() -> str | None:
    """Why the user's settings file cannot be trusted, or None. A settings file that someone else
    could write (group- or world-writable, or owned by another user) could remap keys behind the
    user's back, so it is ignored and the app says so."""
    path = settings_path()
    try:
        st = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"{path} cannot be read ({exc.strerror})."
    if not stat.S_ISREG(st.st_mode):
        return f"{path} is not a plain file."
    if st.st_uid != os.geteuid():
        return f"{path} belongs to someone else; remove it and set your preferences again."
    if st.st_mode & 0o022:
        return f"{path} can be changed by other users; run: chmod 600 {path}"
    return None


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


def _stored_settings() -> dict[str, Any]:
    """The settings file's JSON object as written, or {} if there is none or it cannot be trusted."""
    if settings_problem():
        return {}
    try:
        data = json.loads(settings_path().read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def load_settings() -> UserSettings:
    """Per-user preferences (theme, keymap); the defaults if the file is missing, unreadable or unsafe."""
    return UserSettings.readable(_stored_settings())


def save_settings(changes: UserSettings) -> None:
    """Remember the preferences set in ``changes`` (``UserSettings(theme="daylight")``) over what the
    file holds, leaving the rest of it as it is: written atomically, readable and writable by the
    user only."""
    settings = {**_stored_settings(), **changes.model_dump(mode="json", exclude_unset=True)}
    path = settings_path()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".settings-", dir=path.parent)  # 0600, unique, no link followed
    except OSError:
        return  # a preference that cannot be saved is not worth interrupting anyone for
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(settings, fh, indent=2)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)  # a full disk must not leave half a settings file behind
