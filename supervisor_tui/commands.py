"""Command palette: jump to any person or record by name or id, or to a section."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from .output import visible
from .widgets.text import literal

if TYPE_CHECKING:
    from .app import SupervisorApp


SEAL = literal("Seal closed records")
SEAL_HELP = literal("Move last year's closed records into a read-only segment (shows what first)")
AUDIT = literal("Audit log")
AUDIT_HELP = literal("Every change in the record, newest first: who, what, before -> after, why (L)")
REPORT = literal("Team report")
REPORT_HELP = literal("The manager's report: KPIs, quality, complaints, rota, one-to-ones, improvement (r on Today)")


class RecordFinder(Provider):
    @property
    def _app(self) -> SupervisorApp:
        return cast("SupervisorApp", self.app)

    async def discover(self) -> Hits:
        # Hits and their help are Content, never str: the palette reads a str as markup, and a name
        # such as '[link=...]' in the list would stop ctrl+p from opening for everyone. (Textual types
        # ``help`` as str but draws it with Content.from_markup, which keeps a Content as it is.)
        for mode, title, _key in self._app.SECTIONS:
            yield DiscoveryHit(
                literal(f"Go to {title}"),
                partial(self._app.switch_mode, mode),
                help=literal(f"The {title} section"),  # type: ignore[arg-type]  # Textual: help is str|Content
            )
        yield DiscoveryHit(AUDIT, self._app.action_audit_log, help=AUDIT_HELP)  # type: ignore[arg-type]
        yield DiscoveryHit(REPORT, self._app.action_report, help=REPORT_HELP)  # type: ignore[arg-type]
        if not self._app.records.store.read_only:
            yield DiscoveryHit(SEAL, self._app.action_seal_closed, help=SEAL_HELP)  # type: ignore[arg-type]
        for target in self._app.records.search_targets()[:40]:
            yield DiscoveryHit(
                literal(target.text),
                partial(self._app.open_target, target),
                help=literal(target.help),  # type: ignore[arg-type]  # Textual: help is str|Content
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for mode, title, _key in self._app.SECTIONS:
            text = f"Go to {title}"
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score,
                    literal_highlight(matcher, text),
                    partial(self._app.switch_mode, mode),
                    help=literal(f"The {title} section"),  # type: ignore[arg-type]  # Textual: help is str|Content
                )
        score = matcher.match(AUDIT.plain)
        if score > 0:
            yield Hit(
                score,
                literal_highlight(matcher, AUDIT.plain),
                self._app.action_audit_log,
                help=AUDIT_HELP,  # type: ignore[arg-type]  # Textual: help is str|Content
            )
        score = matcher.match(REPORT.plain)
        if score > 0:
            yield Hit(
                score,
                literal_highlight(matcher, REPORT.plain),
                self._app.action_report,
                help=REPORT_HELP,  # type: ignore[arg-type]  # Textual: help is str|Content
            )
        score = matcher.match(SEAL.plain)
        if score > 0 and not self._app.records.store.read_only:
            yield Hit(
                score,
                literal_highlight(matcher, SEAL.plain),
                self._app.action_seal_closed,
                help=SEAL_HELP,  # type: ignore[arg-type]  # Textual: help is str|Content
            )
        for target in self._app.records.search_targets():
            score = matcher.match(target.text)
            if score > 0:
                yield Hit(
                    score,
                    literal_highlight(matcher, target.text),
                    partial(self._app.open_target, target),
                    help=literal(target.help),  # type: ignore[arg-type]  # Textual: help is str|Content
                )


def literal_highlight(matcher: Matcher, text: str) -> Content:
    """Like ``Matcher.highlight`` but never reads the text as markup: names people typed such as
    '[bold]Zoe[/]' are listed exactly as typed (Textual's own highlight parses them as markup)."""
    text = visible(text)  # a name with an ESC or a bell in it shows them as \\x1b, \\x07
    content = Content(text)
    _score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    for offset in offsets:
        if not text[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
