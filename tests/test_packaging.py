"""Packaging promises (issue 12): our storage and themes install inside supervisor_tui, never at the top
of site-packages; --version, python -m and shell completion work."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import supervisor_tui
from supervisor_tui.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def package_folders() -> dict[str, Path]:
    """Every package folder in the repository, by the name it installs as."""
    dirs = PYPROJECT["tool"]["setuptools"]["package-dir"]
    found = {}
    for name, folder in dirs.items():
        base = ROOT / folder
        for init in base.rglob("__init__.py"):
            found[".".join((name, *init.parent.relative_to(base).parts))] = init.parent
    return found


def test_every_package_folder_is_listed_so_the_wheel_carries_it():
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    assert set(package_folders()) == listed


def test_storage_and_themes_install_under_our_namespace_only(tmp_path):
    dirs = PYPROJECT["tool"]["setuptools"]["package-dir"]
    assert dirs == {
        "supervisor_tui": "supervisor_tui",
        "supervisor_tui.storage": "storage",
        "supervisor_tui.themes": "themes",
    }
    assert all(p.startswith("supervisor_tui") for p in PYPROJECT["tool"]["setuptools"]["packages"])
    # bare names are someone else's on PyPI: as installed (run outside the checkout) nothing of ours
    # answers to them, while supervisor_tui.storage and .themes do
    probe = (
        "import importlib.util as u; print([str((u.find_spec(n) and u.find_spec(n).origin) or '') "
        "for n in ('storage', 'themes', 'supervisor_tui.storage', 'supervisor_tui.themes')])"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    bare_storage, bare_themes, ours_storage, ours_themes = ast.literal_eval(out.stdout)
    assert not bare_storage.startswith(str(ROOT)) and not bare_themes.startswith(str(ROOT))
    assert ours_storage.endswith("__init__.py") and ours_themes.endswith("__init__.py")


def test_typed_marker_and_theme_files_ship():
    data = PYPROJECT["tool"]["setuptools"]["package-data"]
    assert "py.typed" in data["supervisor_tui"] and (ROOT / "supervisor_tui" / "py.typed").exists()
    assert data["supervisor_tui.themes"] == ["*.toml"] and list((ROOT / "themes").glob("*.toml"))


def test_version_from_the_package(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"supervisor-tui {supervisor_tui.__version__}\n"
    assert supervisor_tui.__version__ == PYPROJECT["project"]["version"]


def test_python_dash_m_runs_the_cli():
    out = subprocess.run(
        [sys.executable, "-m", "supervisor_tui", "--version"], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert (out.returncode, out.stdout) == (0, f"supervisor-tui {supervisor_tui.__version__}\n")


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_completion_is_generated_from_the_parser(shell, capsys):
    assert main(["completion", shell]) == 0
    script = capsys.readouterr().out
    commands = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for command in commands:
        assert command in script, command
    assert "one-to-ones" in script  # export kinds too


def test_bash_completion_completes_commands_and_export_kinds(capsys, tmp_path):
    main(["completion", "bash"])
    script = tmp_path / "c.bash"
    script.write_text(capsys.readouterr().out)
    probe = (
        f"source {script}; COMP_WORDS=(supervisor-tui exp); COMP_CWORD=1; _shtab_supervisor_tui; "
        'echo "${COMPREPLY[@]}"; COMP_WORDS=(supervisor-tui export ""); COMP_CWORD=2; _shtab_supervisor_tui; '
        'echo "${COMPREPLY[@]}"'
    )
    out = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, timeout=30)
    assert out.stdout.splitlines() == ["export", "team rota quality one-to-ones person complaints customer"]


def test_an_unknown_shell_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["completion", "fish"])
    assert exit_.value.code == 2 and "invalid choice" in capsys.readouterr().err
