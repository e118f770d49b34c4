"""User settings: ``config.toml`` plus ``TASKDESK_*`` environment variables, validated.

Why pydantic-settings: one declaration gives the TOML file, the environment overrides
(``TASKDESK_DB``, ``TASKDESK_THEME``, ``TASKDESK_URGENCY__DUE`` ...) and validation with
precise errors. :func:`load_settings` turns any problem into a :class:`ConfigError` whose
text is one sentence naming the key, the bad value and what was expected, because a
broken config must stop the app with a message a person can act on, not a traceback.

Precedence, highest first: environment, config file, defaults (``--db`` on the command
line beats all three; the CLI applies it). Nothing is read at import time.
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic import ValidationError as PydanticValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from taskdesk import paths

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

    from taskdesk.domain.urgency import UrgencyWeights

ENV_PREFIX = "TASKDESK_"

#: Textual's built-in themes (textual 8.2). ``ansi-dark`` / ``ansi-light`` use the
#: terminal's own 16 colours, for plain terminals and SSH sessions.
BUILTIN_THEMES: tuple[str, ...] = (
    "textual-dark",
    "textual-light",
    "nord",
    "gruvbox",
    "catppuccin-mocha",
    "dracula",
    "tokyo-night",
    "monokai",
    "flexoki",
    "catppuccin-latte",
    "catppuccin-frappe",
    "catppuccin-macchiato",
    "solarized-light",
    "solarized-dark",
    "rose-pine",
    "rose-pine-moon",
    "rose-pine-dawn",
    "atom-one-dark",
    "atom-one-light",
    "ansi-dark",
    "ansi-light",
)


class ConfigError(ValueError):
    """The configuration cannot be used; ``str()`` is one sentence for the user."""


class UrgencyWeightsConfig(BaseModel):
    """The ``[urgency]`` table: the weights of the urgency sum (Taskwarrior's defaults).

    A mirror of :class:`taskdesk.domain.urgency.UrgencyWeights` so that the domain stays
    free of pydantic; :meth:`to_domain` converts. A term's contribution is its weight
    times a factor between 0 and 1 (see ``docs/algorithms.md``, "Urgency").
    """

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=True)

    due: float = 12.0
    """Due date: factor 0.2 two weeks or more away, rising to 1.0 a week overdue."""
    blocking: float = 8.0
    """The item blocks another open item."""
    priority_high: float = 6.0
    """Priority H."""
    priority_medium: float = 3.9
    """Priority M."""
    priority_low: float = 1.8
    """Priority L."""
    started: float = 4.0
    """The item is in a started column."""
    scheduled: float = 5.0
    """The item's start (scheduled) date has passed."""
    age: float = 2.0
    """Age: factor = whole days since creation / ``age_max_days``, capped at 1."""
    age_max_days: float = Field(default=365.0, gt=0)
    """The age (days) at which the age term reaches its full weight."""
    tags: float = 1.0
    """The item has tags (factor 0.8 for one, 0.9 for two, 1.0 for three or more)."""
    project: float = 1.0
    """The item belongs to a project or area."""
    waiting: float = -3.0
    """The item is waiting (its wait date is in the future)."""
    blocked: float = -5.0
    """The item waits on an open predecessor."""
    critical: float = 10.0
    """The task is on its project's critical path."""
    negative_float: float = 8.0
    """The task's total float is negative: the plan misses a deadline."""
    sla_at_risk: float = 6.0
    """An SLA goal is at risk (25 % or less of the time left)."""
    sla_breached: float = 12.0
    """An SLA goal is breached."""

    def to_domain(self) -> UrgencyWeights:
        """The domain's weights object, carrying exactly these values."""
        from taskdesk.domain.urgency import UrgencyWeights

        return UrgencyWeights(**self.model_dump())


class Settings(BaseSettings):
    """Everything a user can configure. Unknown keys are errors (typos must not pass)."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        extra="forbid",
        use_attribute_docstrings=True,
        frozen=True,
    )

    db: str | None = None
    """The store: a SQLite file path or a URL (``sqlite:///…``, ``postgresql://…``).
    Unset means ``taskdesk.db`` in the user data directory. ``--db`` overrides it."""
    theme: str = "textual-dark"
    """A Textual theme name; ``ansi-dark`` suits plain 16-colour terminals."""
    board_done_days: int = Field(default=14, ge=0)
    """Closed columns of the board show the items closed in the last N days."""
    urgency: UrgencyWeightsConfig = Field(default_factory=UrgencyWeightsConfig)
    """The weights of the urgency sum (the ``[urgency]`` table)."""
    critical_float_threshold: int = Field(default=0, ge=0)
    """A task is critical when its total float (working days) is at most this: the
    Gantt, the portfolio's health and ``taskdesk schedule`` all use it."""
    animations: bool = False
    """Textual animations; off by default because they lag over SSH."""
    confirm_quit: bool = False
    """Ask before quitting the app (``q``)."""

    @field_validator("theme")
    @classmethod
    def _known_theme(cls, value: str) -> str:
        """Refuse a misspelt theme here rather than fall back silently in the app."""
        if value not in BUILTIN_THEMES:
            names = ", ".join(BUILTIN_THEMES)
            raise ValueError(f"a Textual theme name, one of: {names}")
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Constructor arguments, then the environment, then the TOML file; no .env files.

        The file path is looked up here (not at import) so ``TASKDESK_CONFIG`` set by a
        test or a wrapper script takes effect.
        """
        toml = TomlConfigSettingsSource(settings_cls, toml_file=paths.config_path())
        return (init_settings, env_settings, toml)


def load_settings() -> Settings:
    """Read and validate the settings; every problem becomes one :class:`ConfigError`."""
    path = paths.config_path()
    file_data = _read_toml(path)
    try:
        return Settings()
    except PydanticValidationError as exc:
        raise ConfigError(_describe_error(exc.errors()[0], path, file_data)) from None


def _read_toml(path: Path) -> dict[str, Any]:
    """The file's table, or ``{}`` when there is no file; syntax errors carry the line."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML — {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the config file ({exc.strerror})") from None


#: What to say was expected, by pydantic error type.
_EXPECTED = {
    "int_parsing": "an integer",
    "int_type": "an integer",
    "int_from_float": "an integer",
    "float_parsing": "a number",
    "float_type": "a number",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "string_type": "a string",
    "model_type": "a table",
    "model_attributes_type": "a table",
    "dict_type": "a table",
}


def _describe_error(err: ErrorDetails, path: Path, file_data: dict[str, Any]) -> str:
    """One sentence: where the value came from, the key, the value and what was expected."""
    loc = [str(part) for part in err["loc"]]
    key = ".".join(loc)
    value = _show_value(err.get("input"))
    env_name = _env_source(loc, file_data)
    if env_name is not None:
        return f"environment variable {env_name}={value} — expected {_expected(err)}"
    if err["type"] == "extra_forbidden":
        return f"{path}: unknown key {key} — expected one of: {_known_keys(loc)}"
    if err["type"] == "missing":
        return f"{path}: {key} is missing"
    return f"{path}: {key} = {value} — expected {_expected(err)}"


def _env_source(loc: list[str], file_data: dict[str, Any]) -> str | None:
    """The environment variable that supplied the bad value, or ``None`` for the file.

    The environment wins over the file, so a variable that is set is the culprit.
    """
    nested = ENV_PREFIX + "__".join(loc).upper()
    top = ENV_PREFIX + loc[0].upper()
    for name in (nested, top):
        if name in os.environ:
            return name
    return None


def _expected(err: ErrorDetails) -> str:
    """A noun phrase for what the key accepts."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind in _EXPECTED:
        return _EXPECTED[kind]
    if kind == "literal_error":
        return f"one of {ctx.get('expected', '')}"
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    bounds = {
        "greater_than_equal": ("≥", "ge"),
        "greater_than": (">", "gt"),
        "less_than_equal": ("≤", "le"),
        "less_than": ("<", "lt"),
    }
    if kind in bounds:
        sign, name = bounds[kind]
        return f"a number {sign} {ctx.get(name)}"
    msg = err["msg"]
    return msg[:1].lower() + msg[1:]


def _known_keys(loc: list[str]) -> str:
    """The keys allowed next to an unknown one (top level or inside ``[urgency]``)."""
    model: type[BaseModel] = UrgencyWeightsConfig if loc[:1] == ["urgency"] else Settings
    return ", ".join(model.model_fields)


def _show_value(value: object) -> str:
    """A value as it would be written in TOML (strings quoted, booleans lower case)."""
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return repr(value)
