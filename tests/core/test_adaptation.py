"""Person adaptation (moodrec.core.adaptation) with the shipped settings and the extremes of
a range of its top_class_weight."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml
from scipy.special import softmax

from moodrec.core.adaptation import SETTINGS, adapt, person_bias
from moodrec.core.emotions import EMOTIONS
from moodrec.person.errors import PersonInputError
from moodrec.person.settings import check_adaptation_settings

SHIPPED = yaml.safe_load(
    (Path(__file__).parents[2] / "conf/base/parameters_person.yml").read_text()
)["person"]["adaptation"]
SENSES = sorted(SHIPPED)
ANGER, SADNESS, NEUTRAL = (EMOTIONS.index(e) for e in ("anger", "sadness", "neutral"))


def reading(top: int, sure: float, second: int | None = None, share: float = 0.0) -> np.ndarray:
    """Log-probabilities: ``sure`` on ``top``, ``share`` on ``second``, the rest even."""
    p = np.full(6, (1 - sure - share) / (5 - (second is not None)))
    p[top] = sure
    if second is not None:
        p[second] = share
    return np.log(p)


def noisy(top: int, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` readings that say ``top`` (0.45-0.7) with the rest at random levels."""
    rows = []
    for _ in range(n):
        rest = rng.dirichlet(np.full(5, 2.0))
        sure = rng.uniform(0.45, 0.7)
        rows.append(np.log(np.insert(rest * (1 - sure), top, sure)))
    return np.array(rows)


@pytest.mark.parametrize("sense", SENSES)
def test_the_first_reading_is_read_as_it_is(sense):
    new = np.log(np.array([0.05, 0.1, 0.4, 0.2, 0.05, 0.2]))
    assert np.array_equal(adapt(new, np.empty((0, 6)), SHIPPED[sense]), softmax(new))
    adapted = adapt(new, noisy(SADNESS, 3, np.random.default_rng(0)), SHIPPED[sense])
    assert adapted.shape == (6,) and adapted.sum() == pytest.approx(1.0)


@pytest.mark.parametrize("sense", SENSES)
def test_a_reading_is_adapted_by_its_earlier_readings_only(sense):
    rng = np.random.default_rng(1)
    history = np.vstack([noisy(mood, 3, rng) for mood in range(6)])[rng.permutation(18)]
    new = reading(ANGER, 0.3, SADNESS, 0.28)
    first = adapt(new, history[:10], SHIPPED[sense])
    # the person's later readings (whatever they say) and the order of the earlier ones
    # change nothing; the reading itself is not among its own earlier readings
    assert np.array_equal(first, adapt(new, history[:10], SHIPPED[sense]))
    np.testing.assert_allclose(first, adapt(new, history[:10][::-1], SHIPPED[sense]))
    assert not np.allclose(first, adapt(new, np.vstack([history[:10], [new] * 5]),
                                        SHIPPED[sense]))


@pytest.mark.parametrize("weight", [0.0, 0.5, 1.0])
def test_a_constant_offset_is_removed_with_a_balanced_history(weight):
    offset = np.zeros(6)
    offset[SADNESS], offset[ANGER] = 1.0, -0.5  # this person's voice sounds sad to the model
    history = np.array([reading(mood, 0.6) for mood in range(6)] * 3) + offset
    settings = {"top_class_weight": weight, "prior_readings": 0.5, "max_shift": 5.0,
                "log_floor": -20.0}
    clean = reading(ANGER, 0.35, SADNESS, 0.25)
    assert softmax(clean + offset).argmax() == SADNESS  # read as sad before adaptation
    adapted = adapt(clean + offset, history, settings)
    assert adapted.argmax() == ANGER
    drift = np.log(adapted) - clean
    assert np.ptp(drift) < 0.12  # the offset is gone but for the prior's small share
    bias = person_bias(history, settings)
    np.testing.assert_allclose(bias, offset - offset.mean(), atol=0.06)


@pytest.mark.parametrize("sense", SENSES)
@pytest.mark.parametrize("mood", range(6))
def test_a_history_of_one_mood_does_not_read_that_mood_away(sense, mood):
    rng = np.random.default_rng([2, mood])
    history, later = noisy(mood, 40, rng), noisy(mood, 40, rng)
    for n in (1, 3, 6, 20, 40):
        adapted = [adapt(new, history[:n], SHIPPED[sense]).argmax() for new in later]
        assert adapted == [mood] * len(later), (n, EMOTIONS[mood])


def test_adaptation_is_bounded_and_deterministic():
    settings = SHIPPED["voice"]
    history = noisy(NEUTRAL, 30, np.random.default_rng(3))
    new = reading(ANGER, 0.3)
    moved = np.log(adapt(new, history, settings)) - np.log(softmax(new))
    assert np.ptp(moved) <= 2 * settings["max_shift"] + 1e-9
    assert np.array_equal(adapt(new, history, settings), adapt(new, history, settings))
    with_zero = history.copy()
    with_zero[0, ANGER] = -np.inf  # a probability of exactly 0
    assert np.isfinite(adapt(new, with_zero, settings)).all()


@pytest.mark.parametrize("new, earlier", [(np.zeros(5), np.zeros((1, 6))),
                                          (np.zeros(6), np.zeros((2, 5))),
                                          (np.zeros(6), np.full((1, 6), np.nan))])
def test_misshaped_readings_are_refused(new, earlier):
    with pytest.raises(ValueError, match="adapt"):
        adapt(new, earlier, SHIPPED["voice"])


def test_the_shipped_settings_pass_the_check_and_bad_ones_are_named():
    check_adaptation_settings(SHIPPED)
    assert all(set(SHIPPED[s]) == set(SETTINGS) for s in SENSES)
    bad = {**SHIPPED, "voice": {**SHIPPED["voice"], "top_class_weight": -1.0}}
    with pytest.raises(PersonInputError, match=r"adaptation\.voice.*top_class_weight"):
        check_adaptation_settings(bad)
    missing = {**SHIPPED, "face": {k: v for k, v in SHIPPED["face"].items()
                                   if k != "max_shift"}}
    with pytest.raises(PersonInputError, match=r"adaptation\.face.*max_shift"):
        check_adaptation_settings(missing)
