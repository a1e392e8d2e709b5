"""The status line always names the record file: at 80 columns the other parts get shorter first, then
the path loses its start, never the file's own name."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from supervisor_tui.app import SupervisorApp
from supervisor_tui.widgets.status import Status, fit_status

FINGERPRINT = "SHA256:uvvsh4lXabcdefghijklmnop"


def status(path: str, who: str = "root", read_only: bool = False, fingerprint: str = FINGERPRINT) -> Status:
    return Status(who, who.split(" ")[0], fingerprint, read_only, 1162, path)


@pytest.mark.parametrize(
    "line, width, expected, why",
    [
        (
            status("team.json"),
            78,
            "you: root  key: SHA256:uvvsh4lX…  read-write  entries: 1162  file: team.json",
            "room for everything: nothing is shortened",
        ),
        (
            status("~/.local/share/supervisor-tui/team.json"),
            78,
            "you: root  key: uvvsh4lX  read-write  #1162  file: …e/supervisor-tui/team.json",
            "the key and the entry count give way first, then the path's start",
        ),
        (
            status("/srv/customer-services/north-region/records/2026/team.json", who="j.smith via 10.0.0.7:50122"),
            78,
            "you: j.smith  key: uvvsh4lX  read-write  #1162  file: …/records/2026/team.json",
            "the SSH client gives way too before the path is cut to less than 24 columns",
        ),
        (
            status("/srv/a-very-long-folder-name-that-goes-on/and-on-and-on/the-record-itself.json"),
            40,
            "file: …-on-and-on/the-record-itself.json",
            "a very narrow line still names the file, whatever else goes",
        ),
    ],
)
def test_the_file_is_always_named(line, width, expected, why):
    assert fit_status(line, width).plain == expected, why


def test_read_only_and_an_unusable_key_still_show_when_shortened():
    text = fit_status(status("/srv/team/records/team.json", read_only=True, fingerprint=""), 78).plain
    assert "READ-ONLY" in text and "key: unusable" in text and text.endswith("team.json")


async def test_the_status_line_names_the_file_at_80_columns(records, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path.parent)  # the file is shown relative to the working folder: a longer path
    app = SupervisorApp(records)
    async with app.run_test(size=(80, 24)):
        shown = str(app.screen.query_one("#status", Static).render())
        assert shown.endswith("/team.json") and "read-write" in shown
        assert len(shown) <= 78
