"""A small self-contained SVG line chart for the docs (no plotting dependency)."""

from __future__ import annotations

from pathlib import Path


def line_chart(path: Path, title: str, x_labels: list[str], lines: list[dict], *,
               y_label: str, x_label: str, y_max: float = 1.0, percent: bool = True,
               right: dict | None = None, legend_at: tuple[float, float] | None = None,
               width: int = 900, height: int = 420) -> None:
    """Write a line chart.

    ``lines``: dicts with ``values``, ``label``, ``colour`` and optional ``dash``
    and ``band`` (a (low, high) pair of value lists drawn as a shaded area).
    ``right``: one more line on its own right axis (``values``, ``label``,
    ``colour``, ``axis_label``). ``legend_at``: legend position as fractions of
    the x range and of the y range; ``None`` puts the legend below the chart.
    """
    w, h, left, rgt, top, bottom = width, height, 70, 70, 50, 60
    n_entries = len(lines) + (right is not None)
    total_h = h if legend_at is not None else h + 16 * n_entries + 10
    n = len(x_labels)

    def x(i):
        return left + i * (w - left - rgt) / max(n - 1, 1)

    def y(v):
        return top + (1.0 - v / y_max) * (h - top - bottom)

    def points(values, fy):
        return " ".join(f"{x(i):.1f},{fy(v):.1f}" for i, v in enumerate(values))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{total_h}" '
        'font-family="sans-serif" font-size="12">',
        f'<rect width="{w}" height="{total_h}" fill="white"/>',
        f'<text x="{w / 2}" y="22" text-anchor="middle" font-size="15">{title}</text>',
    ]
    for line in lines:
        if "band" in line:
            low, high = line["band"]
            poly = points(high, y) + " " + " ".join(
                f"{x(i):.1f},{y(v):.1f}" for i, v in reversed(list(enumerate(low))))
            parts.append(f'<polygon points="{poly}" fill="{line["colour"]}" '
                         'fill-opacity="0.2"/>')
    if right is not None:
        r_max = max(right["values"]) * 1.1 or 1.0

        def yr(v):
            return top + (1.0 - v / r_max) * (h - top - bottom)

        parts.append(f'<polyline points="{points(right["values"], yr)}" fill="none" '
                     f'stroke="{right["colour"]}" stroke-width="1.5"/>')
        for k in range(4):
            v = r_max * k / 4
            parts.append(f'<text x="{w - rgt + 8}" y="{yr(v) + 4:.1f}">{v:.0f}</text>')
        parts.append(f'<text x="{w - 18}" y="{h / 2}" transform="rotate(90 {w - 18} {h / 2})" '
                     f'text-anchor="middle">{right["axis_label"]}</text>')
        parts.append(f'<line x1="{w - rgt}" x2="{w - rgt}" y1="{top}" y2="{h - bottom}" '
                     'stroke="black"/>')
    for line in lines:
        parts.append(f'<polyline points="{points(line["values"], y)}" fill="none" '
                     f'stroke="{line["colour"]}" stroke-width="2" '
                     f'stroke-dasharray="{line.get("dash", "")}"/>')
    parts += [
        f'<line x1="{left}" x2="{left}" y1="{top}" y2="{h - bottom}" stroke="black"/>',
        f'<line x1="{left}" x2="{w - rgt}" y1="{h - bottom}" y2="{h - bottom}" stroke="black"/>',
    ]
    for k in range(6):
        v = y_max * k / 5
        text = f"{v:.0%}" if percent else f"{v:.3g}"
        parts.append(f'<text x="{left - 8}" y="{y(v) + 4:.1f}" text-anchor="end">{text}</text>')
    step = max(1, n // 12)
    for i in range(0, n, step):
        parts.append(f'<text x="{x(i):.1f}" y="{h - bottom + 18}" text-anchor="middle">'
                     f'{x_labels[i]}</text>')
    parts += [
        f'<text x="{w / 2}" y="{h - 15}" text-anchor="middle">{x_label}</text>',
        f'<text x="18" y="{h / 2}" transform="rotate(-90 18 {h / 2})" text-anchor="middle">'
        f'{y_label}</text>',
    ]
    entries = [(ln["colour"], ln["label"], ln.get("dash", "")) for ln in lines]
    if right is not None:
        entries.append((right["colour"], right["label"], ""))
    if legend_at is None:
        x0, y0 = left, h + 8
    else:
        x0 = left + legend_at[0] * (w - left - rgt)
        y0 = y(legend_at[1] * y_max)
    for k, (colour, label, dash) in enumerate(entries):
        yy = y0 + 16 * k
        parts.append(f'<line x1="{x0}" x2="{x0 + 24}" y1="{yy}" y2="{yy}" stroke="{colour}" '
                     f'stroke-width="2" stroke-dasharray="{dash}"/>')
        parts.append(f'<text x="{x0 + 30}" y="{yy + 4}">{label}</text>')
    parts.append("</svg>")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts) + "\n")
