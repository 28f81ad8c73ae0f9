"""Simulated listeners: does learning from like and skip help, and does it keep its promises?

Each of ``--listeners`` listeners (seeded) has a hidden taste: a preferred shift of valence and
energy from their mood (normal, ``--shift`` of the scale's width per axis) and artists they
dislike (``--disliked`` of the catalogue's artists). Every round they give a reading (their
usual one of the study's face readings, ``seed/facial-recommendation.csv``, 70% of the time,
another at random otherwise), are offered ``--k`` items, and like each with probability
``exp(-(d / taste)^2)``, d = the item's distance to their preferred point in shares of the
scale's width (0 for a disliked artist), else skip it. Two arms see the same listeners and
readings (the random draws are per listener, round and item): ``learning`` passes the
listener's offers so far to :func:`moodrec.core.feedback.personal_ranking`, ``none`` passes
no offers (today's ranking). Printed: the like rate per round for both, the ratio over rounds
11-20, the first round at which learning is within 5% of its final like rate, and checks:
round 1 identical, no skipped item offered again within the cool-down, a top k never holding
one artist twice while the catalogue has other artists, coverage (share of the catalogue
offered over all readings).

    python benchmarks/simulated_listeners.py --catalogue pmemo      # 1,000 listeners, 20 rounds

The output is recorded in docs/catalogues.md.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from catalogue_items import ROOT, load_items  # noqa: E402

from moodrec.core.checks import probability_table  # noqa: E402
from moodrec.core.feedback import check_settings, personal_ranking  # noqa: E402
from moodrec.core.ranking import rank_excerpts  # noqa: E402
from moodrec.core.valence_arousal import (  # noqa: E402
    catalogue_settings,
    scale_midpoint,
    to_valence_arousal,
)

OFFER_COLUMNS = ["mood_id", "rank", "item", "title", "feedback"]


def listeners(n: int, readings: int, artists: np.ndarray, args: argparse.Namespace,
              rng: np.random.Generator) -> list[dict[str, Any]]:
    """Hidden tastes: a usual reading, a preferred shift (share of the scale), disliked artists."""
    chosen = max(1, round(args.disliked * artists.size)) if artists.size else 0
    return [{"usual": int(rng.integers(readings)),
             "shift": rng.normal(0.0, args.shift, 2),
             "disliked": set(rng.choice(artists, chosen, replace=False)) if chosen else set()}
            for _ in range(n)]


def simulate(items: pd.DataFrame, points: pd.DataFrame, params: dict[str, Any],
             probabilities: np.ndarray, args: argparse.Namespace) -> dict[str, Any]:
    rec = params["recommendation"]
    settings = check_settings(rec["feedback"])
    scale = tuple(float(v) for v in catalogue_settings(params["va_mapping"])["scale"])
    width = scale[1] - scale[0]
    centre = scale_midpoint(scale)
    items = items[["item", "title", "artist", "valence", "arousal"]]
    item_points = items[["valence", "arousal"]].to_numpy(float)
    artists = items["artist"].dropna().unique()
    rng = np.random.default_rng(args.seed)
    people = listeners(args.listeners, len(probabilities), artists, args, rng)
    # the same draws for both arms: a reading per listener and round, a number per item
    other = rng.integers(len(probabilities), size=(args.listeners, args.rounds))
    usual = rng.random((args.listeners, args.rounds)) < 0.7
    draws = rng.random((args.listeners, args.rounds, len(items)))
    likes = {arm: np.zeros((args.rounds, args.listeners)) for arm in ("none", "learning")}
    offers: dict[str, list[list[dict[str, Any]]]] = {
        arm: [[] for _ in people] for arm in likes}
    top_items = {arm: np.empty((args.rounds, args.listeners, args.k), dtype=object)
                 for arm in likes}
    problems: list[str] = []
    repeated_artists = 0
    for r in range(args.rounds):
        rows = np.where(usual[:, r], [p["usual"] for p in people], other[:, r])
        targets = to_valence_arousal(probabilities[rows], points)
        order, similarity = rank_excerpts(targets, item_points, rec["mode"], len(items), centre)
        for i, person in enumerate(people):
            candidates = items.iloc[order[i]].assign(similarity=similarity[i])
            preferred = targets[i] + person["shift"] * width
            for arm in likes:
                past = pd.DataFrame(offers[arm][i], columns=OFFER_COLUMNS)
                chosen = personal_ranking(candidates, past if arm == "learning" else
                                          past.iloc[:0], args.k, settings, scale)
                top_items[arm][r, i] = chosen["item"].to_numpy()
                named = chosen["artist"].dropna()
                if named.duplicated().any() and candidates["artist"].nunique() >= args.k:
                    repeated_artists += 1
                d = np.linalg.norm(chosen[["valence", "arousal"]].to_numpy(float) - preferred,
                                   axis=1) / width
                liked = (draws[i, r, items.index.get_indexer(chosen.index)]
                         < np.exp(-(d / args.taste) ** 2))
                liked &= ~chosen["artist"].isin(person["disliked"]).to_numpy()
                likes[arm][r, i] = liked.mean()
                offers[arm][i] += [{"mood_id": r, "rank": j + 1, "item": item, "title": title,
                                    "feedback": "like" if ok else "skip"}
                                   for j, (item, title, ok) in enumerate(
                                       zip(chosen["item"], chosen["title"], liked, strict=True))]
    if not (top_items["none"][0] == top_items["learning"][0]).all():
        problems.append("round 1 differs between the arms")
    recent_skips = 0
    for i in range(args.listeners):
        log = pd.DataFrame(offers["learning"][i], columns=OFFER_COLUMNS)
        skips = log[log["feedback"] == "skip"]
        for _, s in skips.iterrows():
            later = log[(log["mood_id"] > s["mood_id"])
                        & (log["mood_id"] <= s["mood_id"] + settings["cooldown"])]
            recent_skips += int((later["item"] == s["item"]).any())
    if recent_skips:
        problems.append(f"{recent_skips} skipped items offered again within the cool-down")
    if repeated_artists:
        problems.append(f"{repeated_artists} top {args.k}s hold one artist twice")
    rate = {arm: likes[arm].mean(axis=1) for arm in likes}
    late = slice(min(10, args.rounds - 1), args.rounds)
    final = rate["learning"][late].mean()
    converged = next(r + 1 for r in range(args.rounds)
                     if abs(rate["learning"][r] - final) <= 0.05 * final)
    return {
        "like_rate_none": np.round(rate["none"], 4).tolist(),
        "like_rate_learning": np.round(rate["learning"], 4).tolist(),
        "ratio_late_rounds": float(final / rate["none"][late].mean()),
        "converged_round": converged,
        "coverage": {arm: float(len(set(top_items[arm].ravel())) / len(items)) for arm in likes},
        "skips_reoffered_within_cooldown": recent_skips,
        "top_k_with_a_repeated_artist": repeated_artists,
        "problems": problems,
    }


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--catalogue", default="pmemo")
    parser.add_argument("--listeners", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--shift", type=float, default=0.15,
                        help="sd of a listener's preferred shift, share of the scale's width")
    parser.add_argument("--taste", type=float, default=0.12,
                        help="like probability exp(-(d/taste)^2), d a share of the width")
    parser.add_argument("--disliked", type=float, default=0.2,
                        help="share of the catalogue's artists a listener dislikes")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    items, points, params = load_items(args.catalogue)
    study = pd.read_csv(ROOT / "data/01_raw/study/facial-recommendation.csv",
                        encoding="utf-8-sig")
    probabilities, _ = probability_table(study, "facial-recommendation.csv",
                                         params["va_mapping"]["probability_tolerance"])
    start = time.perf_counter()
    result = simulate(items, points, params, probabilities, args)
    result.update(catalogue=args.catalogue, items=len(items), listeners=args.listeners,
                  rounds=args.rounds, k=args.k, seed=args.seed, seconds=time.perf_counter() - start,
                  date=date.today().isoformat(), machine=platform.processor() or platform.machine(),
                  feedback=params["recommendation"]["feedback"])
    print(f"catalogue {args.catalogue} ({len(items)} items), {args.listeners} listeners, "
          f"{args.rounds} rounds, top {args.k}, seed {args.seed}")
    print("round  like rate (no learning)  like rate (learning)")
    for r, (a, b) in enumerate(zip(result["like_rate_none"], result["like_rate_learning"],
                                   strict=True), start=1):
        print(f"{r:5d}  {a:23.3f}  {b:20.3f}")
    print(f"rounds 11-20: learning / no learning = {result['ratio_late_rounds']:.2f}; within 5% "
          f"of its final rate from round {result['converged_round']}")
    print(f"coverage: {result['coverage']}; skipped items re-offered within the cool-down: "
          f"{result['skips_reoffered_within_cooldown']}; top {args.k}s with an artist twice: "
          f"{result['top_k_with_a_repeated_artist']}; {result['seconds']:.0f} s")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    for problem in result["problems"]:
        print("PROBLEM:", problem)
    return 1 if result["problems"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
