"""Settings: defaults, the TOML file, environment overrides, and the errors a user sees.

The conftest points ``TASKDESK_CONFIG`` at a throwaway path and clears ``TASKDESK_*``;
each test writes the file it needs there (or to its own ``tmp_path``).
"""

from __future__ import annotations

import dataclasses
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taskdesk import paths
from taskdesk.config import (
    BUILTIN_THEMES,
    AppSettings,
    ConfigError,
    DefaultSettings,
    Settings,
    UrgencyWeightsConfig,
    load_settings,
    settings_in_environment,
)


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
    assert settings.urgency.to_domain().due == 3


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


# ---------------------------------------------------------------- the pydantic-free path
# No file and no TASKDESK_* setting: load_settings() returns DefaultSettings without
# importing pydantic (tests/test_import_hygiene.py checks the import in a fresh process).


def _values(settings: AppSettings) -> dict[str, object]:
    """Every field of either shape of settings, [urgency] as the domain's weights."""
    values = {name: getattr(settings, name) for name in Settings.model_fields}
    values["urgency"] = settings.urgency.to_domain()
    return values


def test_without_file_or_environment_the_defaults_skip_validation(config_file: Path) -> None:
    assert type(load_settings()) is DefaultSettings


def test_default_settings_have_exactly_the_fields_of_the_model() -> None:
    assert [f.name for f in dataclasses.fields(DefaultSettings)] == list(Settings.model_fields)
    urgency = DefaultSettings().urgency
    assert [f.name for f in dataclasses.fields(urgency)] == list(UrgencyWeightsConfig.model_fields)


def test_default_settings_equal_validated_defaults(config_file: Path) -> None:
    config_file.write_text("", encoding="utf-8")  # a file: the validated path
    validated = load_settings()
    assert isinstance(validated, Settings)
    assert _values(validated) == _values(DefaultSettings())
    assert _values(validated) == _values(Settings())


def test_default_settings_are_frozen() -> None:
    settings = DefaultSettings()
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.theme = "nord"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("name", "validated"),
    [
        ("TASKDESK_DB", True),
        ("taskdesk_db", True),
        ("Taskdesk_Theme", True),
        ("TASKDESK_BOARD_DONE_DAYS", True),
        ("TASKDESK_URGENCY", True),
        ("TASKDESK_URGENCY__DUE", True),
        ("TASKDESK_CRITICAL_FLOAT_THRESHOLD", True),
        ("TASKDESK_ANIMATIONS", True),
        ("TASKDESK_CONFIRM_QUIT", True),
        ("TASKDESK_CONFIG", False),
        ("TASKDESK_USER", False),
        ("TASKDESK_DEBUG", False),
        ("TASKDESK_ALLOW_NETWORK_FS", False),
        ("TASKDESK_DBX", False),
        ("TASKDESK_DB_PATH", False),
        ("TASKDESK_", False),
        ("MY_TASKDESK_DB", False),
        ("DB", False),
    ],
)
def test_which_variables_are_settings(
    config_file: Path, monkeypatch: pytest.MonkeyPatch, name: str, validated: bool
) -> None:
    assert settings_in_environment({name: "1"}) is validated
    monkeypatch.setenv(name, "true")
    assert settings_in_environment() is validated
    try:
        settings = load_settings()
    except ConfigError as error:  # only validation refuses a value ("true" as a number)
        assert validated, error
        return
    assert isinstance(settings, Settings) is validated


def test_a_setting_in_the_environment_is_validated(
    config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TASKDESK_THEME", "neon")
    with pytest.raises(ConfigError, match=r'TASKDESK_THEME="neon" — expected a Textual theme'):
        load_settings()
    monkeypatch.setenv("TASKDESK_THEME", "nord")
    settings = load_settings()
    assert isinstance(settings, Settings)
    assert settings.theme == "nord"


_NAME_PARTS = st.text(alphabet="abcdefgxyz_ABDTU", min_size=0, max_size=24)


@given(suffix=_NAME_PARTS)
def test_variables_not_taken_for_settings_change_nothing(suffix: str) -> None:
    """Whatever pydantic-settings would read from a variable, the fast path must not skip.

    For any TASKDESK_* name: either it is taken for a setting (validated path), or
    ``Settings()`` with it set is exactly the defaults (so skipping validation is safe).
    """
    name = "TASKDESK_" + suffix
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TASKDESK_CONFIG", "/nonexistent/taskdesk/config.toml")
        patch.setenv(name, "1")
        if settings_in_environment({name: "1"}):
            return
        assert _values(Settings()) == _values(DefaultSettings())
        assert type(load_settings()) is DefaultSettings


def test_an_unreadable_file_is_reported_before_the_fast_path(config_file: Path) -> None:
    config_file.mkdir()
    with pytest.raises(ConfigError, match=f"{config_file}: cannot read the config file"):
        load_settings()


def test_invalid_utf8_is_not_taken_for_a_missing_file(config_file: Path) -> None:
    config_file.write_bytes(b'theme = "\xff"\n')
    with pytest.raises(UnicodeDecodeError):  # as before the fast path existed
        load_settings()
