#!/usr/bin/env python3
"""Draws the convergence curves recorded in Benchmarks/README.md as an SVG chart (no plotting library needed).

Reads every markdown table whose header is `| NAME: TOOL s | gap | TOOL s | gap |` (the form that
aequilibrae_compare.py --curves writes and the README keeps) from the given markdown file, and draws one panel per
table: each tool's own relative gap on a log10 axis against seconds from the start of its assignment on a log10 axis
(the two tools differ by two orders of magnitude in time). Rows whose gap is `—` (no gap before the first iteration)
are skipped.

    python3 reference/convergence_svg.py README.md convergence.svg
"""
import math
import re
import sys

COLOURS = ["#1f77b4", "#d62728"]


def tables(markdown):
    """Yields (network, [(tool, [(seconds, gap), ...]), ...]) for each two-tool curve table."""
    lines = markdown.splitlines()
    for i, line in enumerate(lines):
        m = re.match(r"^\| (.+?): (.+?) s \| gap \| (.+?) s \| gap \|$", line)
        if not m:
            continue
        network, tools = m.group(1), [m.group(2), m.group(3)]
        points = [[], []]
        for row in lines[i + 2:]:
            if not row.startswith("|"):
                break
            cells = [c.strip() for c in row.strip("|").split("|")]
            for k in range(2):
                t, g = cells[2 * k], cells[2 * k + 1]
                if t and g and g != "—":
                    points[k].append((float(t), float(g)))
        yield network, list(zip(tools, points))


def panel(network, curves, x0, width=420, height=300):
    left, top, right, bottom = 60, 30, 15, 45
    pw, ph = width - left - right, height - top - bottom
    ts = [t for _, pts in curves for t, _ in pts]
    gs = [g for _, pts in curves for _, g in pts]
    tx = (math.floor(math.log10(min(ts))), math.ceil(math.log10(max(ts))))
    gy = (math.floor(math.log10(min(gs))), math.ceil(math.log10(max(gs))))

    def x(t):
        return x0 + left + pw * (math.log10(t) - tx[0]) / (tx[1] - tx[0])

    def y(g):
        return top + ph * (gy[1] - math.log10(g)) / (gy[1] - gy[0])

    out = [f'<text x="{x0 + left + pw / 2}" y="18" text-anchor="middle" font-weight="bold">{network}</text>',
           f'<rect x="{x0 + left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#888"/>']
    for e in range(tx[0], tx[1] + 1):
        out.append(f'<line x1="{x(10 ** e)}" y1="{top}" x2="{x(10 ** e)}" y2="{top + ph}" stroke="#eee"/>')
        out.append(f'<text x="{x(10 ** e)}" y="{top + ph + 15}" text-anchor="middle">1e{e}</text>')
    step = max(1, (gy[1] - gy[0]) // 8)
    for e in range(gy[0], gy[1] + 1, step):
        out.append(f'<line x1="{x0 + left}" y1="{y(10 ** e)}" x2="{x0 + left + pw}" y2="{y(10 ** e)}" stroke="#eee"/>')
        out.append(f'<text x="{x0 + left - 5}" y="{y(10 ** e) + 4}" text-anchor="end">1e{e}</text>')
    out.append(f'<line x1="{x0 + left}" y1="{y(1e-6)}" x2="{x0 + left + pw}" y2="{y(1e-6)}" stroke="#999" '
               'stroke-dasharray="4 3"/>')
    out.append(f'<text x="{x0 + left + pw / 2}" y="{top + ph + 32}" text-anchor="middle">seconds (log scale)</text>')
    for k, (tool, pts) in enumerate(curves):
        path = " ".join(f"{x(t):.1f},{y(g):.1f}" for t, g in pts)
        out.append(f'<polyline points="{path}" fill="none" stroke="{COLOURS[k]}" stroke-width="2"/>')
        for t, g in pts:
            out.append(f'<circle cx="{x(t):.1f}" cy="{y(g):.1f}" r="2.5" fill="{COLOURS[k]}"/>')
        out.append(f'<text x="{x0 + left + pw - 5}" y="{top + 15 + 15 * k}" text-anchor="end" '
                   f'fill="{COLOURS[k]}">{tool}</text>')
    return out


def main(source, target):
    found = list(tables(open(source, encoding="utf-8").read()))
    if not found:
        sys.exit(f"{source}: no convergence table (| NAME: TOOL s | gap | TOOL s | gap |) found")
    width, height = 420 * len(found), 300
    body = []
    for i, (network, curves) in enumerate(found):
        body += panel(network, curves, 420 * i)
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
           'font-size="11">', f'<rect width="{width}" height="{height}" fill="white"/>', *body,
           '<text x="5" y="160" transform="rotate(-90 12 160)" text-anchor="middle">relative gap</text>', "</svg>"]
    open(target, "w", encoding="utf-8").write("\n".join(svg) + "\n")
    print(f"wrote {target}: {len(found)} panels ({', '.join(n for n, _ in found)})")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: convergence_svg.py SOURCE.md TARGET.svg")
    main(sys.argv[1], sys.argv[2])
