"""Every key the app binds: each has an id (to remap it by) and a tooltip, no screen binds one key to two
things, and `supervisor-tui keys` lists them all, the correction and undo keys of issue 15 included."""

from __future__ import annotations

from collections import Counter

import pytest
from textual.binding import Binding

from supervisor_tui import cli
from supervisor_tui.app import SupervisorApp, load_class


def screen_classes() -> list[type]:
    app = SupervisorApp
    names = [*app.SECTION_SCREENS.values(), *(page for _, page in app.PAGES.values()), *app.OTHER_SCREENS]
    return [app, *(load_class(name) for name in names)]


def own_bindings(owner: type) -> list[Binding]:
    return [b for b in owner.BINDINGS if isinstance(b, Binding)]


@pytest.mark.parametrize("owner", screen_classes(), ids=lambda cls: cls.__name__)
def test_every_binding_has_an_id_and_a_tooltip(owner):
    for binding in own_bindings(owner):
        assert binding.id and binding.tooltip, f"{owner.__name__}: {binding.key} -> {binding.action}"


@pytest.mark.parametrize("owner", screen_classes(), ids=lambda cls: cls.__name__)
def test_no_screen_binds_one_key_twice(owner):
    keys = Counter(key.strip() for binding in own_bindings(owner) for key in binding.key.split(","))
    assert [key for key, count in keys.items() if count > 1] == [], owner.__name__


def test_the_keys_command_lists_the_new_keys(capsys):
    assert cli.main(["keys"]) == 0
    listed = {line.split()[0]: line.split()[1] for line in capsys.readouterr().out.splitlines()[1:] if line.strip()}
    expected = {
        "complaint.next": "m",
        "complaint.correct": "c",
        "complaint.void": "v",
        "mq.correct": "e",
        "mq.void": "v",
        "shifts.void_batch": "V",
    }
    assert {key: listed.get(key) for key in expected} == expected
