"""User text is data, never markup.

Titles, notes, names and tags reach the screen only through these helpers: they strip
terminal control characters and return objects that Textual will not parse as markup
(``[@click=app.quit]`` in a title must stay four harmless words on the screen).
"""

from __future__ import annotations

from rich.text import Text

from taskdesk.domain.text import clean_line


def plain(text: str | None, style: str = "") -> Text:
    """A one-line Rich ``Text`` for tables: cleaned, never parsed as markup."""
    return Text(clean_line(text or ""), style=style, no_wrap=True, overflow="ellipsis")
