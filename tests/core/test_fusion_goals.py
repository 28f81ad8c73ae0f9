"""Confidence, fusion in valence-arousal space, goals and reasons."""

from __future__ import annotations

import numpy as np
import pytest

from moodrec.core.emotions import EMOTIONS
from moodrec.core.fusion import SenseReading, confidence, fuse
from moodrec.core.goals import check_goal, target_point
from moodrec.core.reasons import excerpt_reason, mood_words

SCALE = (1.0, 7.0)


#: The shipped sense weights (conf/base/parameters_person.yml).
EQUAL = {"face": 1.0, "voice": 1.0}


def onehot(i: int, sure: float = 1.0) -> np.ndarray:
    p = np.full(6, (1 - sure) / 5)
    p[i] = sure
    return p


def test_confidence_bounds_and_order():
    assert confidence(onehot(0)) == pytest.approx(1.0)
    assert confidence(np.full(6, 1 / 6)) == pytest.approx(0.0, abs=1e-12)
    assert confidence(onehot(0, 0.9)) > confidence(onehot(0, 0.6)) > confidence(onehot(0, 0.3))


def test_a_confident_sense_dominates_the_fused_point():
    face = SenseReading("face", onehot(2, 0.95), np.array([5.8, 5.0]), confidence(onehot(2, 0.95)))
    voice = SenseReading("voice", onehot(3, 0.25), np.array([2.5, 2.6]),
                         confidence(onehot(3, 0.25)))
    fused = fuse([face, voice], EQUAL)
    assert fused.weights["face"] > 0.9
    assert np.linalg.norm(fused.point - face.point) < 0.1 * np.linalg.norm(voice.point - face.point)
    assert fused.emotion == EMOTIONS[2]
    # swap the confidences: the voice now dominates
    face.confidence, voice.confidence = voice.confidence, face.confidence
    assert fuse([face, voice], EQUAL).weights["voice"] > 0.9


def test_fusion_rule_is_the_weighted_mean_and_reliability_scales_it():
    a = SenseReading("face", onehot(0, 0.5), np.array([2.0, 6.0]), 0.6)
    b = SenseReading("voice", onehot(5, 0.5), np.array([5.0, 3.0]), 0.2)
    fused = fuse([a, b], EQUAL)
    np.testing.assert_allclose(fused.point, 0.75 * a.point + 0.25 * b.point)
    halved = fuse([a, b], {"face": 1 / 3, "voice": 1.0})  # 0.2 vs 0.2: equal
    np.testing.assert_allclose(halved.point, (a.point + b.point) / 2)


def test_uniform_senses_count_equally_and_one_sense_is_itself():
    a = SenseReading("face", np.full(6, 1 / 6), np.array([2.0, 6.0]), 0.0)
    b = SenseReading("voice", np.full(6, 1 / 6), np.array([4.0, 2.0]), 0.0)
    np.testing.assert_allclose(fuse([a, b], EQUAL).point, [3.0, 4.0])
    np.testing.assert_allclose(fuse([b], EQUAL).point, b.point)
    with pytest.raises(ValueError, match="nothing to fuse"):
        fuse([], EQUAL)


def test_goals_move_the_target_within_the_scale():
    match = target_point(np.array([3.0, 4.0]), "match", scale=SCALE)
    np.testing.assert_allclose(match.point, [3.0, 4.0])
    np.testing.assert_allclose(match.moved, [0, 0])
    up = target_point(np.array([3.0, 4.0]), "uplift", scale=SCALE)
    np.testing.assert_allclose(up.point, [5.0, 4.0])
    assert "valence raised from 3.00 to 5.00" in up.description
    calm = target_point(np.array([3.0, 6.0]), "calm", scale=SCALE)
    np.testing.assert_allclose(calm.point, [3.0, 3.5])
    np.testing.assert_allclose(calm.moved, [0.0, -2.5])
    top = target_point(np.array([7.0, 4.0]), "UPLIFT", scale=SCALE, strength=1.0)
    np.testing.assert_allclose(top.point, [7.0, 4.0])


@pytest.mark.parametrize("goal", ["cheer", "", None, 3])
def test_unknown_goal(goal):
    with pytest.raises(ValueError, match="unknown goal .*match, uplift, calm"):
        check_goal(goal)


def test_reasons_read_like_the_issue():
    assert mood_words(np.array([5.9, 2.9]), scale=SCALE) == "calm, positive"
    assert mood_words(np.array([2.0, 6.0]), scale=SCALE) == "energetic, negative"
    assert mood_words(np.array([4.2, 3.8]), scale=SCALE) == "moderate, neutral"
    reason = excerpt_reason("match", np.array([5.9, 2.9]), np.array([5.9, 2.9]), (5.94, 2.91),
                            scale=SCALE)
    assert reason == "close to your calm, positive mood: valence 5.9, energy 2.9"
    up = excerpt_reason("uplift", np.array([2.5, 2.9]), np.array([4.8, 2.9]), (5.0, 3.0),
                        scale=SCALE)
    assert up.startswith("brighter than your calm, negative mood, towards calm, positive")


def test_a_sense_without_a_weight_is_named():
    a = SenseReading("face", np.full(6, 1 / 6), np.array([3.0, 4.0]), 0.5)
    with pytest.raises(ValueError, match="no sense weight for face"):
        fuse([a], {"voice": 1.0})
