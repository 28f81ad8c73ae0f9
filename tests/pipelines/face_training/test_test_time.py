"""Test-time views and the logit bias fitted on the select split (face_training.test_time)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import f1_score

from moodrec.pipelines.face_training.test_time import (
    averaged_probabilities,
    fit_logit_adjustment,
    view_indices,
)


def test_view_indices_mirror_then_shift_with_the_border_repeated():
    face = np.arange(48 * 48).reshape(48, 48)
    rows, cols = view_indices({"flip": True, "shift": [2, -3]})
    shown = face[rows][:, cols]
    assert np.array_equal(shown[5], face[3, ::-1][np.clip(np.arange(48) + 3, 0, 47)])
    assert np.array_equal(shown[0], shown[1]) and np.array_equal(shown[0], shown[2])  # border
    rows, cols = view_indices({"flip": False, "shift": [0, 0]})
    assert np.array_equal(face[rows][:, cols], face)


def test_averaged_probabilities_is_the_mean_of_softmax_with_the_bias():
    log_p = np.log(np.array([[[[0.7, 0.3]], [[0.5, 0.5]]]]))  # 1 member, 2 views, 1 face
    bias = np.array([0.0, np.log(3.0)])
    # view 1: 0.7 : 0.9 -> 0.4375 ; view 2: 0.5 : 1.5 -> 0.25
    np.testing.assert_allclose(averaged_probabilities(log_p, bias),
                               [[(0.4375 + 0.25) / 2, 1 - (0.4375 + 0.25) / 2]])


def test_logit_adjustment_moves_predictions_to_a_rare_class_and_keeps_the_best_strength():
    rng = np.random.default_rng(0)
    labels = np.repeat(np.arange(3), 200)
    prior = np.array([0.1, 0.45, 0.45])  # class 0 rare in training, so under-read
    logits = rng.normal(0, 1, (600, 3)) + 2.0 * np.eye(3)[labels] + np.log(prior)
    log_p = (logits - np.log(np.exp(logits).sum(1, keepdims=True)))[None, None]
    before = f1_score(labels, log_p[0, 0].argmax(1), average="macro")
    tau, bias, reached = fit_logit_adjustment(log_p, labels, prior, [0.0, 0.5, 1.0, 3.0])
    assert tau == 1.0  # removes the prior exactly; 3.0 overshoots
    np.testing.assert_allclose(bias, -np.log(prior) + np.log(prior).mean())
    assert reached > before + 0.05
    after = averaged_probabilities(log_p, bias).argmax(1)
    assert f1_score(labels, after, average="macro") == pytest.approx(reached)
    assert fit_logit_adjustment(log_p, labels, prior, [0.0])[0] == 0.0
    with pytest.raises(ValueError, match="strengths"):
        fit_logit_adjustment(log_p, labels, prior, [])
