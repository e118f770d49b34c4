"""The pydantic models behind ``config.toml`` and the ``TASKDESK_*`` settings.

Kept apart from :mod:`taskdesk.config` because pydantic and pydantic-settings cost
about 80 ms to import (measured: issue 5): :func:`taskdesk.config.load_settings` imports
this module only when there is something to validate (a config file, or a ``TASKDESK_*``
variable naming a setting). Import the classes from :mod:`taskdesk.config`, where they
are re-exported; this module is the one place that declares the fields, their defaults,
their documentation and their constraints.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from taskdesk import paths
from taskdesk.config import BUILTIN_THEMES, ENV_PREFIX

if TYPE_CHECKING:
    from taskdesk.domain.urgency import UrgencyWeights


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
