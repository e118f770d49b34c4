"""User settings: ``config.toml`` plus ``TASKDESK_*`` environment variables, validated.

Why pydantic-settings: one declaration gives the TOML file, the environment overrides
(``TASKDESK_DB``, ``TASKDESK_THEME``, ``TASKDESK_URGENCY__DUE`` ...) and validation with
precise errors. :func:`load_settings` turns any problem into a :class:`ConfigError` whose
text is one sentence naming the key, the bad value and what was expected, because a
broken config must stop the app with a message a person can act on, not a traceback.

Precedence, highest first: environment, config file, defaults (``--db`` on the command
line beats all three; the CLI applies it). Nothing is read at import time.

Why two shapes of settings: importing pydantic costs about 80 ms, a third of a start
of the app on a quiet machine. With no config file and no ``TASKDESK_*`` variable that
names a setting there is nothing to validate, so :func:`load_settings` returns
:class:`DefaultSettings` (plain dataclasses, the same values) without importing
pydantic; otherwise it validates with :class:`Settings` (``taskdesk.config_schema``).
Both satisfy :class:`AppSettings`, which is what the app and the commands read.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from taskdesk import paths
from taskdesk.domain.urgency import UrgencyWeights

if TYPE_CHECKING:
    from pydantic import BaseModel
    from pydantic_core import ErrorDetails

    from taskdesk.config_schema import Settings as Settings
    from taskdesk.config_schema import UrgencyWeightsConfig as UrgencyWeightsConfig

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


class UrgencySettings(Protocol):
    """The ``[urgency]`` table as the app reads it: converted to the domain's weights."""

    def to_domain(self) -> UrgencyWeights:
        """The domain's weights object, carrying exactly these values."""
        ...


class AppSettings(Protocol):
    """What the app and the commands read from the settings (see the module docstring).

    :class:`Settings` (validated by pydantic) and :class:`DefaultSettings` (nothing to
    validate) both provide it; the fields are documented on :class:`Settings`.
    """

    @property
    def db(self) -> str | None: ...
    @property
    def theme(self) -> str: ...
    @property
    def board_done_days(self) -> int: ...
    @property
    def urgency(self) -> UrgencySettings: ...
    @property
    def critical_float_threshold(self) -> int: ...
    @property
    def animations(self) -> bool: ...
    @property
    def confirm_quit(self) -> bool: ...


class DefaultUrgencyWeights(UrgencyWeights):
    """The default ``[urgency]`` table without pydantic: the domain's own defaults,
    which ``UrgencyWeightsConfig`` mirrors (a test keeps the two equal)."""

    def to_domain(self) -> UrgencyWeights:
        """The domain's weights object, carrying exactly these values."""
        return UrgencyWeights(**{f.name: getattr(self, f.name) for f in fields(self)})


@dataclass(frozen=True, slots=True)
class DefaultSettings:
    """The settings when there is nothing to validate: every field at its default.

    The same fields and values as ``Settings()`` with no file and no environment (a
    test compares them field by field); the documentation of each is on :class:`Settings`.
    """

    db: str | None = None
    theme: str = "textual-dark"
    board_done_days: int = 14
    urgency: DefaultUrgencyWeights = field(default_factory=DefaultUrgencyWeights)
    critical_float_threshold: int = 0
    animations: bool = False
    confirm_quit: bool = False


def __getattr__(name: str) -> Any:
    """``Settings`` and ``UrgencyWeightsConfig`` load pydantic when first asked for."""
    if name in ("Settings", "UrgencyWeightsConfig"):
        from taskdesk import config_schema

        return getattr(config_schema, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load_settings() -> AppSettings:
    """Read and validate the settings; every problem becomes one :class:`ConfigError`.

    Without a config file and without a ``TASKDESK_*`` setting in the environment the
    defaults need no validation: :class:`DefaultSettings`, and pydantic is not imported.
    """
    path = paths.config_path()
    file_data = _read_toml(path)
    if file_data is None and not settings_in_environment():
        return DefaultSettings()
    from pydantic import ValidationError as PydanticValidationError

    from taskdesk.config_schema import Settings

    try:
        return Settings()
    except PydanticValidationError as exc:
        raise ConfigError(_describe_error(exc.errors()[0], path, file_data or {})) from None


def settings_in_environment(environ: Mapping[str, str] | None = None) -> bool:
    """Whether a variable of ``environ`` (default: ``os.environ``) sets a setting.

    The names pydantic-settings reads: ``TASKDESK_<FIELD>`` or ``TASKDESK_<FIELD>__…``,
    in any case. Other ``TASKDESK_*`` variables (``TASKDESK_CONFIG``, ``TASKDESK_USER``,
    ``TASKDESK_DEBUG`` …) are not settings and are ignored there too.
    """
    names = {f.name for f in fields(DefaultSettings)}
    prefix = ENV_PREFIX.lower()
    for key in os.environ if environ is None else environ:
        lowered = key.lower()
        if lowered.startswith(prefix) and lowered[len(prefix) :].split("__")[0] in names:
            return True
    return False


def _read_toml(path: Path) -> dict[str, Any] | None:
    """The file's table, or ``None`` when there is no file; syntax errors carry the line."""
    try:
        with path.open("rb") as handle:
            text = handle.read()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the config file ({exc.strerror})") from None
    import tomllib  # only when there is a file to parse

    try:
        return tomllib.loads(text.decode())  # as tomllib.load does
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML — {exc}") from None


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
    from taskdesk.config_schema import Settings, UrgencyWeightsConfig

    model: type[BaseModel] = UrgencyWeightsConfig if loc[:1] == ["urgency"] else Settings
    return ", ".join(model.model_fields)


def _show_value(value: object) -> str:
    """A value as it would be written in TOML (strings quoted, booleans lower case)."""
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return repr(value)
