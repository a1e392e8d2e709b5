"""Headless rooms stay headless: the CLI starts fast and rules stay testable without Textual or TinyDB."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def loaded_after(imports: str) -> set[str]:
    """The rooms loaded by these imports: top-level packages, with our storage counted as 'storage'
    (it installs as supervisor_tui.storage) and the rest of our code as 'supervisor_tui'."""
    code = f"import sys; {imports}; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    rooms = set()
    for name in out.stdout.split():
        if name == "supervisor_tui.storage" or name.startswith("supervisor_tui.storage."):
            rooms.add("storage")
        elif name != "supervisor_tui":  # the package itself is only its version string
            rooms.add(name.split(".")[0])
    return rooms


@pytest.mark.parametrize(
    "module",
    [
        "supervisor_tui.storage",
        "supervisor_tui.services",
        "supervisor_tui.cli",
        "supervisor_tui.demo",
        "supervisor_tui.output",
    ],
)
def test_headless_modules_do_not_load_textual(module):
    assert "textual" not in loaded_after(f"import {module}")


def test_domain_knows_nothing_of_storage_tinydb_or_textual():
    modules = loaded_after(
        "import supervisor_tui.domain.people, supervisor_tui.domain.dates, supervisor_tui.domain.base"
    )
    assert not {"textual", "tinydb", "storage"} & modules


def domain_modules() -> list[str]:
    import pkgutil

    import supervisor_tui.domain as domain

    return sorted(f"supervisor_tui.domain.{m.name}" for m in pkgutil.iter_modules(domain.__path__))


@pytest.mark.parametrize("module", domain_modules())
def test_every_domain_module_is_pure(module):
    """Each rule module alone (rota, quality, one-to-ones, ...) loads none of Textual, TinyDB or storage."""
    assert not {"textual", "tinydb", "storage"} & loaded_after(f"import {module}")


def test_the_cli_module_and_all_headless_rooms_together_stay_textual_free():
    modules = loaded_after(
        "import supervisor_tui.storage, supervisor_tui.services, supervisor_tui.cli, " + ", ".join(domain_modules())
    )
    assert "textual" not in modules and "tinydb" in modules  # the store is loaded: the check is real


def test_storage_knows_nothing_of_the_output_layer():
    """verify returns findings as data; the CLI prints them safely. storage stays app-agnostic."""
    loaded = loaded_after("import supervisor_tui.storage")
    assert "storage" in loaded and "supervisor_tui" not in loaded
