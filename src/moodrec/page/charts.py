"""The page's two figures, drawn with matplotlib's object API (no pyplot state: Streamlit
serves several sessions from threads).

* :func:`mood_plane`: the person's fused point (and each sense's, and the goal's target) on
  the valence-arousal plane among the catalogue's excerpts, the recommended ones numbered;
* :func:`mood_timeline`: the history's points over time.

:func:`png` turns either into the image the page shows (drawn once, not on every rerun).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import pandas as pd
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure

from moodrec.core.emotions import EMOTIONS

#: One colour per emotion (matplotlib's tab10, in the model's class order).
EMOTION_COLOURS: dict[str, str] = {e: f"C{i}" for i, e in enumerate(EMOTIONS)}
SENSE_MARKERS: dict[str, str] = {"face": "s", "voice": "^"}


def mood_plane(catalogue: pd.DataFrame, answer: Mapping[str, Any]) -> Figure:
    """The catalogue's excerpts by emotion, the recommended ones ringed and numbered by rank,
    the senses' points, the fused point and (when the goal moved it) the target."""
    figure = Figure(figsize=(6.6, 4.4), layout="constrained")
    axes = figure.add_subplot()
    axes.set_xlabel("valence (unpleasant - pleasant)")
    axes.set_ylabel("arousal (calm - energetic)")
    axes.grid(True, alpha=0.3)
    for emotion, rows in catalogue.groupby("emotion", sort=False):
        axes.scatter(rows["valence"], rows["arousal"], s=14, alpha=0.45, label=emotion,
                     color=EMOTION_COLOURS.get(str(emotion), "grey"))
    for excerpt in answer["excerpts"]:
        x, y = excerpt["valence"], excerpt["energy"]
        axes.scatter([x], [y], s=110, facecolors="none", edgecolors="black", linewidths=1.2)
        axes.annotate(str(excerpt["rank"]), (x, y), xytext=(5, 5), textcoords="offset points",
                      fontsize=9, fontweight="bold")
    for sense, reading in answer["senses"].items():
        if reading.get("used"):
            axes.scatter(*reading["point"], marker=SENSE_MARKERS.get(sense, "o"), s=70,
                         color="dimgrey", edgecolors="white", label=f"{sense}: "
                         f"{reading['emotion']}", zorder=3)
    point, target = answer["fused"]["point"], answer["target"]
    axes.scatter(*point, marker="*", s=320, color="gold", edgecolors="black", zorder=4,
                 label=f"you: {answer['fused']['mood']}")
    if any(abs(m) > 1e-9 for m in target["moved"]):
        axes.annotate("", xy=target["point"], xytext=point,
                      arrowprops={"arrowstyle": "->", "color": "black"})
        axes.scatter(*target["point"], marker="X", s=90, color="black", zorder=4,
                     label=f"target ({answer['goal']})")
    axes.set_title(f"Your mood among {len(catalogue)} excerpts; rings: your top "
                   f"{len(answer['excerpts'])}", fontsize=10)
    axes.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return figure


def mood_timeline(history: pd.DataFrame) -> Figure:
    """Valence and arousal of each mood of ``history`` (one row per excerpt, as
    :meth:`moodrec.page.history.History.table` gives it) at the time it was read."""
    moods = history.drop_duplicates("mood_id")
    # Local wall time as recorded ("2026-11-28T09:30:00+01:00" -> 09:30).
    when = pd.to_datetime(moods["time"].str.slice(0, 19))
    figure = Figure(figsize=(6.4, 3.0), layout="constrained")
    axes = figure.add_subplot()
    axes.plot(when, moods["valence"], marker="o", label="valence")
    axes.plot(when, moods["arousal"], marker="s", label="arousal")
    for time, valence, emotion in zip(when, moods["valence"], moods["emotion"], strict=True):
        axes.annotate(emotion, (time, valence), xytext=(0, 6), textcoords="offset points",
                      fontsize=7, ha="center")
    low = min(moods["valence"].min(), moods["arousal"].min())
    high = max(moods["valence"].max(), moods["arousal"].max())
    axes.set_ylim(low - 1.0, high + 1.0)  # one rating point around: small changes stay small
    # at least half an hour either side: one reading would otherwise span years
    pad = max((when.max() - when.min()) * 0.05, pd.Timedelta(minutes=30))
    axes.set_xlim(when.min() - pad, when.max() + pad)
    locator = AutoDateLocator()
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    axes.set_ylabel("rating")
    axes.set_title(f"Your mood over time ({len(moods)} reading"
                   f"{'' if len(moods) == 1 else 's'})", fontsize=10)
    axes.grid(True, alpha=0.3)
    axes.legend(fontsize=8)
    return figure


def png(figure: Figure) -> bytes:
    """``figure`` as PNG bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    return buffer.getvalue()
