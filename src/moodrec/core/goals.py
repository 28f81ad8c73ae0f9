"""Goals: where the music should take the person, as a move of the target point.

* ``match``: the target is the person's fused point (music like the mood).
* ``uplift``: valence moves ``strength`` of the way from the person's valence to the top of
  the rating scale; arousal stays. With the default 0.5 on the 1-7 scale, a sad 3.0 becomes
  5.0 and a happy 6.0 becomes 6.5, so the move shrinks near the top and never leaves the scale.
* ``calm``: arousal moves ``strength`` of the way down to the bottom of the scale; valence
  stays.

The scale is the range of the catalogue's ratings (``scale_min``/``scale_max`` parameters
override it: set 1 is rated 1-7, set 2 1-9).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

GOALS: tuple[str, ...] = ("match", "uplift", "calm")


@dataclass(frozen=True)
class Target:
    goal: str
    point: np.ndarray  # (valence, arousal) the ranking looks for
    moved: np.ndarray  # target - person's point
    description: str


def check_goal(goal: object) -> str:
    """The goal's canonical spelling; ``ValueError`` naming the choices for anything else."""
    name = str(goal).strip().lower() if isinstance(goal, str) else None
    if name not in GOALS:
        raise ValueError(f"unknown goal {goal!r}; choose one of {', '.join(GOALS)}")
    return name


def target_point(
    point: np.ndarray, goal: str, *, scale: tuple[float, float], strength: float = 0.5
) -> Target:
    """Move the person's (valence, arousal) point according to the goal."""
    goal = check_goal(goal)
    if not 0.0 <= strength <= 1.0:
        raise ValueError(f"goal strength must be within [0, 1]; got {strength}")
    low, high = float(scale[0]), float(scale[1])
    valence, arousal = (float(v) for v in point)
    if goal == "uplift":
        new = np.array([valence + strength * max(0.0, high - valence), arousal])
        text = (
            f"uplift: valence raised from {valence:.2f} to {new[0]:.2f} "
            f"({strength:.0%} of the way to the scale's top, {high:g}); "
            f"arousal kept at {arousal:.2f}"
        )
    elif goal == "calm":
        new = np.array([valence, arousal - strength * max(0.0, arousal - low)])
        text = (
            f"calm: arousal lowered from {arousal:.2f} to {new[1]:.2f} "
            f"({strength:.0%} of the way to the scale's bottom, {low:g}); "
            f"valence kept at {valence:.2f}"
        )
    else:
        new = np.array([valence, arousal])
        text = (f"match: target = your point (valence {valence:.2f}, arousal {arousal:.2f}), "
                "not moved")
    return Target(goal=goal, point=new, moved=new - np.array([valence, arousal]), description=text)
