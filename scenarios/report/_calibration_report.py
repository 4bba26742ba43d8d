"""The HTML report of ``ccplan calibrate``: each fit against its data, per channel.

Per channel: the table of fits with their confidence intervals; the
Kaplan-Meier survival curve of patience (short abandons, the hang-ups, left
out) with its band and the fitted exponential (beyond the hang-up window);
the handle-time histogram with the exponential and lognormal laws of the
same mean (and cv); the pick-up delay histogram and that of the gaps between
contacts under load; the redial
probability by wait band and the redial delay histogram. The page is built
from :func:`._page.page_html` like the other reports (plotly.js inline once,
fixed figure ids, so the same calibration gives byte-identical text).
"""

from __future__ import annotations

import html
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from scipy import stats

from forecasting.behaviour import Calibration

from ._page import _facts_html, _table_html, figure_html, page_html
from ._style import COLOURS, escaped, numbers, rgba

#: Bins of the histograms.
N_BINS = 40
_LABELS = {
    "contacts": "contacts", "answered": "answered", "abandoned": "abandoned",
    "aht_s": "mean handle time (AHT), s", "handle_cv": "handle time cv",
    "handle_p10_s": "handle time 10th percentile, s", "handle_p50_s": "handle time median, s",
    "handle_p90_s": "handle time 90th percentile, s",
    "hang_up_share": "instant hang-ups (short abandons beyond those expected of patient "
                     "callers), share of contacts",
    "mean_patience_s": "mean patience (exponential, censored MLE), s",
    "naive_mean_patience_s": "naive: mean wait of the abandoned, s (biased, for comparison)",
    "pickup_delay_mean_s": "mean pick-up delay (answers by an idle agent), s",
    "after_contact_gap_mean_s": "mean gap from end of contact to next answer, that contact "
                                "waiting (pick-up delay + after-call work), s",
    "redial_probability": "redial probability after an abandon",
    "redial_delay_mean_s": "mean delay from abandon to redial, s",
}


#: The fits a scenario file takes (``ccplan calibrate``'s snippet), in the headline table.
HEADLINE = ("aht_s", "mean_patience_s", "hang_up_share", "redial_probability")


def _cell(value: float, unit: str, *, minutes: bool = False) -> str:
    """A fit's value in its unit; with ``minutes``, durations of 2 min and more also in min."""
    if unit == "s" and minutes and math.isfinite(value) and value >= 120:
        return f"{value:,.1f} s ({value / 60:.1f} min)"
    if not math.isfinite(value):
        return "n/a" if math.isnan(value) else "inf"
    if unit == "share":
        return f"{100 * value:.2f}%"
    if unit == "count":
        return f"{value:,.0f}"
    if unit == "ratio":
        return f"{value:.2f}"
    return f"{value:,.1f}"


def _fits_table(fits: pd.DataFrame) -> str:
    rows = []
    for fit in fits.itertuples():
        ci = ("" if math.isnan(fit.low) else
              f"[{_cell(fit.low, fit.unit)}, {_cell(fit.high, fit.unit)}]")
        rows.append([_LABELS.get(fit.quantity, fit.quantity),
                     _cell(fit.value, fit.unit, minutes=True), ci,
                     f"{fit.n:,}", f"{fit.events:,}" if fit.events else ""])
    return _table_html(["quantity", "value", "confidence interval", "n", "events"], rows,
                       [False, True, True, True, True])


def _with_ci(fit) -> str:
    value = _cell(fit.value, fit.unit, minutes=True)
    if math.isnan(fit.low):
        return value
    return f"{value} [{_cell(fit.low, fit.unit)}, {_cell(fit.high, fit.unit)}]"


def _headline_table(fits: pd.DataFrame, level: float) -> str:
    """Per channel, the fits a scenario file takes, each with its confidence interval."""
    rows = []
    for channel, part in fits.groupby("channel", sort=False):
        found = {fit.quantity: fit for fit in part.itertuples()}
        contacts = found.get("contacts")
        rows.append([str(channel), "n/a" if contacts is None else _cell(contacts.value, "count"),
                     *(_with_ci(found[q]) if q in found else "not estimated" for q in HEADLINE)])
    header = ["channel", "contacts", "mean handle time (AHT)", "mean patience",
              "instant hang-ups, share of contacts", "redial probability after an abandon"]
    return (f'<p class="note">Values with their {100 * level:g}% confidence intervals; the '
            "tables below give every fit, its sample size and events.</p>"
            + _table_html(header, rows, [False] + [True] * 5))


def _layout(fig: go.Figure, title: str, x_title: str, y_title: str) -> go.Figure:
    fig.update_layout(title=html.escape(title), xaxis_title=x_title, yaxis_title=y_title,
                      template="plotly_white", height=420, legend={"orientation": "h", "y": -0.2})
    return fig


def _survival_figure(curve: pd.DataFrame, mean_s: float, within_s: float,
                     name: str) -> go.Figure:
    fig = go.Figure()
    times = np.concatenate([[0.0], curve["time_s"].to_numpy(float)])
    survival = np.concatenate([[1.0], curve["survival"].to_numpy(float)])
    low = np.concatenate([[1.0], curve["survival_low"].to_numpy(float)])
    high = np.concatenate([[1.0], curve["survival_high"].to_numpy(float)])
    fig.add_trace(go.Scatter(x=numbers(times), y=numbers(high), mode="lines", line_shape="hv",
                             line={"width": 0}, showlegend=False, hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=numbers(times), y=numbers(low), mode="lines", line_shape="hv",
                             line={"width": 0}, fill="tonexty", fillcolor=rgba(COLOURS[0], 0.2),
                             name="Greenwood band"))
    fig.add_trace(go.Scatter(x=numbers(times), y=numbers(survival), mode="lines",
                             line_shape="hv", line={"color": COLOURS[0]},
                             name="Kaplan-Meier (abandons observed, answers censored)"))
    if math.isfinite(mean_s) and times.size > 1:
        grid = np.linspace(0.0, float(times.max()), 200)
        fitted = np.exp(-np.maximum(grid - within_s, 0.0) / mean_s)
        fig.add_trace(go.Scatter(x=numbers(grid), y=numbers(fitted),
                                 mode="lines", line={"color": COLOURS[1], "dash": "dash"},
                                 name=f"exponential beyond {within_s:g} s, mean {mean_s:.0f} s"))
    return _layout(fig, f"{name}: patience, P(patience > t)", "wait t, s", "survival")


def _histogram(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    top = float(np.percentile(values, 99)) if values.size else 1.0
    edges = np.linspace(0.0, max(top, 1.0), N_BINS + 1)
    counts, _ = np.histogram(np.clip(values, 0.0, edges[-1]), bins=edges)
    density = counts / (values.size * np.diff(edges)) if values.size else counts.astype(float)
    return edges, (edges[:-1] + edges[1:]) / 2, density


def _histogram_figure(values: np.ndarray, title: str, x_title: str, colour: str) -> go.Figure:
    edges, mids, density = _histogram(values)
    fig = go.Figure(go.Bar(x=numbers(mids), y=numbers(density), width=float(np.diff(edges)[0]),
                           marker_color=rgba(colour, 0.6),
                           name=f"data ({values.size:,}; the last bin holds the top 1%)"))
    return _layout(fig, title, x_title, "density, 1/s")


def _handle_figure(values: np.ndarray, name: str) -> go.Figure:
    fig = _histogram_figure(values, f"{name}: handle time", "handle time, s", COLOURS[2])
    mean, sd = float(values.mean()), float(values.std(ddof=1)) if values.size > 1 else 0.0
    edges, _, _ = _histogram(values)
    grid = np.linspace(edges[0], edges[-1], 200)
    fig.add_trace(go.Scatter(x=numbers(grid), y=numbers(stats.expon.pdf(grid, scale=mean)),
                             mode="lines", line={"color": COLOURS[1], "dash": "dash"},
                             name=f"exponential, mean {mean:.0f} s"))
    if sd > 0:
        sigma2 = math.log1p((sd / mean) ** 2)
        pdf = stats.lognorm.pdf(grid, s=math.sqrt(sigma2), scale=mean * math.exp(-sigma2 / 2))
        fig.add_trace(go.Scatter(x=numbers(grid), y=numbers(pdf), mode="lines",
                                 line={"color": COLOURS[3]},
                                 name=f"lognormal, mean {mean:.0f} s, cv {sd / mean:.2f}"))
    return fig


def _bands_figure(bands: pd.DataFrame, name: str) -> go.Figure:
    # "redials of abandons" under each band's name (a bar of zero has no room for text)
    labels = [f"{f'<= {b:g} s' if math.isfinite(b) else 'longer'}<br>{r} of {a} redialled"
              for b, r, a in zip(bands["wait_up_to_s"], bands["redials"], bands["abandons"],
                                 strict=True)]
    p = bands["probability"].to_numpy(float)
    fig = go.Figure(go.Bar(
        x=labels, y=numbers(p), marker_color=rgba(COLOURS[4], 0.7), name="redial probability",
        error_y={"type": "data", "symmetric": False,
                 "array": numbers(bands["probability_high"].to_numpy(float) - p),
                 "arrayminus": numbers(p - bands["probability_low"].to_numpy(float))}))
    fig.update_yaxes(tickformat=".0%")
    return _layout(fig, f"{name}: redial probability by wait before abandoning",
                   "wait before abandoning", "probability")


def calibration_report_html(calibration: Calibration, *, source: str,
                            facts: list[tuple[str, str]] | None = None) -> str:
    """The ``ccplan calibrate`` report: each fit against its data, per channel.

    Parameters
    ----------
    calibration : forecasting.behaviour.Calibration
        What ``forecasting.behaviour.calibrate`` returned.
    source : str
        The calls file, for the title.
    facts : list of (str, str), optional
        More label-value lines for the header (rows read, bad rows skipped).

    Returns
    -------
    str
        A complete HTML page with plotly.js inline once.
    """
    settings = calibration.settings
    body = [f"<h1>Calibration of {html.escape(source)}</h1>",
            "<h2>What was fitted</h2>", _headline_table(calibration.fits, settings["level"]),
            "<h2>The data and the settings</h2>",
            _facts_html([*(facts or []),
                         ("hang-up: abandoned within", f"{settings['hang_up_within_s']:g} s"),
                         ("redial: same customer within", f"{settings['redial_window_s']:g} s"),
                         ("idle gap counted up to", f"{settings['max_idle_gap_s']:g} s"),
                         ("confidence level", f"{100 * settings['level']:g}%")])]
    body += [f'<p class="note">{html.escape(note)}</p>' for note in calibration.notes]
    samples = calibration.samples
    for k, name in enumerate(escaped(calibration.fits["channel"].unique())):
        raw = calibration.fits["channel"].unique()[k]
        fits = calibration.fits[calibration.fits["channel"] == raw]
        body += [f"<h2>Channel {name}</h2>", _fits_table(fits)]

        def kind(what: str, channel: str = raw) -> np.ndarray:
            return samples.loc[(samples["channel"] == channel) & (samples["kind"] == what),
                               "value_s"].to_numpy(float)

        curve = calibration.survival[calibration.survival["channel"] == raw]
        mean = fits.loc[fits["quantity"] == "mean_patience_s", "value"]
        figures = [_survival_figure(curve, float(mean.iloc[0]) if len(mean) else math.nan,
                                    settings["hang_up_within_s"], name)]
        if kind("handle_s").size:
            figures.append(_handle_figure(kind("handle_s"), name))
        if kind("pickup_delay_s").size:
            figures.append(_histogram_figure(
                kind("pickup_delay_s"), f"{name}: pick-up delay (waits answered while idle)",
                "delay, s", COLOURS[5]))
        if kind("after_contact_gap_s").size:
            figures.append(_histogram_figure(
                kind("after_contact_gap_s"),
                f"{name}: gap from end of contact to the next answer, that contact waiting",
                "gap, s", COLOURS[6]))
        bands = calibration.redial_bands[calibration.redial_bands["channel"] == raw]
        if len(bands):
            figures.append(_bands_figure(bands, name))
        if kind("redial_delay_s").size:
            figures.append(_histogram_figure(kind("redial_delay_s"),
                                             f"{name}: delay from abandon to redial",
                                             "delay, s", COLOURS[4]))
        body += [figure_html(fig, f"calibration-{k}-{i}") for i, fig in enumerate(figures)]
    return page_html(f"Calibration of {source}", body)
