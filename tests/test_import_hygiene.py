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
from pathlib import Path

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


# ------------------------------------------------------------- what the first frame needs
#: Screens, dialogs and engines that the Board (the first screen) does not show.
NOT_ON_THE_BOARD = (
    "taskdesk.ui.screens.gantt",
    "taskdesk.ui.screens.calendar",
    "taskdesk.ui.screens.projects",
    "taskdesk.ui.screens.help",
    "taskdesk.ui.screens.confirm",
    "taskdesk.ui.commands",
    "taskdesk.ui.gantt_data",
    "taskdesk.ui.calendar_data",
    "taskdesk.domain.scheduling",
    "taskdesk.config_schema",
)


def _run(code: str, env: dict[str, str] | None = None) -> dict[str, object]:
    """Run ``code`` in a fresh interpreter; it prints one JSON object as its last line."""
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def test_the_app_imports_only_what_the_board_needs() -> None:
    report = _run(
        """
        import json, sys
        import taskdesk.ui.app
        print(json.dumps({"loaded": sorted(sys.modules)}))
        """
    )
    loaded = set(report["loaded"])  # type: ignore[call-overload]
    assert "taskdesk.ui.screens.board" in loaded
    assert sorted(name for name in NOT_ON_THE_BOARD if name in loaded) == []
    assert not any(name.split(".")[0] in ("pydantic", "pydantic_settings") for name in loaded)


def test_other_screens_load_on_first_use() -> None:
    report = _run(
        """
        import json, sys
        from textual.screen import Screen
        from taskdesk.ui.app import SCREENS, TaskDeskApp
        before = "taskdesk.ui.screens.gantt" in sys.modules
        gantt = SCREENS["gantt"]
        portfolio = TaskDeskApp.MODES["project"]()
        print(json.dumps({
            "before": before,
            "after": "taskdesk.ui.screens.gantt" in sys.modules,
            "gantt": gantt.__qualname__,
            "same": SCREENS["gantt"] is gantt,
            "names": sorted(SCREENS),
            "screens": all(issubclass(SCREENS[n], Screen) for n in SCREENS),
            "portfolio": type(portfolio).__qualname__,
        }))
        """
    )
    assert report == {
        "before": False,
        "after": True,
        "gantt": "GanttScreen",
        "same": True,
        "names": ["calendar", "gantt", "project-calendar"],
        "screens": True,
        "portfolio": "ProjectsScreen",
    }


_SETTINGS_PROBE = """
    import json, sys
    from taskdesk.config import load_settings
    settings = load_settings()
    print(json.dumps({
        "pydantic": "pydantic" in sys.modules,
        "type": type(settings).__name__,
        "theme": settings.theme,
    }))
    """


def _settings_env(config: str, **extra: str) -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("TASKDESK_")}
    return env | {"TASKDESK_CONFIG": config} | extra


def test_settings_without_a_file_do_not_import_pydantic(tmp_path: Path) -> None:
    report = _run(_SETTINGS_PROBE, _settings_env(str(tmp_path / "missing.toml")))
    assert report == {"pydantic": False, "type": "DefaultSettings", "theme": "textual-dark"}


def test_a_config_file_is_validated_by_pydantic(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('theme = "nord"\n', encoding="utf-8")
    report = _run(_SETTINGS_PROBE, _settings_env(str(config)))
    assert report == {"pydantic": True, "type": "Settings", "theme": "nord"}


def test_a_setting_in_the_environment_is_validated_by_pydantic(tmp_path: Path) -> None:
    env = _settings_env(str(tmp_path / "missing.toml"), TASKDESK_THEME="dracula")
    report = _run(_SETTINGS_PROBE, env)
    assert report == {"pydantic": True, "type": "Settings", "theme": "dracula"}


@pytest.mark.parametrize("argv", [["--help"], ["list"]])
def test_commands_load_neither_textual_nor_pydantic(tmp_path: Path, argv: list[str]) -> None:
    """``taskdesk --help`` / ``list`` as whole processes: no UI, no validation library."""
    code = f"""
        import json, sys
        from taskdesk.cli import main
        sys.argv = ["taskdesk", "--db", {str(tmp_path / "t.db")!r}, *{argv!r}]
        code = main()
        roots = {{name.partition(".")[0] for name in sys.modules}}
        print(json.dumps({{"code": code, "loaded": sorted(roots)}}))
        """
    report = _run(code, _settings_env(str(tmp_path / "missing.toml"), TASKDESK_USER="tester"))
    assert report["code"] == 0
    loaded = set(report["loaded"])  # type: ignore[call-overload]
    assert sorted(loaded & {"textual", "rich", "pydantic", "pydantic_settings"}) == []
