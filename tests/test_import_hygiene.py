"""The layers stay apart: checked by importing them in a fresh interpreter.

``taskdesk.domain`` is pure Python; ``taskdesk.store`` knows peewee but not the UI;
``taskdesk.cli`` must start without loading Textual (the app is built on demand); and
``import taskdesk`` alone loads nothing but the package itself.  Every submodule that
exists is imported (found with pkgutil), so a new module cannot slip past.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import textwrap

import pytest

UI_LIBRARIES = ("textual", "rich")
DATABASE_LIBRARIES = ("peewee", "playhouse", "psycopg", "psycopg2", "sqlite3")

# Runs in the child: import every module of the given packages, report what got loaded.
PROBE = textwrap.dedent(
    """
    import importlib, json, pkgutil, sys

    before = set(sys.modules)
    imported = []
    walk = sys.argv[1] == "walk"
    for name in sys.argv[2:]:
        module = importlib.import_module(name)
        imported.append(name)
        if walk and hasattr(module, "__path__"):
            for info in pkgutil.walk_packages(module.__path__, name + "."):
                importlib.import_module(info.name)
                imported.append(info.name)
    loaded = sorted(set(sys.modules) - before)
    print(json.dumps({"imported": imported, "loaded": loaded}))
    """
)


def _exists(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def _probe(*modules: str, walk: bool = True) -> tuple[list[str], set[str]]:
    """Import ``modules`` (and, with ``walk``, all their submodules) in a new interpreter.

    Returns the modules imported and the top-level names of everything that got loaded.
    """
    missing = [m for m in modules if not _exists(m)]
    if missing:
        pytest.skip(f"not written yet: {', '.join(missing)}")
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, "walk" if walk else "plain", *modules],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, f"importing {modules} failed:\n{proc.stderr}"
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    loaded_roots = {name.partition(".")[0] for name in report["loaded"]}
    loaded_taskdesk = {name for name in report["loaded"] if name.startswith("taskdesk")}
    return report["imported"], loaded_roots | loaded_taskdesk


def _offenders(loaded: set[str], banned: tuple[str, ...]) -> list[str]:
    return sorted(name for name in banned if name in loaded)


def test_importing_taskdesk_loads_only_the_package_and_the_standard_library() -> None:
    _, loaded = _probe("taskdesk", walk=False)
    foreign = sorted(
        name
        for name in loaded
        if "." not in name
        and name != "taskdesk"
        and name not in sys.stdlib_module_names
        and not name.startswith("_")
    )
    assert foreign == [], f"`import taskdesk` loaded third-party modules: {foreign}"
    assert sorted(n for n in loaded if n.startswith("taskdesk.")) == []


def test_domain_loads_neither_ui_nor_database_libraries() -> None:
    imported, loaded = _probe("taskdesk.domain")
    assert len(imported) > 1, "expected taskdesk.domain to have submodules"
    assert _offenders(loaded, UI_LIBRARIES + DATABASE_LIBRARIES) == []
    assert not any(n.startswith(("taskdesk.store", "taskdesk.ui")) for n in loaded)


def test_store_does_not_load_the_ui() -> None:
    _, loaded = _probe("taskdesk.store")
    assert _offenders(loaded, UI_LIBRARIES) == []
    assert not any(n.startswith("taskdesk.ui") for n in loaded)


def test_domain_store_and_cli_together_do_not_load_the_ui() -> None:
    _, loaded = _probe("taskdesk.domain", "taskdesk.store", "taskdesk.cli")
    assert _offenders(loaded, UI_LIBRARIES) == []
    assert not any(n.startswith("taskdesk.ui") for n in loaded)


def test_interop_does_not_load_the_ui() -> None:
    _, loaded = _probe("taskdesk.interop")
    assert _offenders(loaded, UI_LIBRARIES) == []
