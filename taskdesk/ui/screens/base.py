"""What every full screen of taskdesk shares: the mode bar, a status line, the footer,
and a clear message instead of a broken layout when the terminal is too small."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import App, ComposeResult
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Static

from taskdesk.ui.widgets.key_line import KeyLine
from taskdesk.ui.widgets.mode_bar import ModeBar

if TYPE_CHECKING:
    from taskdesk.ui.app import TaskDeskApp


def display_location(location: str) -> str:
    """The store's place as people write it: ``~/…`` under the home directory."""
    home = str(Path.home())
    if location.startswith(home + os.sep):
        return "~" + location[len(home) :]
    return location


def add_default_css(app: App[Any], classes: Iterable[type[DOMNode]]) -> None:
    """Add the ``DEFAULT_CSS`` of ``classes`` (and of their bases) to the app's stylesheet.

    Why: Textual adds a widget class's default CSS when its first instance mounts, and
    every addition after the stylesheet was parsed means parsing every source again;
    after the first screen is styled its parse cache is empty, so the Board's widgets
    mounting cost a third full parse at start-up (issue 5: ~25 ms). Added before the
    first screen, they are parsed with everything else. The entries are exactly those
    Textual would add (same place, priority and scope), so adding them again later is a
    no-op. ``tests/ui/test_startup.py`` checks that nothing is left to add after start-up.
    """
    for cls in classes:
        holder = SimpleNamespace(_node_bases=cls._css_bases(cls))
        for read_from, css, tie_breaker, scope in DOMNode._get_default_css(holder):  # type: ignore[arg-type]
            app.stylesheet.add_source(
                css,
                read_from=read_from,
                is_default_css=True,
                tie_breaker=tie_breaker,
                scope=scope,
            )


#: Below this size the screens cannot show a useful layout.
MIN_WIDTH = 60
MIN_HEIGHT = 16


class TaskDeskScreen(Screen[None]):
    """Base for the mode screens: subclasses implement ``compose_body`` and ``reload``."""

    MODE = "work"
    SCREEN_NUMBER = 1
    #: The widget classes the screen composes (their CSS can be added ahead: see
    #: :func:`add_default_css`); subclasses add their own.
    WIDGETS: ClassVar[tuple[type[DOMNode], ...]] = (ModeBar, Static, KeyLine)

    @property
    def tapp(self) -> TaskDeskApp:
        """The app, typed (screens need its store, gate and settings)."""
        from taskdesk.ui.app import TaskDeskApp

        assert isinstance(self.app, TaskDeskApp)
        return self.app

    def compose(self) -> ComposeResult:
        """Mode bar, the screen's body, the status line and the footer."""
        from taskdesk.ui.app import MODE_SCREENS

        place = self.tapp.place  # (the store itself may still be opening)
        yield ModeBar(
            mode=self.MODE,
            screens=MODE_SCREENS[self.MODE],
            current=self.SCREEN_NUMBER,
            where=f"{place.actor} @ {display_location(place.location)}",
            id="mode-bar",
        )
        yield from self.compose_body()
        yield Static("", id="status-line", markup=False)
        yield KeyLine()
        yield Static("", id="too-small", markup=False)

    def compose_body(self) -> ComposeResult:
        """The screen's own widgets."""
        yield from ()

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        """Restyle a screen coming back only if the app's CSS changed while it was away.

        Why: Textual restyles every widget of a resumed screen, and a ``DataTable``
        answers by dropping all its render caches and drawing every visible row anew:
        about 20 ms on each return to the portfolio (issue 5: ``m`` and ``1``). The
        styles cannot have changed unless the theme or the stylesheet did, which Textual
        counts (``_css_update_count``: the app's, and the one each screen was last
        styled at). Textual's own handler runs after this one (handlers run down the
        class hierarchy) and does the rest of the resume as usual.
        """
        current = self.app._css_update_count
        if self._css_update_count == current:
            event.refresh_styles = False
        elif event.refresh_styles and self.is_attached:
            self._css_update_count = current  # Textual's handler restyles it next

    def reload(self) -> None:
        """Re-read what the screen shows from the store."""

    def set_status(self, text: str | Content) -> None:
        """Show one line of news under the body (what happened, limits exceeded)."""
        self.query_one("#status-line", Static).update(text)

    def on_resize(self) -> None:
        """Say what is wrong instead of drawing a broken layout in a tiny terminal."""
        width, height = self.app.size
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        notice = self.query_one("#too-small", Static)
        notice.display = small
        if small:
            notice.update(
                f"taskdesk needs at least {MIN_WIDTH}×{MIN_HEIGHT} characters; "
                f"this terminal is {width}×{height}. Make it larger (q quits)."
            )
