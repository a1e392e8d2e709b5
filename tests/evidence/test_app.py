"""The evidence pack from the member's page, by keyboard at 80x24."""

from __future__ import annotations

import stat
from pathlib import Path

from textual.widgets._toast import Toast

from supervisor_tui import locations
from supervisor_tui.app import SupervisorApp
from supervisor_tui.screens.team import MemberScreen

SIZE = (80, 24)


def toast_texts(app: SupervisorApp) -> list[str]:
    return [str(toast.render()) for toast in app.screen.query(Toast)]


async def test_p_on_the_member_page_writes_their_pack_readable_by_them_only(demo_records):
    first = demo_records.team.members()[0]  # the roster opens on them
    app = SupervisorApp(demo_records, poll_seconds=3600)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, MemberScreen) and app.screen.member_id == first.id
        await pilot.press("p")  # waits for the write (see tests/conftest.settle)
        await pilot.pause()
        written = list(locations.exports_dir().glob(f"evidence-pack-{first.id}-*.html"))
        assert len(written) == 1
        path = written[0]
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        assert path.parent != Path(demo_records.store.path).parent  # never beside the shared record
        assert f"Evidence pack: {first.name} ({first.id})" in path.read_text(encoding="utf-8")
        assert any(str(path) in text.replace("\n", "") for text in toast_texts(app)), toast_texts(app)
