"""Settings: defaults, the TOML file, environment overrides, and the errors a user sees.

The conftest points ``TASKDESK_CONFIG`` at a throwaway path and clears ``TASKDESK_*``;
each test writes the file it needs there (or to its own ``tmp_path``).
"""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from taskdesk import paths
from taskdesk.config import BUILTIN_THEMES, ConfigError, Settings, load_settings


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A config path of this test's own (not created until the test writes it)."""
    path = tmp_path / "config.toml"
    monkeypatch.setenv("TASKDESK_CONFIG", str(path))
    return path


def _error(config_file: Path, text: str) -> str:
    config_file.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings()
    message = str(info.value)
    assert "\n" not in message
    return message


def test_defaults_without_a_file(config_file: Path) -> None:
    settings = load_settings()
    assert settings.db is None
    assert settings.theme == "textual-dark"
    assert settings.board_done_days == 14
    assert settings.critical_float_threshold == 0
    assert settings.animations is False
    assert settings.confirm_quit is False
    assert not config_file.exists()


def test_urgency_defaults_match_the_domain(config_file: Path) -> None:
    from taskdesk.domain.urgency import UrgencyWeights

    assert load_settings().urgency.to_domain() == UrgencyWeights()


def test_values_from_toml(config_file: Path) -> None:
    config_file.write_text(
        'db = "/srv/team.db"\n'
        'theme = "ansi-dark"\n'
        "board_done_days = 7\n"
        "critical_float_threshold = 2\n"
        "animations = true\n"
        "confirm_quit = true\n"
        "[urgency]\n"
        "due = 20\n"
        "age_max_days = 30\n",
        encoding="utf-8",
    )
    settings = load_settings()
    assert settings.db == "/srv/team.db"
    assert settings.theme == "ansi-dark"
    assert settings.board_done_days == 7
    assert settings.critical_float_threshold == 2
    assert settings.animations is True
    assert settings.confirm_quit is True
    weights = settings.urgency.to_domain()
    assert weights.due == 20
    assert weights.age_max_days == 30
    assert weights.blocking == 8.0  # untouched keys keep their defaults


def test_environment_overrides_the_file(config_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config_file.write_text('db = "/from/file.db"\nboard_done_days = 7\n', encoding="utf-8")
    monkeypatch.setenv("TASKDESK_DB", "/from/env.db")
    monkeypatch.setenv("TASKDESK_URGENCY__DUE", "3")
    settings = load_settings()
    assert settings.db == "/from/env.db"
    assert settings.board_done_days == 7
    assert settings.urgency.due == 3


def test_other_taskdesk_variables_are_not_settings(
    config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TASKDESK_DEBUG", "1")  # TASKDESK_USER is set by the conftest
    assert load_settings().db is None


def test_bad_value_names_key_value_and_expectation(config_file: Path) -> None:
    message = _error(config_file, 'board_done_days = "x"\n')
    assert str(config_file) in message
    assert 'board_done_days = "x"' in message
    assert "expected an integer" in message


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("board_done_days = -1\n", ("board_done_days = -1", "≥ 0")),
        ('animations = "maybe"\n', ('animations = "maybe"', "true or false")),
        ("critical_float_threshold = 1.5\n", ("critical_float_threshold = 1.5", "integer")),
        ('theme = "neon"\n', ('theme = "neon"', "ansi-dark")),
        ("urgency = 3\n", ("urgency = 3", "a table")),
        ('[urgency]\ndue = "high"\n', ('urgency.due = "high"', "a number")),
        ("[urgency]\nage_max_days = 0\n", ("urgency.age_max_days = 0", "> 0")),
    ],
)
def test_each_kind_of_bad_value(config_file: Path, text: str, fragments: tuple[str, ...]) -> None:
    message = _error(config_file, text)
    for fragment in fragments:
        assert fragment in message


def test_invalid_toml_reports_the_line(config_file: Path) -> None:
    message = _error(config_file, 'theme = "ansi-dark"\nboard_done_days = \n')
    assert "invalid TOML" in message
    assert "line 2" in message


def test_unknown_key_is_refused_with_the_known_ones(config_file: Path) -> None:
    message = _error(config_file, 'colour = "red"\n')
    assert "unknown key colour" in message
    assert "board_done_days" in message


def test_unknown_key_inside_urgency(config_file: Path) -> None:
    message = _error(config_file, "[urgency]\nduee = 3\n")
    assert "unknown key urgency.duee" in message
    assert "age_max_days" in message


def test_bad_environment_value_names_the_variable(
    config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TASKDESK_BOARD_DONE_DAYS", "soon")
    with pytest.raises(ConfigError, match=r'TASKDESK_BOARD_DONE_DAYS="soon" — expected an int'):
        load_settings()


def test_unreadable_config_is_a_config_error(config_file: Path) -> None:
    config_file.mkdir()  # a directory where the file should be
    with pytest.raises(ConfigError, match="cannot read"):
        load_settings()


def test_every_field_is_documented() -> None:
    from taskdesk.config import UrgencyWeightsConfig

    for model in (Settings, UrgencyWeightsConfig):
        for name, info in model.model_fields.items():
            assert info.description, f"{model.__name__}.{name} has no docstring"


def test_theme_list_matches_textual() -> None:
    from textual.theme import BUILTIN_THEMES as TEXTUAL_THEMES

    assert set(BUILTIN_THEMES) == set(TEXTUAL_THEMES)


def test_paths_follow_platformdirs_and_are_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("TASKDESK_CONFIG")
    assert paths.config_path() == tmp_path / "config" / "taskdesk" / "config.toml"
    assert not (tmp_path / "config" / "taskdesk").exists()  # reading creates nothing
    db = paths.default_db_path()
    assert db == tmp_path / "data" / "taskdesk" / "taskdesk.db"
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700
    assert not db.exists()


def test_config_path_honours_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TASKDESK_CONFIG", str(tmp_path / "elsewhere.toml"))
    assert paths.config_path() == tmp_path / "elsewhere.toml"
