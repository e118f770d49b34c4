"""The bottom line of every screen: the keys that work here, drawn as one widget.

Why not Textual's ``Footer``: it is a container with one child widget per key and it is
re-composed (every child unmounted and mounted again) whenever the screen's bindings are
updated, and a re-composed child makes the whole screen lay out and repaint. While the
app starts that happened three times, and once more on every screen switch and dialog
(issue 5: 60–80 ms and ~18 KB each time at 120×40). This line is one widget with a fixed
height: when the keys change it repaints its own row, and when they do not it does
nothing at all.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from textual import events
from textual.content import Content
from textual.screen import Screen
from textual.style import Style
from textual.widget import Widget


class ShownKey(NamedTuple):
    """One key as the line shows it."""

    key: str  # what simulate_key presses when the key is clicked
    display: str  # how the key is written ("^p", "enter", "?")
    description: str
    enabled: bool


def shown_keys(screen: Screen[object]) -> tuple[tuple[ShownKey, ...], ShownKey | None]:
    """The keys to show for ``screen`` (one per action), and the palette key apart."""
    app = screen.app
    palette_key = app.COMMAND_PALETTE_BINDING if app.ENABLE_COMMAND_PALETTE else None
    keys: list[ShownKey] = []
    actions: set[str] = set()
    palette: ShownKey | None = None
    for key, (_node, binding, enabled, _tooltip) in screen.active_bindings.items():
        shown = ShownKey(binding.key, app.get_key_display(binding), binding.description, enabled)
        if key == palette_key:
            palette = shown
        elif binding.show and binding.action not in actions:
            actions.add(binding.action)
            keys.append(shown)
    return tuple(keys), palette


class KeyLine(Widget):
    """Keys and what they do, on one line; the command palette's key at the right."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-line--key", "key-line--description"}
    DEFAULT_CSS = """
    KeyLine {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        text-overflow: clip;
        & > .key-line--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-line--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.keys: tuple[ShownKey, ...] = ()
        self.palette: ShownKey | None = None
        #: Column ranges of each key on the line, for clicks: (start, end, key).
        self._spans: list[tuple[int, int, str]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self.bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Repaint this one row, and only when what it shows changed."""
        if screen is not self.screen:
            return
        keys, palette = shown_keys(screen)
        if (keys, palette) != (self.keys, self.palette):
            self.keys, self.palette = keys, palette
            self.refresh()

    def render(self) -> Content:
        """The keys from the left, clipped to the width; the palette key on the right."""
        key_style = self.get_visual_style("key-line--key")
        text_style = self.get_visual_style("key-line--description")
        right = self._part(self.palette, key_style, text_style) if self.palette else None
        room = self.size.width - (right.cell_length + 1 if right else 0)
        line = Content("")
        spans: list[tuple[int, int, str]] = []
        for shown in self.keys:
            part = self._part(shown, key_style, text_style)
            start = line.cell_length + (1 if spans else 0)
            if start + part.cell_length > room:
                break
            line = (line.pad_right(1) if spans else line) + part
            spans.append((start, start + part.cell_length, shown.key))
        if right is not None and self.palette is not None:
            start = self.size.width - right.cell_length
            spans.append((start, self.size.width, self.palette.key))
            line = line.pad_right(max(0, start - line.cell_length)) + right
        self._spans = spans
        return line

    @staticmethod
    def _part(shown: ShownKey, key_style: Style, text_style: Style) -> Content:
        """``key description``: the key bold, the pair dim when the key is disabled."""
        part = Content.assemble((shown.display, key_style), (f" {shown.description}", text_style))
        return part if shown.enabled else part.stylize("dim")

    def on_click(self, event: events.Click) -> None:
        """A click on a key presses it (as Textual's footer does)."""
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return
