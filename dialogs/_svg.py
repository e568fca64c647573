"""A dependency-free SVG drawing of a flow (no Graphviz binary needed): states in columns by
their distance from the initial state, arrows for transitions, guards as edge titles.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any, Protocol

__all__ = ["render_svg"]


class Flow(Protocol):
    """What a drawing needs of a flow (dialogs.engine.Flow has it)."""

    @property
    def name(self) -> str: ...
    @property
    def initial(self) -> str: ...
    @property
    def states(self) -> Sequence[str]: ...
    @property
    def endings(self) -> Sequence[str]: ...
    @property
    def transitions(self) -> Sequence[dict[str, Any]]: ...

_W, _H, _GAP_X, _GAP_Y = 190, 34, 60, 18


def _layers(flow: Flow) -> dict[str, int]:
    depth = {flow.initial: 0}
    todo = [flow.initial]
    while todo:
        here = todo.pop(0)
        for t in flow.transitions:
            if t["source"] == here and t["dest"] not in depth:
                depth[t["dest"]] = depth[here] + 1
                todo.append(t["dest"])
    for state in flow.states:
        depth.setdefault(state, max(depth.values(), default=0) + 1)
    return depth


def render_svg(flow: Flow) -> str:
    """The flow as a standalone SVG document."""
    depth = _layers(flow)
    rows: dict[int, int] = {}
    pos: dict[str, tuple[int, int]] = {}
    for state in flow.states:
        col = depth[state]
        row = rows.get(col, 0)
        rows[col] = row + 1
        pos[state] = (20 + col * (_W + _GAP_X), 20 + row * (_H + _GAP_Y))
    width = 40 + (max(depth.values()) + 1) * (_W + _GAP_X)
    height = 40 + max(rows.values()) * (_H + _GAP_Y)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="12">',
           '<defs><marker id="a" markerWidth="8" markerHeight="8" refX="8" refY="4" '
           'orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#555"/></marker></defs>',
           f"<title>{escape(flow.name)}</title>"]
    for t in flow.transitions:
        (x1, y1), (x2, y2) = pos[t["source"]], pos[t["dest"]]
        guards = [*t.get("conditions", []), *(f"not {g}" for g in t.get("unless", []))]
        out.append(f'<line x1="{x1 + _W}" y1="{y1 + _H // 2}" x2="{x2}" y2="{y2 + _H // 2}" '
                   f'stroke="#888" marker-end="url(#a)"><title>{escape(" & ".join(guards))}'
                   "</title></line>")
    for state, (x, y) in pos.items():
        fill = "#fde2d4" if state in flow.endings else "#eef3fb"
        stroke = 2 if state == flow.initial else 1
        out.append(f'<rect x="{x}" y="{y}" width="{_W}" height="{_H}" rx="8" fill="{fill}" '
                   f'stroke="#335" stroke-width="{stroke}"/>')
        out.append(f'<text x="{x + _W // 2}" y="{y + _H // 2 + 4}" text-anchor="middle">'
                   f"{escape(state)}</text>")
    out.append("</svg>")
    return "\n".join(out) + "\n"
