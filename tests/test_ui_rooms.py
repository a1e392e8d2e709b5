"""Screens call services only (DESIGN.md, rooms): no screen or widget imports the storage room or TinyDB.

Read from the source with ``ast``, so an import inside a function or under TYPE_CHECKING counts too.
CI's import-linter contract says the same of the installed layout; this one runs with the tests."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UI_FOLDERS = [ROOT / "supervisor_tui" / "screens", ROOT / "supervisor_tui" / "widgets"]
# 'storage' is the folder's name in the checkout; it installs as supervisor_tui.storage.
FORBIDDEN = ("supervisor_tui.storage", "storage", "tinydb")

# Modules still importing storage or TinyDB directly, each on its way to supervisor_tui.services (an
# entry fails the test below once it no longer does, so the list only shrinks). None left.
PENDING: set[str] = set()


def ui_modules() -> list[Path]:
    return sorted(path for folder in UI_FOLDERS for path in folder.rglob("*.py"))


def module_of(path: Path) -> tuple[str, bool]:
    """The dotted name a source file imports as, and whether it is a package's __init__."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def imported(source: str, module: str, is_package: bool) -> set[str]:
    """Every module name the source imports, relative imports resolved against ``module``; for
    ``from X import y`` both X and X.y (y may be a submodule)."""
    package = module.split(".") if is_package else module.split(".")[:-1]
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package[: len(package) - (node.level - 1)]
                base = ".".join([*base_parts, *([node.module] if node.module else [])])
            else:
                base = node.module or ""
            names.add(base)
            names |= {f"{base}.{alias.name}" for alias in node.names}
    return names


def forbidden(names: set[str]) -> list[str]:
    return sorted(n for n in names if any(n == room or n.startswith(room + ".") for room in FORBIDDEN))


@pytest.mark.parametrize("path", ui_modules(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_screens_and_widgets_import_neither_storage_nor_tinydb(path):
    name = path.relative_to(ROOT).as_posix()
    found = forbidden(imported(path.read_text(encoding="utf-8"), *module_of(path)))
    if name in PENDING:
        assert found, f"{name} no longer imports storage or TinyDB: take it off PENDING"
    else:
        assert not found, (
            f"{name} imports {', '.join(found)}: call a service method named for what the screen needs, "
            "and take exception types from supervisor_tui.services"
        )


def test_the_walk_covers_every_screen_package():
    names = {path.relative_to(ROOT).as_posix() for path in ui_modules()}
    for section in ("shifts", "quality", "one_to_ones", "complaints"):
        assert f"supervisor_tui/screens/{section}/__init__.py" in names
    assert "supervisor_tui/widgets/status.py" in names


def test_relative_late_and_type_only_imports_are_seen():
    source = (
        "from typing import TYPE_CHECKING\n"
        "from ...services import StoreError\n"
        "from ... import storage\n"
        "if TYPE_CHECKING:\n"
        "    from ...storage.audit import utc_stamp\n"
        "def save():\n"
        "    import tinydb.table\n"
    )
    names = imported(source, "supervisor_tui.screens.shifts.week", is_package=False)
    assert forbidden(names) == [
        "supervisor_tui.storage",
        "supervisor_tui.storage.audit",
        "supervisor_tui.storage.audit.utc_stamp",
        "tinydb.table",
    ]
    assert "supervisor_tui.services.StoreError" in names
    assert forbidden(imported("from .base import RecordScreen\n", "supervisor_tui.screens", is_package=True)) == []
