"""Server-side SVG charts for the staff dashboard: no JavaScript, no network, one string each.

Values are plain numbers; labels are escaped. The SVG scales with its container (viewBox).
"""

from collections.abc import Sequence
from html import escape

PALETTE = ["#1677ff", "#52c41a", "#fa8c16", "#eb2f96", "#722ed1", "#13c2c2"]


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def line_chart(
    labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], *, width=560, height=180, unit=""
) -> str:
    """Lines over shared x labels (e.g. the last 30 days). `series` is [(name, values), …]."""
    pad_l, pad_r, pad_t, pad_b = 40, 10, 10, 36
    plot_w, plot_h = width - pad_l - pad_r, height - pad_t - pad_b
    top = _nice_max(max((v for _, values in series for v in values), default=0))
    n = max(len(labels), 1)

    def x(i):
        return pad_l + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v):
        return pad_t + plot_h - plot_h * (v / top)

    parts = [_open(width, height)]
    for frac in (0, 0.5, 1):
        gy = y(top * frac)
        parts.append(f'<line x1="{pad_l}" y1="{gy:.1f}" x2="{width - pad_r}" y2="{gy:.1f}" stroke="#eee"/>')
        parts.append(_text(pad_l - 4, gy + 4, _fmt(top * frac) + unit, anchor="end"))
    for i, label in enumerate(labels):
        if i in (0, n - 1) or (n > 2 and i == n // 2):
            parts.append(_text(x(i), height - pad_b + 16, label, anchor="middle"))
    for k, (name, values) in enumerate(series):
        color = PALETTE[k % len(PALETTE)]
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{points}"/>')
        parts.append(_legend(pad_l + k * 110, height - 6, name, color))
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(items: Sequence[tuple[str, float]], *, width=560, height=180, unit="") -> str:
    """Vertical bars, one per (label, value)."""
    pad_l, pad_r, pad_t, pad_b = 40, 10, 14, 30
    plot_w, plot_h = width - pad_l - pad_r, height - pad_t - pad_b
    top = _nice_max(max((v for _, v in items), default=0))
    n = max(len(items), 1)
    slot = plot_w / n
    bar_w = min(48, slot * 0.6)
    parts = [_open(width, height)]
    parts.append(f'<line x1="{pad_l}" y1="{pad_t + plot_h}" x2="{width - pad_r}" y2="{pad_t + plot_h}" stroke="#ccc"/>')
    for i, (label, value) in enumerate(items):
        h = plot_h * (value / top)
        bx = pad_l + slot * i + (slot - bar_w) / 2
        color = PALETTE[i % len(PALETTE)]
        parts.append(
            f'<rect x="{bx:.1f}" y="{pad_t + plot_h - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{color}"/>'
        )
        parts.append(_text(bx + bar_w / 2, pad_t + plot_h - h - 3, _fmt(value) + unit, anchor="middle"))
        parts.append(_text(bx + bar_w / 2, height - pad_b + 16, label, anchor="middle"))
    parts.append("</svg>")
    return "".join(parts)


def _open(width, height) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'style="width:100%;height:auto;font:11px sans-serif">'
    )


def _text(x, y, text, *, anchor="start") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="#666">{escape(str(text))}</text>'


def _legend(x, y, name, color) -> str:
    return f'<rect x="{x}" y="{y - 8}" width="10" height="10" fill="{color}"/>' + _text(x + 14, y + 1, name)


def _fmt(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() or abs(value) >= 10 else f"{value:.1f}"
