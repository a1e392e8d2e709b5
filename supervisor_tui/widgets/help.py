"""Help for the screen on show (F1, or ? outside a text box): every key it answers to with what it
does, the keys that work everywhere, and what the screen's marks and letters mean.

It is built from the bindings themselves (with the person's own keymap applied), never from a list
kept by hand, so a key added to a screen is in its help the moment it exists; the footer shows the
most-used keys and this shows all of them. A screen with marks to explain (the rota's position
letters, Quality's month column) has a ``legend()`` giving (mark, meaning) pairs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Protocol, runtime_checkable

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from .text import plain

if TYPE_CHECKING:
    from textual.app import App

SECTION_PREFIX = "section."  # the app's section keys have ids "section.team", "section.shifts", …


@runtime_checkable
class HasLegend(Protocol):
    def legend(self) -> list[tuple[str, str]]:
        """(mark, what it means) for each mark, letter or column the screen uses."""
        ...


@dataclass(frozen=True)
class KeyHelp:
    """One binding as help shows it."""

    id: str
    keys: str  # as the person presses them, after their keymap: "y / enter"
    what: str  # the binding's short description, as in the footer
    detail: str  # its tooltip: what it does, in a sentence
    in_footer: bool


def own_bindings(owner: type[DOMNode]) -> list[Binding]:
    """The bindings a class declares with an id (every one of ours has one), its bases' included,
    the nearest first, each id once."""
    found: dict[str, Binding] = {}
    for cls in owner.__mro__:
        declared: Iterable[BindingType] = cls.__dict__.get("BINDINGS", ())
        for binding in declared:
            if isinstance(binding, Binding) and binding.id and binding.id not in found:
                found[binding.id] = binding
    return list(found.values())


def key_help(bindings: Iterable[Binding], keymap: Mapping[str, str], app: App) -> list[KeyHelp]:
    """Each binding with the keys that press it now (a keymap entry replaces the binding's own)."""
    out = []
    for binding in bindings:
        keys = keymap.get(binding.id or "", binding.key)
        shown = " / ".join(_key_name(app, key.strip()) for key in keys.split(","))
        out.append(KeyHelp(binding.id or "", shown, binding.description, binding.tooltip or "", binding.show))
    return out


def _key_name(app: App, key: str) -> str:
    """A key as the footer shows it, but ctrl spelled out: help is read, not glanced at."""
    shown = app.get_key_display(Binding(key, ""))
    return f"ctrl+{shown[1:]}" if shown.startswith("^") and len(shown) > 1 else shown


@dataclass(frozen=True)
class HelpGroup:
    title: str
    keys: list[KeyHelp]


def help_groups(screen: Screen, app: App, keymap: Mapping[str, str]) -> list[HelpGroup]:
    """The screen's keys, then those of the widgets on it that have their own (a search box), then the
    keys that work everywhere (on a dialog, only those that reach past it: help and quit)."""
    groups = [HelpGroup("Keys on this screen", key_help(own_bindings(type(screen)), keymap, app))]
    seen: set[type] = set()
    for widget in screen.query("*"):
        kind = type(widget)
        if kind in seen:
            continue
        seen.add(kind)
        bindings = own_bindings(kind)
        if bindings:
            groups.append(HelpGroup(getattr(kind, "HELP_GROUP", kind.__name__), key_help(bindings, keymap, app)))
    everywhere = [b for b in own_bindings(type(app)) if b.priority or not screen.is_modal]
    palette = [] if screen.is_modal or not app.ENABLE_COMMAND_PALETTE else [_palette_binding(app)]
    groups.append(HelpGroup("Everywhere", _one_line_for_sections(key_help([*everywhere, *palette], keymap, app))))
    return [g for g in groups if g.keys]


def _one_line_for_sections(keys: list[KeyHelp]) -> list[KeyHelp]:
    """The section keys in one line ("1 Team · 2 Shifts …"), not one line each, where they are."""
    sections = [k for k in keys if k.id.startswith(SECTION_PREFIX)]
    if len(sections) < 2:
        return keys
    line = KeyHelp(
        "sections",
        " ".join(k.keys for k in sections),
        "Go to a section",
        " · ".join(f"{k.keys} {k.what}" for k in sections),
        False,
    )
    first = keys.index(sections[0])
    rest = [k for k in keys if k not in sections]
    return [*rest[:first], line, *rest[first:]]


def _help_keys(app: App) -> list[Binding]:
    """The app's own help keys that reach a dialog (F1): pressed again, they close the help."""
    return [b for b in own_bindings(type(app)) if b.action == "help" and b.priority]


def _palette_binding(app: App) -> Binding:
    return Binding(
        app.COMMAND_PALETTE_BINDING,
        "command_palette",
        "Palette",
        id="app.palette",
        tooltip="The command palette: jump to any person or record by name or number, change the theme, "
        "seal closed records",
    )


def help_table(groups: list[HelpGroup], legend: list[tuple[str, str]]) -> Group:
    """The whole help as literal text: a heading per group, then two columns (a wrapped line stays in
    its own column), a line per key; then the legend."""
    width = max([len(k.keys) for g in groups for k in g.keys] + [len(mark) for mark, _ in legend] + [1])
    parts: list[RenderableType] = []

    def rows(title: str, pairs: list[tuple[Text, Text]]) -> None:
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True, width=width)
        table.add_column(ratio=1)
        for pair in pairs:
            table.add_row(*pair)
        parts.extend([Text(title, style="bold underline"), table, Text("")])

    for group in groups:
        rows(
            group.title,
            [(plain(k.keys, "bold"), Text.assemble(plain(k.what, "bold"), *_detail(k))) for k in group.keys],
        )
    if legend:
        rows("Marks", [(plain(mark, "bold"), plain(meaning)) for mark, meaning in legend])
    return Group(*parts[:-1])


def _detail(key: KeyHelp) -> tuple[Text, ...]:
    if not key.detail or key.detail == key.what:
        return ()
    return (Text(": "), plain(key.detail))


def help_lines(groups: list[HelpGroup], legend: list[tuple[str, str]]) -> str:
    """The same help as plain lines, one a key (for tests and for reading it back)."""
    lines = []
    for group in groups:
        lines += [group.title, *(f"{k.keys}  {k.what}: {k.detail}" for k in group.keys)]
    return "\n".join(lines + [f"{mark}  {meaning}" for mark, meaning in legend])


class HelpScreen(ModalScreen[None]):
    """The help for the screen under it, scrollable at 80x24."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen #help-box { width: 78; max-width: 100%; height: 100%; max-height: 40; border: round $primary;
                           background: $surface; padding: 0 1; }
    HelpScreen #help-title { height: auto; text-style: bold; }
    HelpScreen #help-body { height: 1fr; }
    HelpScreen #help-body:focus { background-tint: $foreground 5%; }
    HelpScreen #help-hint { height: 1; color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close", id="help.close", tooltip="Close the help"),
    ]

    def __init__(self, title: str, groups: list[HelpGroup], legend: list[tuple[str, str]], closes: str = "esc"):
        super().__init__()
        self.help_title = title
        self.groups = groups
        self.legend = legend
        self.closes = closes  # the keys that close it, as the person presses them

    @classmethod
    def about(cls, screen: Screen, title: str, keymap: Mapping[str, str]) -> HelpScreen:
        """The help for ``screen``, as it is now."""
        legend = screen.legend() if isinstance(screen, HasLegend) else []
        closes = " / ".join(k.keys for k in key_help([*own_bindings(cls), *_help_keys(screen.app)], keymap, screen.app))
        return cls(title, help_groups(screen, screen.app, keymap), legend, closes)

    @property
    def text(self) -> str:
        """Everything the help says, as plain lines."""
        return help_lines(self.groups, self.legend)

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(plain(self.help_title, "bold"), id="help-title")
            with VerticalScroll(id="help-body"):
                yield Static(help_table(self.groups, self.legend), id="help-text")
            yield Static(plain(f"↑↓ PgUp PgDn scroll · {self.closes} closes"), id="help-hint")

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
