"""Where things live on disk: the user's own config and data folders (XDG on Linux), and the user's
own settings file in the config folder (its contents are checked in ``preferences``)."""

from __future__ import annotations

import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

from platformdirs import user_config_dir, user_data_dir

APP = "supervisor-tui"
DB_ENV = "SUPERVISOR_TUI_DB"


def config_dir() -> Path:
    return Path(user_config_dir(APP))


def data_dir() -> Path:
    return Path(user_data_dir(APP))


def exports_dir() -> Path:
    """Where the app writes what a supervisor exports from a screen (an evidence pack): the user's own
    data folder, never the record's folder, which the team shares."""
    return data_dir() / "exports"


def write_own_file(path: Path, text: str) -> None:
    """Write ``path`` atomically, readable and writable by the user only (0600), making its folder (0700)
    if need be: for personal data the user exports for themselves. OSError says why not."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)  # 0600, unique, no link followed
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)  # a full disk must not leave half a file behind
        raise


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


def new_default_db(arg: str | None) -> Path | None:
    """The default record file when neither ``--db`` nor ``$SUPERVISOR_TUI_DB`` names one and it does not
    exist yet (a fresh machine, or a supervisor who has not been told where the team's file is): the
    app asks before starting an empty record of their own there. None otherwise."""
    if arg or os.environ.get(DB_ENV):
        return None
    path = default_db_path()
    return None if path.exists() or path.is_symlink() else path


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


def stored_settings() -> dict[str, Any]:
    """The settings file's JSON object as written, or {} if there is none or it cannot be trusted.
    ``preferences.load_settings`` validates it; the app reads the theme's name from it directly
    before its first frame (see ``SupervisorApp._pick_theme``)."""
    if settings_problem():
        return {}
    try:
        data = json.loads(settings_path().read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}
