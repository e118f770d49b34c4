"""What every full screen of taskdesk shares: the mode bar, a status line, the footer,
and a clear message instead of a broken layout when the terminal is too small."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.content import Content
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


#: Below this size the screens cannot show a useful layout.
MIN_WIDTH = 60
MIN_HEIGHT = 16


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
        yield KeyLine()
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
