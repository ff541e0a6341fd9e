"""Plain HTML inputs for a chart's Vega controls, usable before Vega has loaded.

A chart with controls (sliders, selectors: Vega signals bound to inputs) is published as its
static drawing followed by these plain inputs, one per bound signal, with the same labels,
ranges, options and start values as Vega's own. A reader can move them at once; the first
touch of the figure loads Vega (``book/_static/atlas-charts.js``), which redraws the chart,
applies the values the reader set meanwhile and puts its own inputs in their place. The page
itself therefore loads no chart library, however many controls it shows.
"""

from __future__ import annotations

from html import escape


def _number(value: float) -> str:
    """A start value as shown beside a slider: at most 4 significant digits."""
    return f"{float(value):.4g}"


def _attr(value: object) -> str:
    """A number as an HTML attribute value (integers without a trailing .0)."""
    return escape(repr(value) if isinstance(value, float) else str(value))


def _control(signal: dict) -> str:
    bind, name, value = signal["bind"], signal["name"], signal.get("value")
    label = f'<span class="vega-bind-name">{escape(bind.get("name") or name)}</span>'
    data = f'data-signal="{escape(name)}"'
    if bind.get("input") == "range":
        attrs = " ".join(
            f'{key}="{_attr(bind[key])}"' for key in ("min", "max", "step") if key in bind
        )
        return (
            f"<label>{label}"
            f'<input type="range" {data} {attrs} value="{_attr(value)}">'
            f"<output>{escape(_number(value))}</output></label>"
        )
    if bind.get("input") in {"select", "radio"}:
        options = []
        for option in bind.get("options", []):
            text, selected = escape(str(option)), " selected" if option == value else ""
            options.append(f'<option value="{text}"{selected}>{text}</option>')
        return f"<label>{label}<select {data}>{''.join(options)}</select></label>"
    raise ValueError(f"signal {name!r}: no plain input for a {bind.get('input')!r} binding")


def static_controls(spec: dict) -> str:
    """Return plain inputs for every bound signal of a compiled Vega spec ('' if none)."""
    bound = [s for s in spec.get("signals", []) if isinstance(s.get("bind"), dict)]
    if not bound:
        return ""
    rows = "".join(f'<div class="vega-bind">{_control(s)}</div>' for s in bound)
    return f'<div class="atlas-static-controls">{rows}</div>'
