"""Where things live on disk: the user's own config and data folders (XDG on Linux)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

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


def load_settings() -> dict:
    """Per-user preferences (the theme). Never in the shared record file."""
    try:
        data = json.loads(settings_path().read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def save_setting(key: str, value: object) -> None:
    settings = load_settings()
    settings[key] = value
    path = settings_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(settings, indent=2), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # a preference that cannot be saved is not worth interrupting anyone for
