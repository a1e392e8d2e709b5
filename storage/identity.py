"""Who is making a change: read from the process, never typed in."""

from __future__ import annotations

import getpass
import os
import pwd
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Actor:
    login: str
    uid: int
    ssh: str | None = None

    @classmethod
    def from_process(cls) -> Actor:
        uid = os.getuid()
        try:
            login = pwd.getpwuid(uid).pw_name
        except KeyError:  # a uid with no passwd entry (containers)
            login = getpass.getuser()
        # SSH_CONNECTION is "client_ip client_port server_ip server_port": keep the client end.
        conn = os.environ.get("SSH_CONNECTION", "").split()
        ssh = f"{conn[0]}:{conn[1]}" if len(conn) >= 2 else None
        return cls(login=login, uid=uid, ssh=ssh)


@lru_cache(maxsize=256)
def account_name(login: str) -> str | None:
    """The person's name the system's account database gives for ``login`` (the first part of its GECOS
    field, as ``finger`` shows it), or None where it gives none, or only the login again. The record keeps
    logins only; this is the one place a login is known as a person."""
    try:
        gecos = pwd.getpwnam(login).pw_gecos
    except (KeyError, TypeError, ValueError):  # not an account on this machine (any more), or not a name
        return None
    name = " ".join(gecos.split(",", 1)[0].split())
    return name if name and name.lower() != login.lower() else None
