"""One function per chart: a tidy frame in, a :class:`plotly.graph_objects.Figure` out.

The functions only draw. Each takes the frame a metrics or activity function returns
(:func:`~outreach_analytics.funnel`, :func:`~outreach_analytics.rates`,
:func:`~outreach_analytics.analysis.activity.daily_activity`...) and never changes it. Every
figure uses the project template ``"outreach"``, registered with plotly when this module
is imported: white background, a readable system font and the colour-blind-safe
Okabe–Ito palette. No figure needs MathJax or any other external resource.

Examples
--------
>>> import plotly.io as pio
>>> from outreach_analytics import load, rates, sample_path
>>> "outreach" in pio.templates
True
>>> fig = rates_chart(rates(load(sample_path()), by="channel", as_of="2026-11-15"))
>>> fig.layout.template.layout.font.size
14
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

from ..analysis.activity import COST_COLUMNS, STAGE_NODES
from ..analysis.stats import SMALL_SAMPLE
from .tables import fmt_p_best

__all__ = [
    "OKABE_ITO",
    "TEMPLATE",
    "funnel_chart",
    "rates_chart",
    "pitches_per_win_chart",
    "activity_calendar",
    "weekly_goal_chart",
    "rejections_chart",
    "outcome_sankey",
    "cohort_chart",
    "cost_per_win_chart",
    "time_to_response_chart",
    "follow_up_lift_chart",
]

#: The Okabe–Ito palette (Okabe & Ito 2008), readable with every common colour-vision
#: deficiency, in the order traces take it.
OKABE_ITO: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "bluish_green": "#009E73",
    "vermillion": "#D55E00",
    "sky_blue": "#56B4E9",
    "reddish_purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
#: The name of the project template.
TEMPLATE = "outreach"

_FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
_BLUE = OKABE_ITO["blue"]
_LIGHT_BLUE = "#99C7E0"  # the blue mixed 40/60 with white: small samples
_GREEN = OKABE_ITO["bluish_green"]
_ORANGE = OKABE_ITO["orange"]
_RED = OKABE_ITO["vermillion"]
_SKY = OKABE_ITO["sky_blue"]
_GREY = "#8C8C8C"
_EMPTY = "#EBEDF0"
_METRIC_NAMES = {"response": "Response rate", "interview": "Interview rate", "win": "Win rate"}
_METRIC_VERBS = {"response": "answered", "interview": "to interviews", "win": "to wins"}
_STAGE_LABELS = {
    "sent": "Sent (settled)",
    "responded": "Responded",
    "interview": "Interview",
    "offer": "Offer",
    "won": "Won",
}
_WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


#: The trace types the charts draw: of plotly_white's per-trace defaults the template keeps
#: these only. Every figure carries a copy of its template, validated on the way in, and
#: plotly_white styles 24 trace types: the other 21 cost each figure time and 3 KB.
_TRACE_TYPES = ("bar", "scatter", "heatmap")


def _register_template() -> None:
    white = pio.templates["plotly_white"].to_plotly_json()
    white["data"] = {k: v for k, v in white["data"].items() if k in _TRACE_TYPES}
    base = go.layout.Template(white)
    base.layout.update(
        font={"family": _FONT, "size": 14, "color": "#222222"},
        colorway=list(OKABE_ITO.values()),
        paper_bgcolor="white",
        plot_bgcolor="white",
        # titles start at the figure's left edge, not the plot's: long axis labels push the plot
        # right, and a title aligned with it would be cut at notebook width
        title={
            "font": {"size": 18},
            "x": 0.0,
            "xanchor": "left",
            "xref": "container",
            "pad": {"l": 12},
        },
        hoverlabel={"font": {"family": _FONT, "size": 13}},
        # the legend sits on the figure's bottom edge, under the x-axis title whatever the
        # plot's height or width (a legend placed relative to the plot met the title there)
        legend={
            "orientation": "h",
            "yref": "container",
            "yanchor": "bottom",
            "y": 0,
            "xanchor": "left",
            "x": 0,
        },
        margin={"t": 100, "l": 20, "r": 60, "b": 100},
        xaxis={"gridcolor": "#E5E5E5", "zerolinecolor": "#BDBDBD", "automargin": True},
        yaxis={"gridcolor": "#E5E5E5", "zerolinecolor": "#BDBDBD", "automargin": True},
    )
    pio.templates[TEMPLATE] = base


_register_template()


# ---------------------------------------------------------------- helpers (drawing only)


def _check(frame: pd.DataFrame, needed: Sequence[str], arg: str, source: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(
            f"'{arg}' must be a pandas DataFrame (what {source} returns); "
            f"got {type(frame).__name__}."
        )
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise ValueError(
            f"'{arg}' has no column(s) {missing}. Expected the frame {source} returns, with "
            f"columns {list(needed)}; received columns {list(frame.columns)}."
        )


def _keys(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def _labels(frame: pd.DataFrame, keys: list[str], default: str = "All") -> list[str]:
    if not keys:
        return [default] * len(frame)
    return [" · ".join(str(v) for v in row) for row in frame[keys].itertuples(index=False)]


def _words(keys: list[str]) -> str:
    """Column names as words for a title: ``pitch_type`` -> ``pitch type``."""
    return " · ".join(k.replace("_", " ") for k in keys)


def _title(text: str, subtitle: str | None = None) -> dict:
    out: dict = {"text": text}
    if subtitle:
        out["subtitle"] = {"text": subtitle}
    return out


def _short(name: str, width: int = 30) -> str:
    """A segment name cut to fit in a title.

    >>> _short("Freelance platforms and job boards of every kind")
    'Freelance platforms and job b…'
    """
    return name if len(name) <= width else name[: width - 1] + "…"


def _pct(x: float) -> str:
    return "n/a" if pd.isna(x) else f"{x:.0%}"


def _bars_height(n: int) -> int:
    """The height of a horizontal bar chart of ``n`` categories: every label gets its row.

    >>> _bars_height(5), _bars_height(12)
    (450, 552)
    """
    return max(450, 120 + 36 * n)


def _finish(fig: go.Figure, title: dict, **layout) -> go.Figure:
    fig.update_layout(template=TEMPLATE, title=title, **layout)
    return fig


def _error(values: pd.Series, low: pd.Series, high: pd.Series) -> dict:
    return {
        "type": "data",
        "symmetric": False,
        "array": (high - values).to_numpy(dtype=float),
        "arrayminus": (values - low).to_numpy(dtype=float),
        "color": "#444444",
        "thickness": 1.5,
        "width": 4,
    }


def _value_labels(labels: list[str], x, texts: list[str]) -> go.Scatter:
    """The value of each bar, written just right of its error bar."""
    return go.Scatter(
        name="values",
        mode="text",
        y=labels,
        x=np.asarray(x, dtype=float),
        text=[f"  {t}" for t in texts],
        textposition="middle right",
        showlegend=False,
        hoverinfo="skip",
        cliponaxis=False,
    )


def _nothing_yet(title: dict, message: str) -> go.Figure:
    """An empty figure that says why it is empty (a log with nothing to draw yet)."""
    fig = go.Figure()
    fig.add_annotation(
        text=message,
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        showarrow=False,
        font={"size": 16, "color": _GREY},
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _finish(fig, title, height=300)


def _rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


# ---------------------------------------------------------------- funnel


def _funnel_texts(part: pd.DataFrame, *, leak: bool = True) -> list[str]:
    """Each step's text; ``leak``: the offer step also counts interviews with no offer."""
    texts = []
    for stage, conv, lost in zip(
        part["stage"].astype("str"), part["conversion"], part["lost"], strict=True
    ):
        if stage == "sent":
            texts.append("all settled pitches")
            continue
        text = f"{_pct(conv)} of previous"
        if leak and stage == "offer" and pd.notna(lost):
            text += f"<br>interviews with no offer: {int(lost)}"
        texts.append(text)
    return texts


def funnel_chart(funnel_df: pd.DataFrame, *, cols: int = 3) -> go.Figure:
    """The funnel from settled pitch to win, overall or one small funnel per segment.

    Parameters
    ----------
    funnel_df : pandas.DataFrame
        What :func:`outreach_analytics.funnel` returns (``by=None`` or key column(s)).
    cols : int, default 3
        Panels per row when the frame has segments.

    Returns
    -------
    plotly.graph_objects.Figure
        One ``Funnel`` trace per segment (one panel each, on a shared stage axis; a single
        trace without segments). Each step says which share of the step before reached
        it ("42% of previous"). The leak between interview and offer (how many interviews
        brought no offer) is said once: in an annotation on the overall chart, on the
        offer step of each segment's panel.

    Examples
    --------
    >>> from outreach_analytics import funnel, load, sample_path
    >>> fig = funnel_chart(funnel(load(sample_path()), as_of="2026-11-15"))
    >>> list(fig.data[0].y)
    ['Sent (settled)', 'Responded', 'Interview', 'Offer', 'Won']
    >>> fig.data[0].text[1]
    '23% of previous'
    """
    needed = ["stage", "count", "conversion", "lost"]
    _check(funnel_df, needed, "funnel_df", "outreach_analytics.funnel(df, by=...)")
    keys = [c for c in funnel_df.columns if c not in {*needed, "share"}]
    hover = "%{y}: %{x} pitches<br>%{text}<extra>%{fullData.name}</extra>"
    if not keys:
        fig = go.Figure(
            go.Funnel(
                name="All settled pitches",
                y=[_STAGE_LABELS.get(s, s) for s in funnel_df["stage"].astype("str")],
                x=funnel_df["count"].to_numpy(),
                # the leak is said once, in the annotation below
                text=_funnel_texts(funnel_df, leak=False),
                texttemplate="%{value} · %{text}",
                # the widest step has room inside; the others write beside the bar
                textposition=["inside"] + ["outside"] * (len(funnel_df) - 1),
                cliponaxis=False,
                marker={"color": _BLUE},
                connector={"fillcolor": "#DCE9F2"},
                hovertemplate=hover,
            )
        )
        stage = funnel_df["stage"].astype("str")
        offer, interview = funnel_df[stage == "offer"], funnel_df[stage == "interview"]
        if len(offer) and len(interview) and pd.notna(offer["lost"].iloc[0]):
            fig.add_annotation(
                text=(
                    f"Interviews with no offer: {int(offer['lost'].iloc[0])} "
                    f"of {int(interview['count'].iloc[0])}"
                ),
                xref="paper",
                yref="paper",
                x=1.0,
                y=1.0,
                xanchor="right",
                yanchor="bottom",
                showarrow=False,
                font={"color": _RED},
            )
        title = _title(
            "From pitch to win: settled pitches reaching each stage",
            "Settled pitches only; each step: share of the step before",
        )
        fig.update_yaxes(title=None)
        return _finish(fig, title, showlegend=False)

    groups = list(funnel_df.groupby(keys, sort=False))
    if not groups:
        return _nothing_yet(
            _title(f"From pitch to win by {_words(keys)}"), "No settled pitches yet"
        )
    ncols = max(1, min(cols, len(groups)))
    nrows = -(-len(groups) // ncols)
    names = [" · ".join(str(k) for k in key) for key, _ in groups]
    fig = make_subplots(
        rows=nrows,
        cols=ncols,
        shared_yaxes=True,
        subplot_titles=names,
        horizontal_spacing=0.03,
        vertical_spacing=0.12 if nrows > 1 else 0.0,
    )
    for i, ((_, part), name) in enumerate(zip(groups, names, strict=True)):
        fig.add_trace(
            go.Funnel(
                name=name,
                y=[_STAGE_LABELS.get(s, s) for s in part["stage"].astype("str")],
                x=part["count"].to_numpy(),
                text=_funnel_texts(part),
                texttemplate="%{value}<br>%{text}",
                textposition="outside",
                cliponaxis=False,
                textfont={"size": 12},
                marker={"color": _BLUE},
                connector={"fillcolor": "#DCE9F2"},
                hovertemplate=hover,
            ),
            row=i // ncols + 1,
            col=i % ncols + 1,
        )
        # room on the right of each funnel for its texts
        widest = float(part["count"].max()) if len(part) else 1.0
        fig.update_xaxes(
            range=[-0.5 * widest, 1.35 * widest], row=i // ncols + 1, col=i % ncols + 1
        )
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False)
    fig.update_yaxes(title=None)
    title = _title(
        f"From pitch to win by {_words(keys)}: settled pitches reaching each stage",
        "One funnel per segment, each on its own scale; each step: share of the step before",
    )
    return _finish(fig, title, showlegend=False, height=max(420, 300 * nrows + 120))


# ---------------------------------------------------------------- rates


def _rate_traces(
    part: pd.DataFrame, labels: list[str], value: str, *, showlegend: bool, small_name: str
) -> list[go.BaseTraceType]:
    traces = []
    small = part["small_sample"].to_numpy(dtype=bool)
    empty = part[value].isna().to_numpy()
    groups = (
        (~small & ~empty, f"{SMALL_SAMPLE} or more settled pitches", _BLUE, "big"),
        (small & ~empty, small_name, _LIGHT_BLUE, "small"),
    )
    labels_arr = np.asarray(labels, dtype=object)
    for mask, name, colour, group in groups:
        if not mask.any():
            continue
        rows = part[mask]
        traces.append(
            go.Bar(
                name=name,
                legendgroup=group,
                showlegend=showlegend,
                orientation="h",
                y=labels_arr[mask].tolist(),
                x=rows[value].to_numpy(dtype=float),
                error_x=_error(rows[value], rows["ci_low"], rows["ci_high"]),
                marker={"color": colour, "line": {"color": _BLUE, "width": 1}},
                customdata=np.column_stack(
                    [rows["successes"], rows["settled"], rows["ci_low"], rows["ci_high"]]
                ),
                hovertemplate=(
                    "%{y}: %{x:.0%} (%{customdata[0]} of %{customdata[1]} settled)<br>"
                    "95% interval %{customdata[2]:.0%} to %{customdata[3]:.0%}<extra></extra>"
                ),
            )
        )
    if (~empty).any():
        rows = part[~empty]
        traces.append(
            _value_labels(
                labels_arr[~empty].tolist(), rows["ci_high"], [_pct(v) for v in rows[value]]
            )
        )
    if empty.any():
        traces.append(
            go.Scatter(
                name="nothing settled yet",
                legendgroup="empty",
                showlegend=showlegend,
                mode="text",
                y=labels_arr[empty].tolist(),
                x=np.zeros(int(empty.sum())),
                text=["nothing settled yet"] * int(empty.sum()),
                textposition="middle right",
                hoverinfo="skip",
            )
        )
    return traces


def rates_chart(
    rates_df: pd.DataFrame,
    by: str | Sequence[str] | None = "channel",
    metric: str | None = "response",
) -> go.Figure:
    """Response, interview or win rate per segment, sorted, with 95% Wilson intervals.

    Parameters
    ----------
    rates_df : pandas.DataFrame
        What :func:`outreach_analytics.rates` returns for the same ``by``.
    by : str or list of str, default "channel"
        The key column(s) of ``rates_df``.
    metric : {"response", "interview", "win"} or None, default "response"
        The rate to show; ``None`` shows all three side by side (one panel each, the
        segments in the order of the first panel).

    Returns
    -------
    plotly.graph_objects.Figure
        Horizontal bars, highest rate at the top, asymmetric error bars from ``ci_low``
        to ``ci_high``. Segments with fewer than 30 settled pitches (``small_sample``)
        are drawn in a lighter colour in their own legend entry; every label carries its
        ``n=`` settled pitches.

    Examples
    --------
    >>> from outreach_analytics import load, rates, sample_path
    >>> r = rates(load(sample_path()), by="channel", as_of="2026-11-15")
    >>> fig = rates_chart(r, by="channel")
    >>> fig.layout.yaxis.categoryarray[-1]  # the top bar
    'Referral · n=78'
    """
    keys = _keys(by)
    needed = [*keys, "metric", "successes", "settled", "rate", "ci_low", "ci_high", "small_sample"]
    _check(rates_df, needed, "rates_df", "outreach_analytics.rates(df, by=...)")
    metric_names = rates_df["metric"].astype("str")
    valid = list(dict.fromkeys(metric_names)) or list(_METRIC_NAMES)
    wanted = valid if metric is None else [metric]
    for m in wanted:
        if m not in valid:
            raise ValueError(
                f"Value of 'metric' is not a metric of 'rates_df'. Expected one of {valid} "
                f"(or None for all) but received: {metric!r}."
            )
    if rates_df.empty:
        return _nothing_yet(_title("Rates by segment"), "No settled pitches yet")
    small_name = f"fewer than {SMALL_SAMPLE} settled: wide interval, read with care"
    first = rates_df[(metric_names == wanted[0]).to_numpy()]
    first = first.sort_values("rate", na_position="first", kind="stable")
    labels = [
        f"{s} · n={int(n)}" for s, n in zip(_labels(first, keys), first["settled"], strict=True)
    ]
    order = labels  # bottom to top: highest rate on top
    key_of = dict(zip(_labels(first, keys), labels, strict=True))
    seg = _words(keys) if keys else "segment"
    if metric is not None:
        fig = go.Figure(_rate_traces(first, labels, "rate", showlegend=True, small_name=small_name))
        top = first.dropna(subset=["rate"])
        lead = f": highest for {_short(_labels(top.tail(1), keys)[0])}" if len(top) > 1 else ""
        title = _title(
            f"{_METRIC_NAMES.get(metric, metric)} by {seg}{lead} (95% interval)",
            f"Share of settled pitches that got {_METRIC_VERBS.get(metric, metric)}; "
            f"light bars: fewer than {SMALL_SAMPLE} settled",
        )
        fig.update_xaxes(tickformat=".0%", rangemode="tozero", title=None)
        fig.update_yaxes(categoryorder="array", categoryarray=order, title=None, ticksuffix="  ")
        return _finish(fig, title, bargap=0.3, height=_bars_height(len(order)))

    fig = make_subplots(
        rows=1,
        cols=len(wanted),
        shared_yaxes=True,
        horizontal_spacing=0.07,
        subplot_titles=[_METRIC_NAMES.get(m, m) for m in wanted],
    )
    for col, m in enumerate(wanted, start=1):
        part = rates_df[(metric_names == m).to_numpy()]
        part_labels = [key_of.get(lab, lab) for lab in _labels(part, keys)]
        for trace in _rate_traces(
            part, part_labels, "rate", showlegend=col == 1, small_name=small_name
        ):
            fig.add_trace(trace, row=1, col=col)
    fig.update_xaxes(tickformat=".0%", rangemode="tozero", title=None)
    fig.update_yaxes(categoryorder="array", categoryarray=order, title=None, ticksuffix="  ")
    title = _title(
        f"Response, interview and win rates by {seg} (95% interval)",
        f"Over settled pitches; light bars: fewer than {SMALL_SAMPLE} settled",
    )
    return _finish(fig, title, bargap=0.3, height=_bars_height(len(order)))


# ---------------------------------------------------------------- pitches per win


def _no_win_trace(labels: list[str], texts: list[str], name: str) -> go.Scatter:
    return go.Scatter(
        name=name,
        mode="markers+text",
        y=labels,
        x=np.zeros(len(labels)),
        text=texts,
        textposition="middle right",
        marker={"symbol": "line-ns-open", "size": 14, "color": _GREY, "line": {"width": 2}},
        hovertemplate="%{y}: %{text}<extra></extra>",
    )


#: Above this ratio of the widest upper bound to the smallest estimate, pitches per win
#: are drawn on a log axis.
_LOG_SPREAD = 15


def pitches_per_win_chart(
    ppw_df: pd.DataFrame, by: str | Sequence[str] | None = "channel"
) -> go.Figure:
    """How many settled pitches a win takes per segment, with 95% intervals.

    Parameters
    ----------
    ppw_df : pandas.DataFrame
        What :func:`outreach_analytics.pitches_per_win` returns for the same ``by``.
    by : str or list of str, default "channel"
        The key column(s); ``None`` for the overall figure.

    Returns
    -------
    plotly.graph_objects.Figure
        Horizontal bars, fewest pitches per win on top, error bars from ``ci_low`` to
        ``ci_high``. Segments without a win are listed at the bottom as "no win yet"
        (a ``Scatter`` trace of that name) rather than left out.

    Examples
    --------
    >>> import pandas as pd
    >>> ppw = pd.DataFrame({"channel": ["A", "B"], "settled": [50, 20], "wins": [5, 0],
    ...                     "pitches_per_win": [10.0, float("nan")],
    ...                     "ci_low": [4.6, float("nan")], "ci_high": [22.9, float("nan")]})
    >>> fig = pitches_per_win_chart(ppw)
    >>> [t.name for t in fig.data]
    ['pitches per win', 'values', 'no win yet']
    """
    keys = _keys(by)
    needed = [*keys, "settled", "wins", "pitches_per_win", "ci_low", "ci_high"]
    _check(ppw_df, needed, "ppw_df", "outreach_analytics.pitches_per_win(df, by=...)")
    won = ppw_df[ppw_df["pitches_per_win"].notna().to_numpy()].sort_values(
        "pitches_per_win", ascending=False, kind="stable"
    )
    none = ppw_df[ppw_df["pitches_per_win"].isna().to_numpy()]
    won_labels = _labels(won, keys, "All settled pitches")
    none_labels = _labels(none, keys, "All settled pitches")
    fig = go.Figure()
    if len(won):
        fig.add_trace(
            go.Bar(
                name="pitches per win",
                orientation="h",
                y=won_labels,
                x=won["pitches_per_win"].to_numpy(dtype=float),
                error_x=_error(won["pitches_per_win"], won["ci_low"], won["ci_high"]),
                marker={"color": _BLUE},
                customdata=np.column_stack(
                    [won["wins"], won["settled"], won["ci_low"], won["ci_high"]]
                ),
                hovertemplate=(
                    "%{y}: %{x:.1f} pitches per win (%{customdata[0]} wins in "
                    "%{customdata[1]} settled)<br>95% interval %{customdata[2]:.1f} to "
                    "%{customdata[3]:.1f}<extra></extra>"
                ),
            )
        )
        fig.add_trace(
            _value_labels(won_labels, won["ci_high"], [f"{v:.0f}" for v in won["pitches_per_win"]])
        )
    if len(none):
        # no win yet: at least ci_low = 1 / (upper bound of the win rate) pitches per win
        texts = [
            f"no win yet: ≥ {low:.0f} ({int(n)} settled)" if low == low else "no win yet"
            for n, low in zip(none["settled"], none["ci_low"].astype(float), strict=True)
        ]
        fig.add_trace(_no_win_trace(none_labels, texts, "no win yet"))
    seg = _words(keys) if keys else "overall"
    fig.update_xaxes(rangemode="tozero", title="settled pitches per win")
    # one very wide interval would squash every other bar: spread them on a log axis
    log = len(won) and won["ci_high"].max() > _LOG_SPREAD * max(won["pitches_per_win"].min(), 1)
    if log:
        fig.update_xaxes(type="log", dtick="D2", title="settled pitches per win (log scale)")
    fig.update_yaxes(
        categoryorder="array", categoryarray=none_labels + won_labels, title=None, ticksuffix="  "
    )
    title = _title(
        f"Pitches it takes to win one client, {'by ' if keys else ''}{seg} (95% interval)",
        "Fewer is better: settled pitches / wins; no bar = no win yet",
    )
    return _finish(fig, title, bargap=0.3, height=_bars_height(len(none_labels) + len(won_labels)))


# ---------------------------------------------------------------- activity


def activity_calendar(daily_df: pd.DataFrame) -> go.Figure:
    """A GitHub-style calendar of pitches per day: weeks as columns, weekdays as rows.

    Parameters
    ----------
    daily_df : pandas.DataFrame
        What :func:`outreach_analytics.analysis.activity.daily_activity` returns.

    Returns
    -------
    plotly.graph_objects.Figure
        One ``Heatmap``: ``x`` the Monday of each week, ``y`` Mon..Sun (Monday on top),
        ``z`` the actions (``None`` for days outside the log).

    Examples
    --------
    >>> from outreach_analytics import load, sample_path
    >>> from outreach_analytics.analysis.activity import daily_activity
    >>> fig = activity_calendar(daily_activity(load(sample_path())))
    >>> list(fig.data[0].y)
    ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']
    """
    _check(daily_df, ["date", "actions"], "daily_df", "activity.daily_activity(df)")
    days = pd.to_datetime(daily_df["date"])
    dow = days.dt.day_of_week.to_numpy()
    week = (days - pd.to_timedelta(dow, unit="D")).dt.normalize()
    weeks = pd.DatetimeIndex(week.drop_duplicates().sort_values())
    col = weeks.get_indexer(week)
    z = np.full((7, len(weeks)), None, dtype=object)
    when = np.full((7, len(weeks)), "", dtype=object)
    z[dow, col] = daily_df["actions"].to_numpy()
    when[dow, col] = days.dt.strftime("%a %d %b %Y").to_numpy()
    fig = go.Figure(
        go.Heatmap(
            x=weeks,
            y=_WEEKDAYS,
            z=z,
            customdata=when,
            zmin=0,
            colorscale=[[0.0, _EMPTY], [1e-6, "#C7EADF"], [0.5, _GREEN], [1.0, "#00452F"]],
            xgap=3,
            ygap=3,
            hoverongaps=False,
            colorbar={"title": {"text": "pitches"}, "thickness": 12},
            hovertemplate="%{customdata}: %{z} pitches<extra></extra>",
            name="pitches per day",
        )
    )
    fig.update_yaxes(autorange="reversed", showgrid=False, title=None)
    fig.update_xaxes(showgrid=False, tickformat="%b %Y", title=None)
    span = f"{days.min():%d %b %Y} to {days.max():%d %b %Y}; " if len(days) else ""
    title = _title(
        "Pitches sent each day: darker means more",
        f"{span}each column is a week (Monday on top); grey: a day without pitches",
    )
    return _finish(fig, title, height=320, plot_bgcolor="white")


def weekly_goal_chart(weekly_df: pd.DataFrame) -> go.Figure:
    """Pitches per week against the weekly goal; weeks that met it in green.

    Parameters
    ----------
    weekly_df : pandas.DataFrame
        What :func:`outreach_analytics.analysis.activity.weekly_activity` returns.

    Returns
    -------
    plotly.graph_objects.Figure
        Bars "goal met" and "below goal" (or one "pitches per week" trace without a goal)
        and a dashed ``Scatter`` goal line.

    Examples
    --------
    >>> from outreach_analytics import load, sample_path
    >>> from outreach_analytics.analysis.activity import weekly_activity
    >>> fig = weekly_goal_chart(weekly_activity(load(sample_path()), goal=15))
    >>> [t.name for t in fig.data]
    ['goal met', 'below goal', 'goal: 15 a week']
    """
    _check(
        weekly_df,
        ["week", "actions", "goal", "met"],
        "weekly_df",
        "activity.weekly_activity(df, goal)",
    )
    goal = weekly_df["goal"].iloc[0] if len(weekly_df) else np.nan
    met = weekly_df["met"].to_numpy(dtype=bool)
    fig = go.Figure()
    hover = "week of %{x|%d %b %Y}: %{y} pitches<extra></extra>"
    if pd.isna(goal):
        groups = [(np.ones(len(weekly_df), dtype=bool), "pitches per week", _BLUE)]
    else:
        groups = [(met, "goal met", _GREEN), (~met, "below goal", _GREY)]
    for mask, name, colour in groups:
        rows = weekly_df[mask]
        fig.add_trace(
            go.Bar(
                name=name,
                x=rows["week"],
                y=rows["actions"].to_numpy(),
                marker={"color": colour},
                hovertemplate=hover,
                xperiod=7 * 24 * 3600 * 1000,
                xperiodalignment="start",
            )
        )
    if pd.notna(goal):
        fig.add_trace(
            go.Scatter(
                name=f"goal: {goal:g} a week",
                x=weekly_df["week"],
                y=weekly_df["goal"].to_numpy(dtype=float),
                mode="lines",
                line={"color": _RED, "dash": "dash", "width": 2, "shape": "hv"},
                hoverinfo="skip",
            )
        )
    title = (
        _title(
            f"Pitches per week against your goal of {goal:g}",
            "Weeks start on Monday; green: the goal was met",
        )
        if pd.notna(goal)
        else _title("Pitches sent per week", "Weeks start on Monday")
    )
    fig.update_xaxes(title=None)
    fig.update_yaxes(title="pitches", rangemode="tozero")
    return _finish(fig, title, barmode="overlay", bargap=0.15)


def rejections_chart(nos_df: pd.DataFrame, goal: float | None = 100) -> go.Figure:
    """The rejection challenge: "no"s collected so far against a goal.

    Parameters
    ----------
    nos_df : pandas.DataFrame
        What :func:`outreach_analytics.analysis.activity.rejections_over_time` returns.
    goal : float, optional, default 100
        The number of "no"s to collect; ``None`` draws no goal line.

    Returns
    -------
    plotly.graph_objects.Figure
        The ``cumulative`` line (a step line) and a dashed horizontal goal line.

    Examples
    --------
    >>> from outreach_analytics import load, sample_path
    >>> from outreach_analytics.analysis.activity import rejections_over_time
    >>> nos = rejections_over_time(load(sample_path()), as_of="2026-11-15")
    >>> fig = rejections_chart(nos, goal=500)
    >>> [t.name for t in fig.data]
    ['nos collected', 'goal: 500 nos']
    """
    _check(
        nos_df,
        ["date", "rejections", "no_responses", "nos", "cumulative"],
        "nos_df",
        "activity.rejections_over_time(df)",
    )
    fig = go.Figure(
        go.Scatter(
            name="nos collected",
            x=nos_df["date"],
            y=nos_df["cumulative"].to_numpy(),
            mode="lines",
            line={"color": _BLUE, "width": 3, "shape": "hv"},
            fill="tozeroy",
            fillcolor=_rgba(_BLUE, 0.12),
            customdata=np.column_stack([nos_df["rejections"], nos_df["no_responses"]])
            if len(nos_df)
            else None,
            hovertemplate=(
                "%{x|%d %b %Y}: %{y} nos so far<br>that day: %{customdata[0]} rejections, "
                "%{customdata[1]} no responses<extra></extra>"
            ),
        )
    )
    if goal is not None:
        fig.add_trace(
            go.Scatter(
                name=f"goal: {goal:g} nos",
                x=[nos_df["date"].iloc[0], nos_df["date"].iloc[-1]] if len(nos_df) else [],
                y=[goal, goal] if len(nos_df) else [],
                mode="lines",
                line={"color": _RED, "dash": "dash", "width": 2},
                hoverinfo="skip",
            )
        )
    so_far = int(nos_df["cumulative"].iloc[-1]) if len(nos_df) else 0
    head = f"{so_far} nos collected" + (f" of a goal of {goal:g}" if goal is not None else "")
    title = _title(
        f"Rejection challenge: {head}",
        "Rejections and pitches left unanswered past the wait window; more nos means more asks",
    )
    fig.update_xaxes(title=None)
    fig.update_yaxes(title="nos so far", rangemode="tozero")
    return _finish(fig, title)


# ---------------------------------------------------------------- outcomes


def _node_colour(label: str) -> str:
    if label == STAGE_NODES["won"]:
        return _GREEN
    if label in STAGE_NODES.values():
        return _BLUE
    words = label.casefold()
    if "reject" in words or "lost" in words:
        return _RED
    if "withdrawn" in words or "declined" in words:
        return _ORANGE
    if "open" in words or "talking" in words:
        return _SKY
    return _GREY


def outcome_sankey(flows_df: pd.DataFrame) -> go.Figure:
    """Where settled pitches end up: a Sankey diagram of the outcome flows.

    Parameters
    ----------
    flows_df : pandas.DataFrame
        What :func:`outreach_analytics.analysis.activity.outcome_flows` returns.

    Returns
    -------
    plotly.graph_objects.Figure
        One ``Sankey`` trace; nodes are the labels of ``source`` and ``target`` in order
        of appearance, link values the ``count`` column. Stages are blue, wins green,
        rejections vermillion, silence grey, withdrawals orange, open outcomes sky blue.

    Examples
    --------
    >>> from outreach_analytics import load, sample_path
    >>> from outreach_analytics.analysis.activity import outcome_flows
    >>> fig = outcome_sankey(outcome_flows(load(sample_path()), as_of="2026-11-15"))
    >>> fig.data[0].node.label[:2]
    ('Sent', 'Responded')
    """
    _check(flows_df, ["source", "target", "count"], "flows_df", "activity.outcome_flows(df)")
    sources = flows_df["source"].astype("str").tolist()
    targets = flows_df["target"].astype("str").tolist()
    nodes = list(
        dict.fromkeys(label for pair in zip(sources, targets, strict=True) for label in pair)
    )
    index = {label: i for i, label in enumerate(nodes)}
    colours = [_node_colour(label) for label in nodes]
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            valueformat=",d",
            valuesuffix=" pitches",
            node={
                "label": nodes,
                "color": colours,
                "pad": 18,
                "thickness": 16,
                "line": {"color": "white", "width": 0.5},
            },
            link={
                "source": [index[s] for s in sources],
                "target": [index[t] for t in targets],
                "value": flows_df["count"].to_numpy(),
                "color": [_rgba(colours[index[t]], 0.35) for t in targets],
            },
        )
    )
    title = _title(
        "Where settled pitches end up, stage by stage",
        "Band width: pitches; 'Rejected after interview' is the good interview with no offer",
    )
    return _finish(fig, title, height=520)


def cohort_chart(cohort_df: pd.DataFrame) -> go.Figure:
    """Response rate by the week pitches were sent, with its 95% interval band.

    Parameters
    ----------
    cohort_df : pandas.DataFrame
        What :func:`outreach_analytics.analysis.activity.weekly_cohorts` returns.

    Returns
    -------
    plotly.graph_objects.Figure
        Traces "95% interval" (one closed band per run of weeks with an interval: the
        upper edge forward, then the lower edge back), "response rate" and, when ``cohort_df`` has a ``pending`` column with pending
        pitches, "still has pending pitches" markers on those weeks (their rate may
        still change).

    Examples
    --------
    >>> from outreach_analytics import load, sample_path
    >>> from outreach_analytics.analysis.activity import weekly_cohorts
    >>> fig = cohort_chart(weekly_cohorts(load(sample_path()), as_of="2026-11-15"))
    >>> [t.name for t in fig.data][-2:]
    ['response rate', 'still has pending pitches']
    """
    needed = ["week", "actions", "settled", "responses", "rate", "ci_low", "ci_high"]
    _check(cohort_df, needed, "cohort_df", "activity.weekly_cohorts(df)")
    band = _rgba(_BLUE, 0.15)
    fig = go.Figure()
    # one closed band per run of weeks that have an interval: weeks with nothing settled
    # break the band instead of being bridged (a band across a gap would invent data)
    has_ci = cohort_df["ci_high"].notna().to_numpy()
    run_id = np.cumsum(~has_ci)
    for n, run in enumerate(np.unique(run_id[has_ci])):
        part = cohort_df[has_ci & (run_id == run)]
        weeks, high, low = part["week"].tolist(), part["ci_high"].tolist(), part["ci_low"].tolist()
        if len(part) == 1:  # a lone week: a short vertical stroke
            x, y, width = weeks * 2, [low[0], high[0]], 6
        else:
            x, y, width = weeks + weeks[::-1], high + low[::-1], 0
        fig.add_trace(
            go.Scatter(
                name="95% interval",
                x=x,
                y=y,
                mode="lines",
                fill="toself" if len(part) > 1 else None,
                fillcolor=band,
                line={"width": width, "color": band},
                hoverinfo="skip",
                legendgroup="ci",
                showlegend=n == 0,
            )
        )
    fig.add_trace(
        go.Scatter(
            name="response rate",
            x=cohort_df["week"],
            y=cohort_df["rate"].to_numpy(dtype=float),
            mode="lines+markers",
            line={"color": _BLUE, "width": 2},
            marker={"size": 6},
            connectgaps=False,
            customdata=np.column_stack(
                [cohort_df["responses"], cohort_df["settled"], cohort_df["actions"]]
            ),
            hovertemplate=(
                "week of %{x|%d %b %Y}: %{y:.0%}<br>%{customdata[0]} responses of "
                "%{customdata[1]} settled (%{customdata[2]} sent)<extra></extra>"
            ),
        )
    )
    if "pending" in cohort_df.columns:
        mask = (cohort_df["pending"] > 0).to_numpy()
        if mask.any():
            rows = cohort_df[mask]
            fig.add_trace(
                go.Scatter(
                    name="still has pending pitches",
                    x=rows["week"],
                    y=rows["rate"].fillna(0).to_numpy(dtype=float),
                    mode="markers",
                    marker={
                        "symbol": "circle-open",
                        "size": 14,
                        "color": _ORANGE,
                        "line": {"width": 2},
                    },
                    customdata=rows["pending"].to_numpy(),
                    hovertemplate=(
                        "week of %{x|%d %b %Y}: %{customdata} pitches still "
                        "waiting, rate may change<extra></extra>"
                    ),
                )
            )
    title = _title(
        "Response rate by the week pitches were sent (95% interval)",
        "Over settled pitches; orange rings: weeks with pitches still waiting for an answer",
    )
    fig.update_xaxes(title="week sent")
    fig.update_yaxes(tickformat=".0%", range=[0, 1], title=None)
    return _finish(fig, title)


def cost_per_win_chart(cost_df: pd.DataFrame) -> go.Figure:
    """What a win costs per channel (e.g. in Upwork Connects), with 95% intervals.

    Parameters
    ----------
    cost_df : pandas.DataFrame
        What :func:`outreach_analytics.analysis.activity.cost_per_win` returns.

    Returns
    -------
    plotly.graph_objects.Figure
        Horizontal bars "cost per win", cheapest on top, error bars from ``ci_low`` to
        ``ci_high``; segments with a cost but no win yet ("no win yet") and without any
        cost logged ("no cost logged") are listed at the bottom as ``Scatter`` traces.

    Examples
    --------
    >>> from outreach_analytics import load, sample_path
    >>> from outreach_analytics.analysis.activity import cost_per_win
    >>> fig = cost_per_win_chart(cost_per_win(load(sample_path()), as_of="2026-11-15"))
    >>> [t.name for t in fig.data]
    ['cost per win', 'values', 'no cost logged']
    """
    _check(
        cost_df,
        ["settled", "wins", "costed", "cost_per_win"],
        "cost_df",
        "activity.cost_per_win(df)",
    )
    keys = [c for c in cost_df.columns if c not in COST_COLUMNS]
    has = cost_df["cost_per_win"].notna().to_numpy()
    no_cost = (cost_df["costed"] == 0).to_numpy()
    bars = cost_df[has].sort_values("cost_per_win", ascending=False, kind="stable")
    no_win = cost_df[~has & ~no_cost]
    unlogged = cost_df[~has & no_cost]
    bar_labels = _labels(bars, keys)
    fig = go.Figure()
    if len(bars):
        error = (
            _error(bars["cost_per_win"], bars["ci_low"], bars["ci_high"])
            if {"ci_low", "ci_high"} <= set(bars.columns)
            else None
        )
        fig.add_trace(
            go.Bar(
                name="cost per win",
                orientation="h",
                y=bar_labels,
                x=bars["cost_per_win"].to_numpy(dtype=float),
                error_x=error,
                marker={"color": _BLUE},
                customdata=np.column_stack([bars["wins"], bars["settled"], bars["costed"]]),
                hovertemplate=(
                    "%{y}: %{x:,.0f} per win<br>%{customdata[0]} wins in %{customdata[1]} "
                    "settled (%{customdata[2]} with a cost)<extra></extra>"
                ),
            )
        )
        ends = bars["ci_high"] if "ci_high" in bars.columns else bars["cost_per_win"]
        fig.add_trace(_value_labels(bar_labels, ends, [f"{v:,.0f}" for v in bars["cost_per_win"]]))
    if len(no_win):
        texts = [f"no win yet ({int(n)} settled)" for n in no_win["settled"]]
        fig.add_trace(_no_win_trace(_labels(no_win, keys), texts, "no win yet"))
    if len(unlogged):
        texts = ["no cost logged"] * len(unlogged)
        fig.add_trace(_no_win_trace(_labels(unlogged, keys), texts, "no cost logged"))
    order = _labels(unlogged, keys) + _labels(no_win, keys) + bar_labels
    fig.update_xaxes(rangemode="tozero", title="cost per win (your cost unit, e.g. Connects)")
    fig.update_yaxes(categoryorder="array", categoryarray=order, title=None, ticksuffix="  ")
    title = _title(
        "What a win costs, by channel (95% interval)",
        "Average logged cost of a settled pitch × settled pitches per win; lower is better",
    )
    return _finish(fig, title, bargap=0.3, height=_bars_height(len(order)))


# ---------------------------------------------------------------- issue 9: comparisons, next win,
# the challenge ladder, benchmarks (each takes what its analysis function returns; only draws)


def comparison_chart(summary_df: pd.DataFrame, metric: str = "response") -> go.Figure:
    """Shrunk rate per segment with its 95% credible interval and P(best).

    Parameters
    ----------
    summary_df : pandas.DataFrame
        ``Comparison.summary`` (:func:`outreach_analytics.analysis.compare.compare`).
    metric : str, default "response"
        The rate compared, for the title.

    Returns
    -------
    plotly.graph_objects.Figure
        A ``shrunk rate`` marker trace with error bars (light for segments under 20
        settled), an ``observed rate`` hollow marker trace and the P(best) labels.

    Examples
    --------
    >>> from outreach_analytics import load, sample_path
    >>> from outreach_analytics.analysis.compare import compare
    >>> fig = comparison_chart(compare(load(sample_path()), as_of="2026-11-15").summary)
    >>> [t.name for t in fig.data]
    ['shrunk rate', 'observed rate', 'P(best)']
    """
    _check(
        summary_df,
        ["name", "settled", "rate", "shrunk_rate", "cred_low", "cred_high", "p_best"],
        "summary_df",
        "compare(df).summary",
    )
    name = _METRIC_NAMES.get(metric, metric)
    title = _title(
        f"{name}: which segment is best, and how sure",
        "Shrunk toward the overall rate (empirical Bayes), 95% credible interval; "
        "P(best) on the right",
    )
    if summary_df.empty:
        return _nothing_yet(title, "No settled actions to compare yet")
    frame = summary_df.iloc[::-1]
    labels = [_short(str(n)) for n in frame["name"]]
    small = (
        frame["small_sample"].to_numpy(dtype=bool)
        if "small_sample" in frame.columns
        else np.zeros(len(frame), dtype=bool)
    )
    colors = [_LIGHT_BLUE if s else _BLUE for s in small]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            name="shrunk rate",
            mode="markers",
            y=labels,
            x=frame["shrunk_rate"].to_numpy(dtype=float),
            error_x=_error(frame["shrunk_rate"], frame["cred_low"], frame["cred_high"]),
            marker={"color": colors, "size": 12},
            customdata=np.column_stack(
                [frame["settled"].astype(str), [fmt_p_best(p) for p in frame["p_best"]]]
            ),
            hovertemplate=(
                "%{y}: %{x:.1%} shrunk (%{customdata[0]} settled)<br>"
                "P(best) %{customdata[1]}<extra></extra>"
            ),
        )
    )
    fig.add_trace(
        go.Scatter(
            name="observed rate",
            mode="markers",
            y=labels,
            x=frame["rate"].to_numpy(dtype=float),
            marker={"color": _ORANGE, "size": 9, "symbol": "circle-open", "line": {"width": 2}},
            hovertemplate="%{y}: %{x:.1%} observed<extra></extra>",
        )
    )
    texts = [f"P(best) {fmt_p_best(p)}" for p in frame["p_best"]]
    fig.add_trace(_value_labels(labels, frame["cred_high"], texts))
    fig.data[-1].name = "P(best)"
    # the labels sit right of the intervals: the axis runs on past the widest interval, and
    # the right margin holds what is left of the longest label, so none is cut at the edge
    top = float(np.nanmax(frame[["cred_high", "rate"]].to_numpy(dtype=float)))
    fig.update_xaxes(tickformat=".0%", range=[0, max(top, 0.01) * 1.25], title=name.lower())
    fig.update_yaxes(title=None, ticksuffix="  ")
    return _finish(fig, title, margin={"r": 7 * max(len(t) for t in texts) + 20})


def next_win_chart(curve_df: pd.DataFrame, pitches: dict | None = None) -> go.Figure:
    """Chance of at least one win against the number of new pitches.

    Parameters
    ----------
    curve_df : pandas.DataFrame
        ``NextWin.curve`` (:func:`outreach_analytics.analysis.forecast.next_win`):
        ``pitches`` and ``chance``.
    pitches : dict, optional
        ``NextWin.pitches`` (``p50``, ``p80``, ``p95``): drawn as marked points.

    Examples
    --------
    >>> from outreach_analytics import load, sample_path
    >>> from outreach_analytics.analysis.forecast import next_win
    >>> f = next_win(load(sample_path()), as_of="2026-11-15")
    >>> fig = next_win_chart(f.curve, f.pitches)
    >>> [t.name for t in fig.data]
    ['chance of a win', '50%, 80%, 95%']
    """
    _check(curve_df, ["pitches", "chance"], "curve_df", "next_win(df).curve")
    fig = go.Figure(
        go.Scatter(
            name="chance of a win",
            x=curve_df["pitches"].to_numpy(),
            y=curve_df["chance"].to_numpy(dtype=float),
            mode="lines",
            line={"color": _BLUE, "width": 3},
            hovertemplate="%{x} pitches: %{y:.0%} chance of at least one win<extra></extra>",
        )
    )
    if pitches:
        levels = [(int(k[1:]) / 100, int(v)) for k, v in pitches.items()]
        fig.add_trace(
            go.Scatter(
                name="50%, 80%, 95%",
                x=[v for _, v in levels],
                y=[lv for lv, _ in levels],
                mode="markers+text",
                text=[f"{lv:.0%}: {v:,} pitches" for lv, v in levels],
                # the curve ends at the last level: its label goes inside, above the point
                textposition=["bottom right"] * (len(levels) - 1) + ["top left"],
                cliponaxis=False,
                marker={"color": _RED, "size": 10},
                hoverinfo="skip",
            )
        )
    head = (
        f"The next win: 80% likely within {int(pitches['p80']):,} pitches"
        if pitches
        else "The next win"
    )
    title = _title(head, "Posterior predictive (Jeffreys prior, updated with your wins)")
    fig.update_xaxes(title="new pitches", rangemode="tozero")
    fig.update_yaxes(title="chance of at least one win", tickformat=".0%", range=[0, 1.02])
    return _finish(fig, title)


def challenge_chart(nos_df: pd.DataFrame, ladder_df: pd.DataFrame) -> go.Figure:
    """The rejection challenge as a ladder: "no"s so far, the rungs and the projection.

    Parameters
    ----------
    nos_df : pandas.DataFrame
        :func:`outreach_analytics.analysis.activity.rejections_over_time`.
    ladder_df : pandas.DataFrame
        ``Challenge.summary`` (:func:`outreach_analytics.analysis.challenge.challenge`):
        ``goal``, ``reached``, ``date``, ``wins``, ``projected``.

    Examples
    --------
    >>> from outreach_analytics import load, sample_path
    >>> from outreach_analytics.analysis.activity import rejections_over_time
    >>> from outreach_analytics.analysis.challenge import challenge
    >>> log = load(sample_path())
    >>> c = challenge(log, as_of="2026-11-15")
    >>> fig = challenge_chart(rejections_over_time(log, as_of="2026-11-15"), c.summary)
    >>> [t.name for t in fig.data]
    ['nos collected', 'rungs', 'at the recent pace']
    """
    _check(nos_df, ["date", "cumulative"], "nos_df", "activity.rejections_over_time(df)")
    _check(
        ladder_df,
        ["goal", "reached", "date", "wins", "projected"],
        "ladder_df",
        "challenge(df).summary",
    )
    so_far = int(nos_df["cumulative"].iloc[-1]) if len(nos_df) else 0
    nxt = ladder_df[~ladder_df["reached"].to_numpy(dtype=bool)]
    goal = int(nxt["goal"].iloc[0]) if len(nxt) else None
    title = _title(
        f"Rejection challenge: {so_far:,} nos" + (f", next rung {goal:,}" if goal else ""),
        "Rungs at 100, 250, 500 and 1,000 nos; the wins you had by each rung",
    )
    if nos_df.empty:
        return _nothing_yet(title, 'No "no" collected yet')
    fig = go.Figure(
        go.Scatter(
            name="nos collected",
            x=nos_df["date"],
            y=nos_df["cumulative"].to_numpy(),
            mode="lines",
            line={"color": _BLUE, "width": 3, "shape": "hv"},
            hovertemplate="%{x|%d %b %Y}: %{y} nos so far<extra></extra>",
        )
    )
    reached = ladder_df["reached"].to_numpy(dtype=bool)
    # wins are NaN where the log records no outcomes: the rung alone
    texts = [
        f"{int(g):,}: {'reached' if r else 'next'}"
        + (f", {'' if r else '~'}{w:.0f} wins by then" if pd.notna(w) else "")
        for g, r, w in zip(ladder_df["goal"], reached, ladder_df["wins"], strict=True)
    ]
    first, last = nos_df["date"].iloc[0], nos_df["date"].iloc[-1]
    x_rungs = [d if pd.notna(d) else last for d in ladder_df["date"]]
    fig.add_trace(
        go.Scatter(
            name="rungs",
            x=x_rungs,
            y=ladder_df["goal"].to_numpy(),
            mode="markers+text",
            text=texts,
            textposition="top left",
            marker={
                "color": [_GREEN if r else _RED for r in reached],
                "size": 11,
                "symbol": ["circle" if r else "circle-open" for r in reached],
                "line": {"width": 2},
            },
            hoverinfo="skip",
        )
    )
    proj = ladder_df[ladder_df["projected"].to_numpy(dtype=bool) & ladder_df["date"].notna()]
    fig.add_trace(
        go.Scatter(
            name="at the recent pace",
            x=[last, proj["date"].iloc[0]] if len(proj) else [],
            y=[so_far, int(proj["goal"].iloc[0])] if len(proj) else [],
            mode="lines",
            line={"color": _RED, "dash": "dash", "width": 2},
            hoverinfo="skip",
        )
    )
    for g in ladder_df["goal"]:
        fig.add_shape(
            type="line",
            x0=first,
            x1=1,
            xref="x",
            y0=g,
            y1=g,
            line={"color": _GREY, "width": 1, "dash": "dot"},
        )
    fig.update_xaxes(title=None)
    fig.update_yaxes(title="nos so far", rangemode="tozero")
    return _finish(fig, title)


def benchmark_chart(check_df: pd.DataFrame) -> go.Figure:
    """Your rates next to published benchmarks, each with its source.

    Parameters
    ----------
    check_df : pandas.DataFrame
        :func:`outreach_analytics.analysis.benchmarks.benchmark_check`.

    Examples
    --------
    >>> from outreach_analytics import load, sample_path
    >>> from outreach_analytics.analysis.benchmarks import benchmark_check
    >>> fig = benchmark_chart(benchmark_check(load(sample_path()), as_of="2026-11-15"))
    >>> [t.name for t in fig.data]
    ['your rate', 'benchmark']
    """
    _check(
        check_df,
        ["segment", "metric", "rate", "benchmark", "source", "year", "denominator", "verdict"],
        "check_df",
        "benchmarks.benchmark_check(df)",
    )
    title = _title(
        "Your rates next to published benchmarks",
        "Benchmarks count other things (candidates, e-mails): read the denominator in the hover",
    )
    if check_df.empty:
        return _nothing_yet(title, "No benchmark matches this log")
    labels = [
        f"{s} · {_METRIC_NAMES.get(m, m).lower()}"
        for s, m in zip(check_df["segment"], check_df["metric"], strict=True)
    ]
    bench = [float(str(b).split("–")[0].rstrip("%")) / 100 for b in check_df["benchmark"]]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            name="your rate",
            mode="markers",
            y=labels,
            x=check_df["rate"].to_numpy(dtype=float),
            marker={"color": _BLUE, "size": 12},
            customdata=check_df[["verdict"]].to_numpy(),
            hovertemplate="%{y}: you %{x:.1%} (%{customdata[0]})<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            name="benchmark",
            mode="markers",
            y=labels,
            x=bench,
            marker={"color": _ORANGE, "size": 12, "symbol": "diamond"},
            customdata=np.column_stack(
                [check_df["source"], check_df["year"], check_df["denominator"]]
            ),
            hovertemplate=(
                "%{x:.1%} of %{customdata[2]}<br>%{customdata[0]}, %{customdata[1]}<extra></extra>"
            ),
        )
    )
    fig.update_xaxes(tickformat=".0%", rangemode="tozero", title="rate")
    fig.update_yaxes(title=None, ticksuffix="  ")
    return _finish(fig, title)


__all__ += ["comparison_chart", "next_win_chart", "challenge_chart", "benchmark_chart"]


# ---------------------------------------------------------------- time to reply, follow-ups


def time_to_response_chart(
    curves_df: pd.DataFrame, ghosting_day: float | None = None, *, stage: str = "reply"
) -> go.Figure:
    """The share of pitches answered by each day after sending (Kaplan–Meier), per segment.

    Parameters
    ----------
    curves_df : pandas.DataFrame
        What ``time_to_response(df, by=...).curves()`` returns (see
        :mod:`outreach_analytics.analysis.survival`): ``group``, ``day``, ``reached``,
        ``ci_low``, ``ci_high``. The ``"all"`` curve is drawn with its 95% band.
    ghosting_day : float, optional
        Drawn as a dashed vertical line: after it, silence means no.
    stage : str, default "reply"
        The word for the event in the title ("reply", "interview"...).

    Examples
    --------
    >>> from outreach_analytics import load, sample_path
    >>> from outreach_analytics.analysis.survival import time_to_response
    >>> t = time_to_response(load(sample_path()), by="channel", as_of="2026-11-15")
    >>> fig = time_to_response_chart(t.curves(), t.overall.ghosting_day)
    >>> [tr.name for tr in fig.data][:3]
    ['95% band', 'all', 'Upwork']
    """
    needed = ["group", "day", "reached", "ci_low", "ci_high"]
    _check(curves_df, needed, "curves_df", "survival.time_to_response(df).curves()")
    title_text = f"Time to first {stage}"
    if curves_df.empty:
        return _nothing_yet(_title(title_text), f"No {stage} yet")
    fig = go.Figure()
    allc = curves_df[curves_df["group"] == "all"]
    x_end = float(curves_df["day"].max())
    if len(allc):
        x = np.append(allc["day"].to_numpy(dtype=float), x_end)
        fig.add_trace(
            go.Scatter(
                name="95% band",
                x=np.concatenate([x, x[::-1]]),
                y=np.concatenate(
                    [
                        np.append(allc["ci_high"].to_numpy(), allc["ci_high"].iloc[-1]),
                        np.append(allc["ci_low"].to_numpy(), allc["ci_low"].iloc[-1])[::-1],
                    ]
                ),
                fill="toself",
                fillcolor=_rgba(_BLUE, 0.15),
                line={"width": 0, "shape": "hv"},
                hoverinfo="skip",
            )
        )
    colours = [_ORANGE, _GREEN, _RED, _SKY, OKABE_ITO["reddish_purple"], _GREY, "#000000"]
    groups = ["all"] + [g for g in dict.fromkeys(curves_df["group"]) if g != "all"]
    for i, name in enumerate(g for g in groups if (curves_df["group"] == g).any()):
        part = curves_df[curves_df["group"] == name]
        is_all = name == "all"
        fig.add_trace(
            go.Scatter(
                name=_short(str(name)),
                x=np.append(part["day"].to_numpy(dtype=float), x_end),
                y=np.append(part["reached"].to_numpy(), part["reached"].iloc[-1]),
                mode="lines",
                line={
                    "shape": "hv",
                    "width": 3.5 if is_all else 1.8,
                    "color": _BLUE if is_all else colours[(i - 1) % len(colours)],
                },
                hovertemplate=f"{name}: %{{y:.0%}} by day %{{x}}<extra></extra>",
            )
        )
    if ghosting_day is not None and np.isfinite(ghosting_day):
        fig.add_vline(
            x=float(ghosting_day),
            line={"color": _GREY, "dash": "dash", "width": 2},
            annotation_text=f"day {ghosting_day:g}: silence means no",
            annotation_position="top right",
        )
    fig.update_xaxes(title="days after sending", rangemode="tozero")
    fig.update_yaxes(title=f"share of pitches with a {stage}", tickformat=".0%", rangemode="tozero")
    sub = "Kaplan–Meier: pitches still waiting count only for the days they have waited"
    return _finish(fig, _title(title_text, sub), hovermode="x unified")


def follow_up_lift_chart(lift_df: pd.DataFrame, min_lift: float = 0.02) -> go.Figure:
    """Extra replies per 100 pitches brought by the 1st, 2nd... follow-up, with 95% intervals.

    Parameters
    ----------
    lift_df : pandas.DataFrame
        ``follow_up_lift(df).table`` (see :mod:`outreach_analytics.analysis.follow_ups`):
        ``follow_ups``, ``lift``, ``lift_low``, ``lift_high``, ``pays``, ``at_risk``.
    min_lift : float, default 0.02
        Drawn as a dashed line: below it a follow-up does not pay.

    Examples
    --------
    >>> from outreach_analytics import load, sample_path
    >>> from outreach_analytics.analysis.follow_ups import follow_up_lift
    >>> fig = follow_up_lift_chart(follow_up_lift(load(sample_path()), as_of="2026-11-15").table)
    >>> [tr.name for tr in fig.data]
    ['pays', 'does not pay']
    """
    needed = ["follow_ups", "lift", "lift_low", "lift_high", "pays", "at_risk"]
    _check(lift_df, needed, "lift_df", "follow_ups.follow_up_lift(df).table")
    title_text = "What each follow-up brought"
    part = lift_df[lift_df["follow_ups"] >= 1]
    if part.empty:
        return _nothing_yet(_title(title_text), "No follow-ups logged yet")
    fig = go.Figure()
    for pays, name, colour in ((True, "pays", _GREEN), (False, "does not pay", _GREY)):
        p = part[part["pays"].to_numpy(dtype=bool) == pays]
        labels = [f"follow-up {int(k)}" for k in p["follow_ups"]]
        fig.add_trace(
            go.Bar(
                name=name,
                x=labels,
                y=(p["lift"] * 100).to_numpy(dtype=float),
                marker_color=colour,
                error_y=_error(p["lift"] * 100, p["lift_low"] * 100, p["lift_high"] * 100),
                customdata=p["at_risk"].to_numpy(),
                hovertemplate=(
                    "%{x}: %{y:.1f} more replies per 100 pitches<br>"
                    "sent to %{customdata} still-silent pitches<extra></extra>"
                ),
            )
        )
    fig.add_hline(
        y=min_lift * 100,
        line={"color": _RED, "dash": "dash", "width": 1.5},
        annotation_text=f"{min_lift * 100:g} per 100: worth sending",
        annotation_position="top right",
    )
    order = [f"follow-up {int(k)}" for k in part["follow_ups"]]
    fig.update_xaxes(title=None, categoryorder="array", categoryarray=order)
    fig.update_yaxes(title="more replies per 100 pitches", rangemode="tozero")
    sub = "At most: some of these replies would have come anyway, later"
    return _finish(fig, _title(title_text, sub), barmode="overlay")
