"""The manager's report for the demo's last full month, as Markdown, pinned: the demo at its fixed clock,
read by the fixed login the screenshots use. The pinned file is
__snapshots__/test_report_markdown/test_the_demo_report_reads_as_reviewed.md (plain Markdown: read it as
a manager would); after a deliberate change, regenerate it with ``pytest tests/snapshots --snapshot-update``
and review the difference."""

from __future__ import annotations

import pytest
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from supervisor_tui.domain.clock import Clock
from supervisor_tui.domain.periods import last_full_month
from supervisor_tui.services import Records
from supervisor_tui.services.report import render
from supervisor_tui.storage import Store
from tests.conftest import DEMO_NOW, DEMO_TODAY, copy_record

from .test_screens import SUPERVISOR


class MarkdownFile(SingleFileSnapshotExtension):
    _write_mode = WriteMode.TEXT
    _file_extension = "md"


@pytest.fixture
def demo(tmp_path) -> Records:
    from supervisor_tui.demo import build_demo

    built = tmp_path / "built" / "team.json"
    built.parent.mkdir()
    build_demo(built, seed=1, clock=Clock.fixed(DEMO_NOW))
    path = copy_record(built, tmp_path / "team.json")
    return Records(Store(str(path), actor=SUPERVISOR), Clock.fixed(DEMO_NOW))


def test_the_demo_report_reads_as_reviewed(demo: Records, snapshot):
    window = demo.report.period(None)
    assert window == last_full_month(DEMO_TODAY) and window.name == "2026-10"
    report = demo.report.build(window)
    assert report.head == demo.store.head_text()
    # The head's hash holds each entry's signature, made with the key of whoever built the demo: the
    # rest of the report is the same on every machine.
    markdown = render(report, "md").replace(report.head.split(":")[1], "<the audit head's hash>")
    assert markdown == snapshot(extension_class=MarkdownFile)


def test_the_demo_report_has_real_figures_in_every_section(demo: Records):
    md = render(demo.report.build(demo.report.period("2026-10")), "md")
    for said in (
        "| CSAT (%) | 8",  # the KPI returns
        "| Whole team | 28 (previous 23) | 93% (28 checks) |",  # quality checks
        "| Received | 6 | 2 |",  # complaints
        "| Cover met | 45% (599 of 1334 person-hours) |",  # the rota against demand
        "| One-to-ones held | 13 | 12 |",
    ):
        assert said in md, said
