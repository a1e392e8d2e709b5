"""Small charts for the manager's report, as inline SVG: bars, this period's bars beside the previous
period's, and a sparkline. Pure functions: figures in, :class:`output.Svg` out.

A report is printed and handed over, so a chart is black and grey on white, of a fixed size, and
writes every figure beside its bar (it is never the only place a figure is: the report's tables say
the same). Labels come from people (a name, a category, a root cause) and are escaped here with
``output.html_text``; nothing else goes into the markup: no script, no event attribute, no link or
reference to anything outside, no ``foreignObject``. Each chart is ``role="img"`` with a ``<title>``
that a screen reader names it by.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .output import Svg, html_text, shorten

WIDTH = 640
LABEL_WIDTH = 210  # the label column; the bars start after it
VALUE_WIDTH = 90  # the figures, right of the bars
BAR_LEFT = LABEL_WIDTH
BAR_WIDTH = WIDTH - LABEL_WIDTH - VALUE_WIDTH
LABEL_CHARS = 32  # a longer label is cut with an ellipsis (the table beside the chart has it whole)
TOP = 24  # the chart's visible title
ROW = 18  # one bar
PAIR_ROW = 24  # two bars, this period's over the previous one's
NOW_FILL, BEFORE_FILL, RULE = "#000", "#999", "#555"
FONT = 'font-family="sans-serif" font-size="11" fill="#000"'
SPARK_HEIGHT = 60

Show = Callable[[float | None], str]


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}%"


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    high: float | None = 100.0,
    show: Show = percent,
) -> Svg:
    """One bar per label, from 0 to ``high`` (None: the largest value), each with its figure."""
    top = _top(high, values)
    height = TOP + ROW * len(labels) + 4
    parts = [_label(label, TOP + ROW * i + 12) for i, label in enumerate(labels)]
    for i, value in enumerate(values):
        y = TOP + ROW * i
        parts.append(_bar(0.0, top, value, y + 3, 12, NOW_FILL))
        parts.append(_value(show(value), y + 12))
    return _svg(title, height, [*parts, _axis(TOP, height - 2, 0.0, top)])


def paired_bars(
    title: str,
    labels: Sequence[str],
    now: Sequence[float | None],
    before: Sequence[float | None],
    *,
    low: float = 0.0,
    high: float | None = 100.0,
    show: Show = percent,
    names: tuple[str, str] = ("This period", "Previous period"),
) -> Svg:
    """Two bars per label, this period's (black) over the previous period's (grey), on one scale from
    ``low`` to ``high`` (None: the largest value); a scale below zero (NPS) draws bars from zero."""
    top = _top(high, [*now, *before])
    legend = TOP + 14
    height = legend + PAIR_ROW * len(labels) + 4
    parts = [
        f'<rect x="{BAR_LEFT}" y="{TOP}" width="10" height="8" fill="{NOW_FILL}"/>',
        f'<text x="{BAR_LEFT + 14}" y="{TOP + 8}" {FONT}>{html_text(names[0])}</text>',
        f'<rect x="{BAR_LEFT + 130}" y="{TOP}" width="10" height="8" fill="{BEFORE_FILL}"/>',
        f'<text x="{BAR_LEFT + 144}" y="{TOP + 8}" {FONT}>{html_text(names[1])}</text>',
    ]
    for i, label in enumerate(labels):
        y = legend + PAIR_ROW * i
        parts.append(_label(label, y + 15))
        parts.append(_bar(low, top, now[i], y + 3, 9, NOW_FILL))
        parts.append(_bar(low, top, before[i], y + 13, 9, BEFORE_FILL))
        parts.append(_value(f"{show(now[i])} / {show(before[i])}", y + 15))
    return _svg(title, height, [*parts, _axis(legend, height - 2, low, top)])


def sparkline(title: str, values: Sequence[float | None], *, low: float = 0.0, high: float | None = None) -> Svg:
    """Values in order (a period's days) as a line, with its lowest and highest figures written at the
    side; a missing value breaks the line."""
    top = _top(high, values)
    inner = SPARK_HEIGHT - 8
    width = WIDTH - VALUE_WIDTH
    step = width / max(len(values) - 1, 1)
    runs: list[list[str]] = [[]]
    for i, value in enumerate(values):
        if value is None:
            runs.append([])
            continue
        share = (min(max(value, low), top) - low) / ((top - low) or 1)
        runs[-1].append(f"{i * step:.1f},{TOP + 4 + inner * (1 - share):.1f}")
    parts = [
        f'<polyline points="{" ".join(run)}" fill="none" stroke="{NOW_FILL}" stroke-width="1.5"/>'
        for run in runs
        if len(run) > 1
    ]
    parts += [
        f'<circle cx="{run[0].split(",")[0]}" cy="{run[0].split(",")[1]}" r="1.5" fill="{NOW_FILL}"/>'
        for run in runs
        if len(run) == 1
    ]
    known = [v for v in values if v is not None]
    said = f"lowest {min(known):g}, highest {max(known):g}" if known else "nothing measured"
    parts.append(f'<line x1="0" y1="{TOP + 4 + inner}" x2="{width}" y2="{TOP + 4 + inner}" stroke="{RULE}"/>')
    parts.append(f'<text x="{width + 6}" y="{TOP + 4 + inner}" {FONT}>{html_text(said)}</text>')
    return _svg(title, TOP + SPARK_HEIGHT, parts)


# -- drawing ---------------------------------------------------------------------------------------------
def _svg(title: str, height: int, parts: list[str]) -> Svg:
    name = html_text(title)
    body = "".join(parts)
    return Svg(
        f'<svg width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" role="img">'
        f'<title>{name}</title><rect width="{WIDTH}" height="{height}" fill="#fff"/>'
        f'<text x="0" y="14" font-family="sans-serif" font-size="12" font-weight="bold" fill="#000">{name}</text>'
        f"{body}</svg>"
    )


def _top(high: float | None, values: Sequence[float | None]) -> float:
    if high is not None:
        return high
    return max([1.0, *(v for v in values if v is not None)])


def _x(value: float, low: float, high: float) -> float:
    share = (min(max(value, low), high) - low) / ((high - low) or 1)
    return BAR_LEFT + BAR_WIDTH * share


def _bar(low: float, high: float, value: float | None, y: int, height: int, fill: str) -> str:
    if value is None:
        return ""
    zero = _x(min(max(0.0, low), high), low, high)
    end = _x(value, low, high)
    left, width = min(zero, end), abs(end - zero)
    return f'<rect x="{left:.1f}" y="{y}" width="{max(width, 0.5):.1f}" height="{height}" fill="{fill}"/>'


def _axis(first: int, last: int, low: float, high: float) -> str:
    """The zero line (the scale's left end when it does not reach below zero)."""
    x = _x(min(max(0.0, low), high), low, high)
    return f'<line x1="{x:.1f}" y1="{first}" x2="{x:.1f}" y2="{last}" stroke="{RULE}"/>'


def _label(label: str, y: int) -> str:
    return f'<text x="0" y="{y}" {FONT}>{html_text(shorten(label, LABEL_CHARS))}</text>'


def _value(text: str, y: int) -> str:
    return f'<text x="{BAR_LEFT + BAR_WIDTH + 6}" y="{y}" {FONT}>{html_text(text)}</text>'
