"""Where things live on disk: the user's own config and data folders (XDG on Linux)."""

from __future__ import annotations

import json
import os
import stat
import tempfile
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


def load_settings() -> dict:
    """Per-user preferences (theme, keymap). Never in the shared record file; ignored if unsafe."""
    if settings_problem():
        return {}
    try:
        data = json.loads(settings_path().read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError, RecursionError):
        return {}


def save_setting(key: str, value: object) -> None:
    """Remember one preference: written atomically, readable and writable by the user only."""
    settings = load_settings()
    settings[key] = value
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
