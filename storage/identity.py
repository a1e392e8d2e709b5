"""Who is making a change: read from the process, never typed in."""

from __future__ import annotations

import getpass
import os
import pwd
from dataclasses import dataclass


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
