"""The valence-arousal plane of ``va_mapping``: items, persons' points, emotion points."""

from __future__ import annotations

from typing import Any

import pandas as pd

from moodrec.core.emotions import EMOTIONS
from moodrec.core.valence_arousal import catalogue_settings, scale_midpoint

_COLOURS = dict(zip(EMOTIONS, ("tab:red", "tab:purple", "tab:orange", "tab:blue",
                               "tab:green", "tab:brown"), strict=True))


def va_plane_figure(
    catalogue: pd.DataFrame, points: pd.DataFrame, persons: pd.DataFrame,
    params: dict[str, Any],
) -> Any:
    """The valence-arousal plane (a matplotlib ``Figure``): items by category (songs without
    one in grey), persons' points, emotion points. (Annotated ``Any``: Kedro resolves a
    node's type hints at run time, and matplotlib is not imported until the figure is drawn.)

    matplotlib is imported here, not with the pipeline: the ``person`` pipeline is built from
    ``va_mapping``'s nodes and never draws (pyplot costs most of a second at start-up)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    scale = catalogue_settings(params)["scale"]
    low, high = scale
    fig, ax = plt.subplots(figsize=(8, 7))
    other = catalogue[catalogue["emotion"].isna()]
    if len(other):
        ax.scatter(other["valence"], other["arousal"], s=12, c="lightgrey",
                   label=f"items without a category ({len(other)})")
    for markers, sense in (("x", "face"), ("+", "audio")):
        chosen = persons[persons["source"] == sense]
        if len(chosen):
            ax.scatter(chosen["valence"], chosen["arousal"], s=6, marker=markers, alpha=0.15,
                       c="black", label=f"persons ({sense}, {len(chosen)})")
    for emotion in EMOTIONS:
        excerpts = catalogue[catalogue["emotion"] == emotion]
        if len(excerpts):
            categories = "/".join(sorted(excerpts["category"].unique()))
            ax.scatter(excerpts["valence"], excerpts["arousal"], s=28, c=_COLOURS[emotion],
                       edgecolors="white", linewidths=0.5, label=f"{categories} ({emotion})")
        row = points[points["emotion"] == emotion].iloc[0]
        ax.scatter([row["valence"]], [row["arousal"]], s=260, marker="*", c=_COLOURS[emotion],
                   edgecolors="black", linewidths=1.0, zorder=5)
        ax.annotate(emotion, (row["valence"], row["arousal"]), xytext=(7, 7),
                    textcoords="offset points", fontsize=9, weight="bold")
    centre_valence, centre_arousal = scale_midpoint(scale)
    ax.axhline(centre_arousal, color="grey", lw=0.6, ls="--")
    ax.axvline(centre_valence, color="grey", lw=0.6, ls="--")
    ax.set_xlim(low, high)
    ax.set_ylim(low, high)
    ax.set_xlabel("valence")
    ax.set_ylabel("arousal (energy)")
    ax.set_title(f"Valence-arousal plane: {params['catalogue']}, "
                 f"{params['prediction_source']} predictions (stars: emotion points)")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    return fig
