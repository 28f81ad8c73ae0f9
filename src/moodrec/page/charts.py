"""The page's two figures as Vega-Lite specs (plain dicts), drawn by the browser: Streamlit
ships the Vega library itself, so nothing is fetched from the network. Drawing them on the
server with matplotlib into PNGs cost about 0.2 s per answer, and building them with Altair
about 0.07 s (its ``to_dict``, on every rerun); these dicts take about a millisecond.

* :func:`mood_plane`: the person's fused point (and each sense's, and the goal's target) on
  the valence-arousal plane among the catalogue's excerpts, the recommended ones numbered;
* :func:`mood_timeline`: the history's points over time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from moodrec.core.emotions import EMOTIONS

#: One colour per emotion (Vega's category10, in the model's class order).
EMOTION_COLOURS: dict[str, str] = dict(zip(EMOTIONS, (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"), strict=True))
SENSE_SHAPES: dict[str, str] = {"face": "square", "voice": "triangle-up"}
PLANE_AXES: dict[str, dict[str, Any]] = {
    "x": {"field": "valence", "type": "quantitative", "title": "valence (unpleasant - pleasant)",
          "scale": {"zero": False}},
    "y": {"field": "arousal", "type": "quantitative", "title": "arousal (calm - energetic)",
          "scale": {"zero": False}}}


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """``frame``'s rows as JSON-ready dicts (numpy numbers made plain)."""
    return [{k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
            for row in frame.to_dict("records")]


def _layer(rows: list[dict[str, Any]], mark: dict[str, Any], **encoding: Any) -> dict[str, Any]:
    """One layer of the plane: its own rows, on the plane's axes."""
    return {"data": {"values": rows}, "mark": mark, "encoding": {**PLANE_AXES, **encoding}}


def _marks(answer: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The person's points: each used sense, the fused point ("you") and the goal's target
    when the goal moved it; ``shape`` and ``size`` tell them apart."""
    rows = [{"label": f"{sense}: {reading['emotion']}", "valence": reading["point"][0],
             "arousal": reading["point"][1], "shape": SENSE_SHAPES.get(sense, "circle"),
             "size": 90} for sense, reading in answer["senses"].items() if reading.get("used")]
    point, target = answer["fused"]["point"], answer["target"]
    rows.append({"label": f"you: {answer['fused']['mood']}", "valence": point[0],
                 "arousal": point[1], "shape": "diamond", "size": 320})
    if any(abs(m) > 1e-9 for m in target["moved"]):
        rows.append({"label": f"target ({answer['goal']})", "valence": target["point"][0],
                     "arousal": target["point"][1], "shape": "cross", "size": 120})
    return rows


def mood_plane(catalogue: pd.DataFrame, answer: Mapping[str, Any]) -> dict[str, Any]:
    """The catalogue's excerpts by emotion, the recommended ones ringed and numbered by rank,
    the senses' points, the fused point and (when the goal moved it) a line to the target."""
    emotions = sorted(set(catalogue["emotion"].astype(str)))
    excerpts = _records(catalogue[["valence", "arousal", "emotion", "album", "track"]])
    top = [{"rank": str(e["rank"]), "valence": e["valence"], "arousal": e["energy"]}
           for e in answer["excerpts"]]
    marks = _marks(answer)
    layers = [
        _layer(excerpts, {"type": "circle", "size": 28, "opacity": 0.5},
               color={"field": "emotion", "type": "nominal", "title": "excerpts", "scale": {
                   "domain": emotions, "range": [EMOTION_COLOURS.get(e, "grey")
                                                 for e in emotions]}},
               tooltip=[{"field": f} for f in ("album", "track", "emotion")]),
        _layer(top, {"type": "point", "size": 160, "color": "black", "strokeWidth": 1.4}),
        _layer(top, {"type": "text", "dx": 9, "dy": -9, "fontWeight": "bold"},
               text={"field": "rank"}),
        _layer(marks, {"type": "point", "filled": True, "color": "gold", "stroke": "black",
                       "strokeWidth": 0.8, "opacity": 1},
               shape={"field": "label", "type": "nominal", "title": "you", "scale": {
                   "domain": [m["label"] for m in marks],
                   "range": [m["shape"] for m in marks]}},
               size={"field": "size", "type": "quantitative", "scale": None, "legend": None},
               tooltip=[{"field": "label"}])]
    if marks[-1]["label"].startswith("target"):
        layers.insert(3, _layer(marks[-2:], {"type": "line", "color": "black"}))
    return {"title": f"Your mood among {len(catalogue)} excerpts; rings: your top "
                     f"{len(answer['excerpts'])}",
            "height": 380, "layer": layers,
            "resolve": {"scale": {"color": "independent", "shape": "independent"}}}


def timeline_data(history: pd.DataFrame) -> pd.DataFrame:
    """One row per mood of ``history`` (one row per offer, as :meth:`moodrec.person.history.
    History.table` gives it) and rating; ``time`` is the local wall time as recorded
    ("2026-11-28T09:30:00+01:00" -> 2026-11-28T09:30:00), so the axis shows the person's clock
    whatever the browser's time zone."""
    moods = history.drop_duplicates("mood_id").assign(time=lambda t: t["time"].str.slice(0, 19))
    return moods.melt(id_vars=["mood_id", "time", "emotion"], value_vars=["valence", "arousal"],
                      var_name="rating", value_name="value")


def mood_timeline(history: pd.DataFrame) -> dict[str, Any]:
    """Valence and arousal of each mood of ``history`` at the time it was read, each valence
    point labelled with the mood's emotion."""
    data = timeline_data(history)
    when = pd.to_datetime(data["time"])
    moods = data["mood_id"].nunique()
    # at least half an hour either side: one reading would otherwise span no time at all
    pad = max((when.max() - when.min()) * 0.05, pd.Timedelta(minutes=30))
    x = {"field": "time", "type": "temporal", "title": None, "scale": {"domain": [
        (when.min() - pad).isoformat(), (when.max() + pad).isoformat()]},
        "axis": {"format": "%d %b %H:%M", "labelAngle": 0}}  # 24-hour clock: no 3 AM/PM doubt
    # one rating point around: small changes stay small
    y = {"field": "value", "type": "quantitative", "title": "rating", "scale": {"domain": [
        float(data["value"].min()) - 1.0, float(data["value"].max()) + 1.0]}}
    rows = _records(data)
    return {"title": f"Your mood over time ({moods} reading{'' if moods == 1 else 's'})",
            "height": 240, "layer": [
                {"data": {"values": rows}, "mark": {"type": "line", "point": True},
                 "encoding": {"x": x, "y": y, "color": {
                     "field": "rating", "type": "nominal", "title": None,
                     "sort": ["valence", "arousal"]}, "tooltip": [
                     {"field": "time", "type": "temporal"}, {"field": "rating"},
                     {"field": "value", "format": ".2f"}, {"field": "emotion"}]}},
                {"data": {"values": [r for r in rows if r["rating"] == "valence"]},
                 "mark": {"type": "text", "dy": -9, "fontSize": 10},
                 "encoding": {"x": x, "y": y, "text": {"field": "emotion"}}}]}
