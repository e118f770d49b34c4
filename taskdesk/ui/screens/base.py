"""What every full screen of taskdesk shares: the mode bar, a status line, the footer,
and a clear message instead of a broken layout when the terminal is too small."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from taskdesk.ui.widgets.mode_bar import ModeBar

if TYPE_CHECKING:
    from taskdesk.ui.app import TaskDeskApp


def display_location(location: str) -> str:
    """The store's place as people write it: ``~/…`` under the home directory."""
    home = str(Path.home())
    if location.startswith(home + os.sep):
        return "~" + location[len(home) :]
    return location


#: Below this size the screens cannot show a useful layout.
MIN_WIDTH = 60
MIN_HEIGHT = 16

#: What the footer shows: (key, description, enabled, tooltip) of each shown binding.
FooterKeys = tuple[tuple[str, str, bool, str], ...]


class QuietFooter(Footer):
    """Textual's footer, re-composed only when the keys it shows change.

    Why: Textual re-composes the footer on every bindings update (focus moves, a card
    selected, a dialog closed), and a re-composed footer makes the screen lay out and
    repaint every line: about 18 KB written at 120×40, several times while the app starts
    (issue 5). Most updates change nothing the footer shows; those are skipped.
    """

    def __init__(self, *, compact: bool = False) -> None:
        super().__init__(compact=compact)
        self._scheduled: FooterKeys | None = None

    def shown_keys(self) -> FooterKeys:
        """The bindings the footer would show now, and whether each is enabled."""
        palette = self.app.COMMAND_PALETTE_BINDING
        return tuple(
            (binding.key, binding.description, enabled, tooltip)
            for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or key == palette
        )

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Re-compose (as Footer does) unless the keys shown are the ones composed last."""
        will_compose = screen.app.app_focus and self.is_attached and screen is self.screen
        if will_compose:
            keys = self.shown_keys()
            if keys == self._scheduled:
                return
            self._scheduled = keys
        super().bindings_changed(screen)


class TaskDeskScreen(Screen[None]):
    """Base for the mode screens: subclasses implement ``compose_body`` and ``reload``."""

    MODE = "work"
    SCREEN_NUMBER = 1

    @property
    def tapp(self) -> TaskDeskApp:
        """The app, typed (screens need its store, gate and settings)."""
        from taskdesk.ui.app import TaskDeskApp

        assert isinstance(self.app, TaskDeskApp)
        return self.app

    def compose(self) -> ComposeResult:
        """Mode bar, the screen's body, the status line and the footer."""
        from taskdesk.ui.app import MODE_SCREENS

        store = self.tapp.store
        yield ModeBar(
            mode=self.MODE,
            screens=MODE_SCREENS[self.MODE],
            current=self.SCREEN_NUMBER,
            where=f"{store.actor} @ {display_location(store.location)}",
            id="mode-bar",
        )
        yield from self.compose_body()
        yield Static("", id="status-line", markup=False)
        yield QuietFooter(compact=True)
        yield Static("", id="too-small", markup=False)

    def compose_body(self) -> ComposeResult:
        """The screen's own widgets."""
        yield from ()

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
