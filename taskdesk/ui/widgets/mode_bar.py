"""The top line: which mode you are in, the screens of that mode, and whose store this is."""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

from taskdesk.domain.text import clean_line


class ModeBar(Widget):
    """Shows ``Work | Project`` (current one bold and bracketed) and the numbered screens.

    Screens that are not built yet are listed dim, so the user learns the layout of the
    product; the current one is bracketed (not only coloured).
    """

    DEFAULT_CSS = """
    ModeBar { height: 1; background: $panel; color: $text; }
    """

    def __init__(
        self,
        *,
        mode: str,
        screens: list[tuple[str, str | None]],
        current: int,
        where: str,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.mode = mode
        self.screens = screens
        self.current = current
        self.where = where

    def render(self) -> Content:
        """Assemble the line from styled parts (user text never parsed as markup)."""
        parts: list[str | tuple[str, str]] = [(" taskdesk ", "bold reverse")]
        for key, title in (("work", "Work"), ("project", "Project")):
            if key == self.mode:
                parts.append((f" [{title}] ", "bold"))
            else:
                parts.append((f"  {title}  ", "dim"))
        parts.append(("│", "dim"))
        for number, (title, name) in enumerate(self.screens, start=1):
            if number == self.current:
                parts.append((f" [{number} {title}]", "bold"))
            elif name is None:
                parts.append((f" {number} {title}", "dim"))
            else:
                parts.append(f" {number} {title}")
        parts.append(("  │ ", "dim"))
        parts.append((clean_line(self.where), "italic"))
        return Content.assemble(*parts)
