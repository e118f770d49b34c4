"""The command palette (ctrl+p): every action of the current screen, by name, and
"jump to" any item, area or project.

Actions come from the live bindings, so the palette and the keys can never disagree.
Item titles are user text: they are shown as plain ``Content`` (never parsed as markup).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from taskdesk.domain.filters import Filter
from taskdesk.domain.model import Container, Item
from taskdesk.domain.text import clean_line

if TYPE_CHECKING:
    from taskdesk.store import Store
    from taskdesk.ui.app import TaskDeskApp

#: Hide these from the palette: they only make sense as keys.
KEY_ONLY = {"cursor", "page", "cursor_end", "command_palette"}


def _jump_candidates(store: Store, query: str) -> tuple[list[Item], list[Container]]:
    words = tuple(w for w in query.split() if w)
    items = store.list_items(Filter(words=words, include_closed=True), limit=15) if words else []
    lowered = query.lower().strip()
    containers = [c for c in store.containers() if lowered in c.name.lower()]
    return items, containers


class TaskDeskCommands(Provider):
    """Actions by name plus jump-to-item/project."""

    @property
    def tapp(self) -> TaskDeskApp:
        """The app, typed."""
        from taskdesk.ui.app import TaskDeskApp

        assert isinstance(self.app, TaskDeskApp)
        return self.app

    def _actions(self) -> list[tuple[str, str, Callable[[], object]]]:
        """(name, help, callback) for each action bound on the screen below the palette."""
        screen = self.screen
        seen: set[str] = set()
        found: list[tuple[str, str, Callable[[], object]]] = []
        for key, active in screen.active_bindings.items():
            binding = active.binding
            name = binding.action.split("(")[0]
            if name in KEY_ONLY or binding.action in seen or not binding.description:
                continue
            seen.add(binding.action)
            run = partial(self.app.run_action, binding.action, active.node)
            found.append((binding.tooltip or binding.description, f"key: {key}", run))
        found.append(
            ("Switch mode (Work ↔ Project)", "key: m", partial(self.app.run_action, "toggle_mode"))
        )
        return found

    async def discover(self) -> Hits:
        """Shown before typing: every action."""
        for name, help_text, run in self._actions():
            yield DiscoveryHit(Content(name), run, text=name, help=help_text)

    async def search(self, query: str) -> Hits:
        """Fuzzy-match actions, then items and projects from the store."""
        matcher = self.matcher(query)
        for name, help_text, run in self._actions():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, Content(name), run, text=name, help=help_text)
        if len(query.strip()) < 2:
            return
        items, containers = await self.tapp.ask_store(lambda store: _jump_candidates(store, query))
        for container in containers:
            label = f"Board: show {clean_line(container.name)}"
            yield Hit(
                0.9,
                Content(label),
                partial(self._scope_to, container),
                text=label,
                help=f"jump to {container.kind.value}",
            )
        for item in items:
            label = f"#{item.id} {clean_line(item.title)}"
            yield Hit(
                0.8,
                Content(label),
                partial(self._jump_to, item.id),
                text=label,
                help=f"jump to item · {item.status}",
            )

    def _jump_to(self, item_id: int) -> None:
        """Select the item on the Board (switching to Work mode if needed)."""
        app = self.tapp
        app.selected_item_id = item_id
        if app.current_mode != "work":
            app.switch_mode("work")
            return
        reload = getattr(app.screen, "reload", None)
        if callable(reload):
            reload(keep=item_id, widen_scope=True)

    def _scope_to(self, container: Container) -> None:
        app = self.tapp
        if app.current_mode != "work":
            app.switch_mode("work")
        set_scope = getattr(app.screen, "set_scope", None)
        if callable(set_scope):
            set_scope(container)
