"""Bad tables, as properties over many made-up variants (hypothesis): the main job either gives
the same answer as for the clean table, or stops with an error naming the dataset, the column
and the row. docs/reliability.md lists the cases.

* one column-matching rule for every column: any spelling that differs in case, spaces, width
  or a byte-order mark is the same column (label columns included), and two columns that
  match one name are an error, not a silent pick;
* a ``pred_label`` that is not the row's most probable emotion (columns named in the wrong
  order) is an error naming the row;
* one bad cell anywhere is named by column and row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kedro.io import DataCatalog, MemoryDataset
from kedro.runner import SequentialRunner

from moodrec.core.checks import BadInputError
from moodrec.core.emotions import ALIASES, EMOTIONS
from moodrec.datasets import AtomicCSVDataset, AtomicJSONDataset
from moodrec.pipelines.recommendation.nodes import recommend
from moodrec.pipelines.recommendation.pipeline import create_pipeline as recommendation_pipeline
from moodrec.pipelines.va_mapping.nodes import map_table
from moodrec.pipelines.va_mapping.pipeline import create_pipeline as va_mapping_pipeline
from moodrec.training.evaluation import prediction_table
from tests.pipelines.va_mapping.params import points_of, prepare, synthetic_raw, with_scale

FIXTURES = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
NAME = "face_predictions_for_mapping"


def _table(probabilities, true_column="true_label"):
    table = prediction_table(probabilities, y_true=np.arange(len(probabilities)) % 6)
    return table.rename(columns={"true_label": true_column})


def _map(table, points):
    return map_table(table, points, dataset=NAME, source="face")


@st.composite
def spellings(draw, name: str) -> str:
    """Another spelling of a column name: case, padding spaces, full-width letters, a BOM,
    or (for an emotion) one of its aliases."""
    aliases = [a for a, e in ALIASES.items() if e == name] or [name]
    base = draw(st.sampled_from([name, *aliases]))
    base = draw(st.sampled_from([base, base.upper(), base.title(), base.swapcase()]))
    if draw(st.booleans()):
        base = "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalpha() else c for c in base)
    return draw(st.sampled_from(["", " ", "\ufeff"])) + base + draw(st.sampled_from(["", " "]))


# -------------------------------------------------------------------- one column rule
@FIXTURES
@given(data=st.data(), true_column=st.sampled_from(["true_label", "emotion", "label"]))
def test_any_spelling_of_any_column_maps_the_same(data, true_column, probabilities, points):
    clean = _table(probabilities, true_column)
    names = {c: data.draw(spellings(c), label=c) for c in clean.columns}
    order = data.draw(st.permutations(list(clean.columns)), label="order")
    renamed = clean[order].rename(columns=names)
    pd.testing.assert_frame_equal(_map(renamed, points), _map(clean, points))


@pytest.mark.parametrize("column", ["Label", "EMOTION", " True_Label", "Pred_Label"])
def test_label_columns_in_another_case_are_used(probabilities, points, column):
    """Before: `Label` or `EMOTION` was not recognised: every true label silently lost."""
    clean = _table(probabilities)
    key = "pred_label" if column.lower() == "pred_label" else "true_label"
    mapped = _map(clean.rename(columns={key: column}), points)
    assert mapped[key].tolist() == _map(clean, points)[key].tolist()
    assert mapped["true_label"].notna().all()


def test_two_true_label_columns_are_an_error(probabilities, points):
    table = _table(probabilities).assign(label=EMOTIONS[0])
    with pytest.raises(BadInputError, match=rf"{NAME}: columns \['true_label', 'label'\] could "
                                            r"each be the true label; keep one"):
        _map(table, points)


@FIXTURES
@given(data=st.data())
def test_two_columns_matching_one_name_are_an_error(data, ratings, tracklist, catalogue,
                                                    persons, va_params, rec_params):
    """Before: the last of `valence`/`Valence` (or `Track`/`track`) was used without a word."""
    cases = [
        (lambda t: prepare(t, va_params), ratings, ["valence", "energy", "TARGET"]),
        (lambda t: prepare(ratings, va_params, t), tracklist,
         ["Track", "Album name", "Min:Sec"]),
        (lambda t: recommend(t, catalogue,
                             rec_params), persons, ["valence", "arousal", "source"]),
    ]
    node, table, columns = data.draw(st.sampled_from(cases), label="table")
    column = data.draw(st.sampled_from(columns), label="column")
    twin = data.draw(spellings(column).filter(lambda s: s != column), label="twin")
    doubled = table.assign(**{twin: table[column]})
    with pytest.raises(BadInputError, match=r"columns \[.*\] all match .*keep one"):
        node(doubled)


def test_persons_table_in_another_case(persons, catalogue, tracklist, rec_params):
    """Before: find_columns accepted `Valence`, then the node failed with KeyError 'valence'."""
    excerpts = catalogue
    renamed = persons.rename(columns=str.title)
    pd.testing.assert_frame_equal(recommend(renamed, excerpts, rec_params),
                                  recommend(persons, excerpts, rec_params))


# ----------------------------------------------------- labels that contradict the values
@FIXTURES
@given(row=st.integers(0, 29), shift=st.integers(1, 5))
def test_pred_label_not_the_most_probable_is_named(row, shift, probabilities, points):
    table = _table(probabilities)
    top = int(probabilities[row].argmax())
    other = (top + shift) % 6
    if probabilities[row, other] >= probabilities[row].max() - 1e-3:
        return  # a tie: either label is right
    table.loc[row, "pred_label"] = EMOTIONS[other]
    with pytest.raises(BadInputError, match=rf"{NAME}: column 'pred_label' is not the most "
                                            rf"probable emotion at row {row} "):
        _map(table, points)


@pytest.mark.parametrize("shift", [1, 3])
def test_probability_columns_named_in_the_wrong_order(probabilities, points, shift):
    """The values of one model under another's column order: every point would move."""
    table = _table(probabilities)
    rotated = list(EMOTIONS[shift:] + EMOTIONS[:shift])
    with pytest.raises(BadInputError, match="are the probability columns named in the order"):
        _map(table.rename(columns=dict(zip(EMOTIONS, rotated, strict=True))), points)


# ---------------------------------------------------------------- one bad cell anywhere
@FIXTURES
@given(row=st.integers(0, 29), column=st.sampled_from(EMOTIONS),
       value=st.sampled_from([np.nan, -0.25, "n/a", "", "0,5", np.inf]))
def test_one_bad_probability_is_named_by_column_and_row(row, column, value, probabilities,
                                                        points):
    table = _table(probabilities).astype({column: object})
    table.loc[row, column] = value
    with pytest.raises(BadInputError, match=rf"{NAME}: column '{column}' has .* at row {row} "):
        _map(table, points)


@FIXTURES
@given(row=st.integers(0, 12), column=st.sampled_from(["valence", "energy"]),
       value=st.one_of(st.floats(-100, 0.99), st.floats(7.01, 100), st.just(np.nan)))
def test_one_bad_rating_is_named_by_column_and_row(row, column, value, ratings, va_params):
    bad = ratings.copy()
    bad.loc[row, column] = value
    with pytest.raises(BadInputError, match=rf"soundtracks_set1\.ratings: column '{column}' "
                                            rf"has .*(\[|row ){row}"):
        prepare(bad, va_params)


# ------------------------------------------------------------------------- parameters
@pytest.mark.parametrize("tolerance", [float("nan"), "abc", 0.5, -1e-3, True])
def test_probability_tolerance_out_of_range(probabilities, points, ratings, va_params,
                                            tolerance):
    """Before: NaN let every row through; 'abc' raised a bare ValueError."""
    from moodrec.pipelines.va_mapping.nodes import map_predictions

    table = _table(probabilities)
    with pytest.raises(BadInputError, match=r"parameters va_mapping.probability_tolerance = "
                                            r".*: must be a number from 0 to 0.1"):
        map_predictions(table, table, points, dict(va_params, probability_tolerance=tolerance))


@pytest.mark.parametrize("scale", [[1, 79], [0, 1], [1, 17]])
def test_centre_outside_the_catalogue(persons, catalogue, rec_params, scale):
    """Another set's scale (or a typo) puts centred_cosine's origin outside the ratings."""
    with pytest.raises(BadInputError, match=r"parameters va_mapping.catalogues.soundtracks_set1."
                                            r"scale = .*: its centre .* is outside the ratings "
                                            r"of recommendable_excerpts"):
        recommend(persons, catalogue, with_scale(rec_params, scale))


def test_metric_modes_not_a_list(persons, catalogue, tracklist, points, rec_params):
    from moodrec.pipelines.recommendation.nodes import recommendation_metrics

    excerpts = catalogue
    with pytest.raises(BadInputError, match=r"metric_modes = 'cosine': must be a list"):
        recommendation_metrics(persons, excerpts, points, dict(rec_params, metric_modes="cosine"))


def test_study_map_on_set2_is_an_error(catalogue, va_params):
    """Before: a warning in the log, then set 1's 1-7 points used on set 2's 1-9 scale."""
    study_map = pd.DataFrame({"Mood": ["ANGER"], "Valence": [3], "Arousal": [5]})
    params = dict(va_params, catalogue="soundtracks_set2", emotion_points="study_map")
    with pytest.raises(BadInputError, match=r"emotion_points = 'study_map': .* catalogue "
                                            r"is 'soundtracks_set2' \(scale \[1, 9\]\); use "
                                            r"'derived'"):
        points_of(catalogue, params, study_map)


# ------------------------------------------------- through the runner: nothing written
def test_main_job_writes_nothing_on_shuffled_columns(tmp_path, ratings, tracklist,
                                                     probabilities, va_params, rec_params):
    face = _table(probabilities)
    shuffled = face.rename(columns=dict(zip(EMOTIONS, EMOTIONS[1:] + EMOTIONS[:1], strict=True)))
    catalog = DataCatalog({
        **{name: MemoryDataset(raw) for name, raw in synthetic_raw(ratings, va_params,
                                                                   tracklist).items()},
        "study_emotion_map": MemoryDataset(pd.DataFrame()),
        "face_predictions_for_mapping": MemoryDataset(shuffled),
        "audio_predictions_for_mapping": MemoryDataset(face),
        "params:va_mapping": MemoryDataset(va_params),
        "params:recommendation": MemoryDataset(rec_params),
        "person_va_points": AtomicCSVDataset(filepath=str(tmp_path / "persons.csv")),
        "recommendations": AtomicCSVDataset(filepath=str(tmp_path / "recommendations.csv")),
        "recommendation_metrics": AtomicJSONDataset(filepath=str(tmp_path / "metrics.json")),
    })
    pipeline = (va_mapping_pipeline() + recommendation_pipeline()).to_outputs(
        "recommendations", "recommendation_metrics")
    with pytest.raises(BadInputError, match=rf"{NAME} \(prediction_source=study\): column "
                                            r"'pred_label' is not the most probable"):
        SequentialRunner().run(pipeline, catalog)
    assert not [p.name for p in tmp_path.iterdir() if p.suffix in (".csv", ".json")]
