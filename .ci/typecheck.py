"""Run mypy over the packages exactly as they install: ``python .ci/typecheck.py [mypy options]``.

mypy finds modules by folder name and knows nothing of setuptools' package-dir mapping (python/mypy
#10564), and the editable install's import hook is invisible to it, so ``mypy -p supervisor_tui``
cannot see that storage/ is ``supervisor_tui.storage``: every import of it would be "not found" and
its types silently Any. This script reads the mapping from pyproject.toml and hands mypy each file
under the module name it installs as; everything else (flags, strictness, the pydantic plugin) comes
from ``[tool.mypy]`` in pyproject.toml. Exit status as mypy's: 0 clean, 1 errors, 2 a crash or
bad options.
"""

from __future__ import annotations

import os
import sys
import time
import tomllib
from pathlib import Path

from mypy.fscache import FileSystemCache
from mypy.main import process_options, run_build
from mypy.modulefinder import BuildSource
from mypy.util import FancyFormatter, count_stats

ROOT = Path(__file__).resolve().parents[1]


def installed_modules() -> list[BuildSource]:
    """Every .py file of every listed package, named as setuptools installs it."""
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    folders: dict[str, str] = setuptools["package-dir"]
    sources = []
    for package in setuptools["packages"]:
        # setuptools' rule: the longest mapped prefix gives the folder, the rest of the name follows it
        mapped = max((p for p in folders if package == p or package.startswith(p + ".")), key=len)
        folder = ROOT / folders[mapped] / Path(*package[len(mapped) :].split(".")[1:])
        for file in sorted(folder.glob("*.py")):
            module = package if file.stem == "__init__" else f"{package}.{file.stem}"
            sources.append(BuildSource(str(file.relative_to(ROOT)), module))
    return sources


def main(argv: list[str]) -> int:
    os.chdir(ROOT)  # pyproject.toml's settings, and paths in messages relative to the checkout
    fscache = FileSystemCache()
    # The target given here only satisfies the option parser; the sources are ours.
    _, options = process_options([*argv, "-p", "supervisor_tui"], fscache=fscache)
    sources = installed_modules()
    formatter = FancyFormatter(sys.stdout, sys.stderr, options.hide_error_codes)
    # run_build prints each file's messages as it goes, as the mypy command does
    _, messages, blockers = run_build(sources, options, fscache, time.time(), sys.stdout, sys.stderr)
    n_errors, _, n_files = count_stats(messages)
    if n_errors:
        print(
            formatter.format_error(n_errors, n_files, len(sources), blockers=blockers, use_color=options.color_output)
        )
        return 2 if blockers else 1
    print(formatter.format_success(len(sources), options.color_output))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
