"""The report's charts as inline SVG, drawn with matplotlib (the optional ``report`` extra).

matplotlib rather than hand-made SVG: axes, ticks, legends, label fitting
and text as paths are what a plotting library is for, and a person reads
its charts without surprises. It costs about 120 MB installed (with numpy,
Pillow and fontTools) and 0.2-0.4 s to import, so it is imported only when
an HTML report is asked for, never by other commands, and without pyplot
(its global state and GUI backends are not needed).

Each chart is ``(svg text, None)`` or ``(None, reason)``: without
matplotlib the report says so, and still gives every figure as a table.
The SVG carries its text as paths, has no external reference, and the same
counts give the same bytes (no date, a fixed id salt).
"""

from __future__ import annotations

import io

WIDTH = 7.5  # inches; 96 dpi in a browser: about 720 px
BAR = 0.32  # inches per bar in a horizontal bar chart
COLOURS = ("#3b6ea5", "#e0823d", "#5a9e5a", "#c94c4c", "#8a6bb8", "#8c6d5c", "#d57fbf", "#7f7f7f", "#b5b83c", "#3cb5c2")


def available() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def _figure(height: float):
    import matplotlib

    matplotlib.rcParams["svg.hashsalt"] = "spor"  # ids in the SVG are the same from run to run
    matplotlib.rcParams["svg.fonttype"] = "path"  # text as paths: no font needed where the report is read
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH, max(height, 1.6)))
    FigureCanvasSVG(figure)
    return figure


def _svg(figure, title: str) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Title": title}, bbox_inches="tight")
    text = buffer.getvalue()
    start = text.find("<svg")  # drop the XML declaration and doctype: the SVG sits inside HTML
    return text[start:].replace("<svg ", f'<svg role="img" aria-label="{_attr(title)}" ', 1)


def _attr(text: str) -> str:
    from html import escape

    return escape(text, quote=True)


def bars(title: str, labels: list, values: list) -> str:
    """A horizontal bar chart, the largest at the top, each bar labelled with its count."""
    figure = _figure(0.6 + BAR * len(labels))
    axes = figure.add_subplot()
    positions = list(range(len(labels)))[::-1]
    axes.barh(positions, values, color=COLOURS[0])
    axes.set_yticks(positions, [_short(label) for label in labels])
    for y, value in zip(positions, values):
        axes.annotate(f"{value:,}", (value, y), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
    axes.set_title(title, loc="left", fontsize=11)
    axes.spines[["top", "right"]].set_visible(False)
    axes.margins(x=0.12)
    return _svg(figure, title)


def stacked(title: str, columns: list, series: dict) -> str:
    """Vertical bars, one per column (a week), stacked by series (an outcome or a side)."""
    figure = _figure(3.4)
    axes = figure.add_subplot()
    bottoms = [0] * len(columns)
    for i, (name, values) in enumerate(series.items()):
        axes.bar(range(len(columns)), values, bottom=bottoms, label=_short(name, 40), color=COLOURS[i % len(COLOURS)])
        bottoms = [b + v for b, v in zip(bottoms, values)]
    axes.set_xticks(
        range(len(columns)),
        columns,
        rotation=30 if len(columns) > 6 else 0,
        ha="right" if len(columns) > 6 else "center",
        fontsize=8,
    )
    axes.set_title(title, loc="left", fontsize=11)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _svg(figure, title)


def grouped(title: str, labels: list, series: dict) -> str:
    """Horizontal bars grouped per label: a question's asked, answered and abandoned side by side."""
    count = len(series)
    figure = _figure(0.6 + BAR * len(labels) * max(count, 1) * 0.8)
    axes = figure.add_subplot()
    height = 0.8 / max(count, 1)
    base = list(range(len(labels)))[::-1]
    for i, (name, values) in enumerate(series.items()):
        axes.barh(
            [b + (count - 1 - i) * height - 0.4 + height / 2 for b in base],
            values,
            height=height,
            label=name,
            color=COLOURS[i % len(COLOURS)],
        )
    axes.set_yticks(base, [_short(label) for label in labels])
    axes.set_title(title, loc="left", fontsize=11)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(fontsize=8, frameon=False)
    return _svg(figure, title)


def _short(text, limit: int = 48) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
