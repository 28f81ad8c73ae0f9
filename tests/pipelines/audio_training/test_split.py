"""Actor-held-out split: speakers disjoint, augmented variants only in training."""

import numpy as np
import pandas as pd
import pytest

from moodrec.audio.features import FEATURE_NAMES, VARIANTS
from moodrec.emotions import EMOTIONS
from moodrec.pipelines.audio_training.nodes import split_by_actor

SPLIT = {"train_actors": [1, 2, 3], "val_actors": [4], "test_actors": [5, 6]}


def _features(actors=range(1, 7), clips_per_actor=4) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    rows = []
    for actor in actors:
        for k in range(clips_per_actor):
            clip_id = f"03-01-0{k + 1}-01-01-01-{actor:02d}"
            for variant in VARIANTS:
                rows.append([clip_id, actor, variant, EMOTIONS[k % 6], *rng.normal(size=162)])
    return pd.DataFrame(rows, columns=["clip_id", "actor", "variant", "label", *FEATURE_NAMES])


def test_no_augmented_variant_reaches_validation_or_test():
    split = split_by_actor(_features(), SPLIT)
    assert set(split["train_variant"]) == set(VARIANTS)
    assert set(split["val_variant"]) == {"original"}
    assert set(split["test_variant"]) == {"original"}
    assert len(split["test_y"]) == 2 * 4 and len(split["train_y"]) == 3 * 4 * 3


def test_no_actor_and_no_clip_in_two_splits():
    split = split_by_actor(_features(), SPLIT)
    actors = {s: set(split[f"{s}_actor"]) for s in ("train", "val", "test")}
    clips = {s: set(split[f"{s}_clip_id"]) for s in ("train", "val", "test")}
    for a, b in (("train", "val"), ("train", "test"), ("val", "test")):
        assert not actors[a] & actors[b]
        assert not clips[a] & clips[b]
    assert actors == {"train": {1, 2, 3}, "val": {4}, "test": {5, 6}}


def test_the_real_default_split_is_disjoint_and_covers_24_actors(project_root):
    import yaml

    params = yaml.safe_load((project_root / "conf/base/parameters_audio_training.yml").read_text())
    split = params["audio_training"]["split"]
    sets = [set(split[k]) for k in ("train_actors", "val_actors", "test_actors")]
    assert sum(len(s) for s in sets) == len(set().union(*sets)) == 24


def test_an_actor_in_two_splits_is_refused():
    with pytest.raises(ValueError,
                       match=r"actor\(s\) \[4\] are in both val_actors and test_actors"):
        split_by_actor(_features(), {**SPLIT, "test_actors": [4, 5]})


@pytest.mark.parametrize("empty", ["train_actors", "val_actors", "test_actors"])
def test_a_split_left_empty_is_refused(empty):
    with pytest.raises(ValueError, match=f"the {empty.split('_')[0]} split is empty"):
        split_by_actor(_features(), {**SPLIT, empty: [17]})


def test_missing_feature_values_are_refused_naming_the_row():
    features = _features()
    features.loc[5, "mfcc_03"] = np.nan
    with pytest.raises(ValueError, match="row 5"):
        split_by_actor(features, SPLIT)
