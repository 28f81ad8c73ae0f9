"""Nodes of ``audio_training`` that choose, fit and score the voice model.

Every score comes from speakers the model never trained on: leave-one-corpus-out (the
headline), grouped cross-validation by speaker within corpora, and a fixed split beside them.
The study's leaky random split is computed by a node that says so in its name.
:func:`search_voice_model` writes its checkpoint through the handle the catalog's
:class:`~moodrec.datasets.audio.HyperoptTrialsDataset` hands it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import pandas as pd

from moodrec.audio import voice_model as vm
from moodrec.audio.voice_reader import VoiceModel
from moodrec.core.emotions import EMOTIONS, labels_to_indices
from moodrec.training.evaluation import classification_metrics, prediction_table

logger = logging.getLogger(__name__)

MODEL_KEYS = {"logreg": ("C",), "svm": ("C", "gamma"), "mlp": ("hidden_units", "alpha")}


def _config(sampled: Mapping[str, Any]) -> dict[str, Any]:
    """A sampled point of the search space, kept to what its model family uses."""
    family = sampled["family"]
    config = {"feature_set": sampled["feature_set"], "family": family,
              "balance": sampled["balance"]}
    for key in MODEL_KEYS[family]:
        value = sampled[key]
        config[key] = int(value) if key == "hidden_units" else float(value)
    return config


def _scores(oof: pd.DataFrame, by: str) -> dict[str, Any]:
    """Mean +- sd of accuracy and macro-F1 over the groups ``by`` (folds, corpora), each
    group's scores and class shares, and the pooled metrics."""
    scores = vm.scores_by(oof, by)
    pooled = classification_metrics(oof["true"].to_numpy(),
                                    oof[list(EMOTIONS)].to_numpy().argmax(axis=1))
    return {
        "accuracy_mean": float(scores["accuracy"].mean()),
        "accuracy_sd": float(scores["accuracy"].std(ddof=1)) if len(scores) > 1 else 0.0,
        "macro_f1_mean": float(scores["macro_f1"].mean()),
        "macro_f1_sd": float(scores["macro_f1"].std(ddof=1)) if len(scores) > 1 else 0.0,
        by + "s": scores.to_dict("records"),
        "pooled": pooled,
    }


def _grouped_cv(features: pd.DataFrame, config: Mapping[str, Any],
                params: Mapping[str, Any]) -> tuple[pd.DataFrame, list[list[str]]]:
    folds = vm.speaker_folds(features["speaker"], int(params["evaluation"]["folds"]))
    return vm.cross_validate(features, config, folds, int(params["seed"]),
                             params["neutral_label"]), folds


def _selection_score(table: pd.DataFrame, config: Mapping[str, Any],
                     params: Mapping[str, Any]) -> pd.DataFrame:
    """Per corpus, the scores a trial is chosen by (``search.objective``): leave one of the
    table's corpora out in turn, or grouped CV by speaker."""
    objective = params["search"]["objective"]
    if objective == "leave_one_corpus_out":
        folds = vm.corpus_folds(table)
        if len(folds) < 2:
            raise ValueError("search.objective leave_one_corpus_out needs two corpora to search "
                             "on (three in audio_training.corpora, for the nested headline)")
        oof = vm.cross_validate(table, config, folds, int(params["seed"]),
                                params["neutral_label"])
    elif objective == "grouped_cv":
        oof = _grouped_cv(table, config, params)[0]
    else:
        raise ValueError(f"search.objective {objective!r}: expected leave_one_corpus_out or "
                         "grouped_cv")
    return vm.scores_by(oof, "corpus")


def _search(table: pd.DataFrame, checkpoint, params: Mapping[str, Any],
            fingerprint_value: str) -> tuple[Any, dict[str, Any]]:
    """TPE over ``search.space``, each trial scored by the mean over corpora of
    :func:`_selection_score`; the trials and the best one's configuration and scores."""
    from .search import run_search

    search = params["search"]

    def objective(sampled: dict[str, Any]) -> dict[str, Any]:
        config = _config(sampled)
        by_corpus = _selection_score(table, config, params)
        accuracy = float(by_corpus["accuracy"].mean())
        return {"loss": 1.0 - accuracy, "config": config, "cv_accuracy": accuracy,
                "cv_macro_f1": float(by_corpus["macro_f1"].mean())}

    trials = run_search(objective, search["space"], max_evals=int(search["max_evals"]),
                        seed=int(params["seed"]), checkpoint=checkpoint,
                        resume=bool(search["resume"]), fingerprint_value=fingerprint_value)
    best = min((t["result"] for t in trials.trials if t["result"].get("status") == "ok"),
               key=lambda r: r["loss"])
    return trials, {"config": best["config"], "cv_accuracy": best["cv_accuracy"],
                    "cv_macro_f1": best["cv_macro_f1"], "trials": len(trials.trials)}


def search_voice_model(features: pd.DataFrame, checkpoint, params: Mapping[str, Any]
                       ) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The shipped configuration: TPE over feature set x class balance x model family x
    hyperparameters on every corpus, each trial scored by ``search.objective`` (mean over
    corpora); resumes from ``checkpoint``. Its score chose the configuration, so it is
    optimistic: the headline is :func:`evaluate_leave_one_corpus_out`'s nested figure."""
    from .search import fingerprint, trials_table

    trials, best = _search(features, checkpoint, params, fingerprint(
        features.to_numpy(str), settings={
            "space": params["search"]["space"], "objective": params["search"]["objective"],
            "folds": params["evaluation"]["folds"], "seed": params["seed"]}))
    logger.info("best voice model: %s, %s accuracy (mean over corpora) %.3f", best["config"],
                params["search"]["objective"], best["cv_accuracy"])
    return trials_table(trials), {**best, "objective": params["search"]["objective"]}


def cross_validate_voice_model(features: pd.DataFrame, best: Mapping[str, Any],
                               params: Mapping[str, Any]) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Grouped CV by speaker within corpora: out-of-fold probabilities of every original clip
    (each fold holds out some speakers of every corpus; the model trains on the rest of all
    corpora) and accuracy / macro-F1 mean +- sd over folds, per corpus, per class, shares."""
    oof, folds = _grouped_cv(features, best["config"], params)
    metrics = {"protocol": f"grouped cross-validation by speaker, {len(folds)} folds, each "
                           "holding out a group of every corpus's speakers; original clips "
                           "scored, augmented copies only trained",
               **_scores(oof, "fold"), "corpora": vm.scores_by(oof, "corpus").to_dict("records"),
               "config": dict(best["config"]),
               "settings": {k: params["features"][k] for k in ("sample_rate", "target_dbfs")}}
    logger.info("voice model, grouped CV: accuracy %.3f +- %.3f, macro-F1 %.3f",
                metrics["accuracy_mean"], metrics["accuracy_sd"], metrics["macro_f1_mean"])
    return oof, metrics


def evaluate_leave_one_corpus_out(features: pd.DataFrame, params: Mapping[str, Any]
                                  ) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The headline, nested: each corpus in turn held out; the search runs again on the other
    corpora alone (same space, budget and objective; a space of one point is taken as it is),
    its best configuration is fitted on them (originals and augmented copies) and reads the
    held-out corpus's original clips, which no choice has seen. Returns the out-of-sample
    table (one row per original clip: corpus, speaker, file, emotion, six probabilities) and
    the metrics per held-out corpus (accuracy, macro-F1, class shares, the configuration
    chosen), with the temperature fitted on these probabilities (a new person is a new
    recording setup, as a held-out corpus is)."""
    from .search import MemoryCheckpoint

    seed, neutral = int(params["seed"]), params["neutral_label"]
    space = params["search"]["space"]
    single = ({k: v["fixed"] for k, v in space.items()}
              if all(set(v) == {"fixed"} for v in space.values()) else None)
    parts, chosen = [], {}
    for number, fold in enumerate(vm.corpus_folds(features)):
        held_out = features["speaker"].isin(fold)
        corpus = str(features.loc[held_out, "corpus"].iloc[0])
        if single is None:
            _, best = _search(features[~held_out], MemoryCheckpoint(), params, "nested")
            config = best["config"]
        else:  # a space of one point: nothing to choose, nothing to score
            config = _config(single)
        chosen[corpus] = config
        logger.info("leave out %s: %s", corpus, config)
        oof = vm.cross_validate(features, config, [fold], seed, neutral)
        parts.append(oof.assign(fold=number))
    oof = pd.concat(parts, ignore_index=True)
    probabilities = oof[list(EMOTIONS)].to_numpy()
    temperature = vm.fit_temperature(probabilities, oof["true"].to_numpy())
    files = features.loc[features["variant"].eq(vm.ORIGINAL)].set_index("clip_id")["file"]
    table = pd.DataFrame({"corpus": oof["corpus"], "speaker": oof["speaker"],
                          "file": oof["clip_id"].map(files),
                          "emotion": [EMOTIONS[i] for i in oof["true"]]})
    table[list(EMOTIONS)] = probabilities
    metrics = {"protocol": "leave one corpus out, nested: for each held-out corpus the search "
                           f"({params['search']['max_evals']} trials, objective "
                           f"{params['search']['objective']}) runs on the other corpora only; "
                           "the chosen model trains on them (originals and augmented copies) "
                           "and reads the held-out corpus's original clips",
               **_scores(oof.assign(held_out=oof["corpus"]), "held_out"),
               "chosen_configs": chosen, "temperature": temperature,
               "mean_top_probability": {
                   "raw": float(probabilities.max(axis=1).mean()),
                   "tempered": float(vm.tempered(probabilities, temperature).max(axis=1).mean())}}
    logger.info("voice model, leave one corpus out: %s; mean %.3f; temperature %.2f",
                {r["held_out"]: round(r["accuracy"], 3) for r in metrics["held_outs"]},
                metrics["accuracy_mean"], temperature)
    return table, metrics


def _voice_model(table: pd.DataFrame, config: Mapping[str, Any], params: Mapping[str, Any],
                 temperature: float) -> VoiceModel:
    seed, neutral = int(params["seed"]), params["neutral_label"]
    return VoiceModel(
        classifier=vm.fit(table, config, seed, neutral),
        relative_classifier=vm.fit(table, {**config, "speaker_relative": True}, seed, neutral),
        settings={**{k: params["features"][k] for k in ("sample_rate", "target_dbfs",
                                                          "speech_checks")},
                  "feature_set": config["feature_set"]},
        feature_names=vm.feature_columns(table, config["feature_set"]),
        temperature=temperature,
    )


def fit_voice_model(features: pd.DataFrame, best: Mapping[str, Any],
                    loco: Mapping[str, Any], params: Mapping[str, Any]) -> VoiceModel:
    """The shipped model: the search's configuration fitted on every speaker of every corpus
    (all variants), with the temperature of leave-one-corpus-out."""
    return _voice_model(features, best["config"], params, loco["temperature"])


def fit_fixed_split_model(features: pd.DataFrame, best: Mapping[str, Any],
                          loco: Mapping[str, Any], params: Mapping[str, Any]) -> VoiceModel:
    """The same configuration fitted on every speaker but the fixed split's test speakers
    (for the fixed-split table, the robustness suite and the calibration measurement)."""
    train = ~features["speaker"].isin(params["evaluation"]["fixed_split"]["test_speakers"])
    return _voice_model(features[train], best["config"], params, loco["temperature"])


def evaluate_fixed_split(model: VoiceModel, features: pd.DataFrame,
                         params: Mapping[str, Any]) -> tuple[dict[str, Any], pd.DataFrame]:
    """Scores on the fixed split's test actors (original clips) and their probability
    table (what ``va_mapping`` reads as the project's audio predictions)."""
    split = params["evaluation"]["fixed_split"]
    test = features[features["speaker"].isin(split["test_speakers"])
                    & features["variant"].eq(vm.ORIGINAL)]
    probabilities = model.read_features(test[model.feature_names].to_numpy(float))
    y = labels_to_indices(test["label"], where="audio_features.label")
    metrics = classification_metrics(y, probabilities.argmax(axis=1))
    return ({"protocol": f"fixed split: trained on every other speaker, tested on "
                         f"{', '.join(split['test_speakers'])}", **metrics},
            prediction_table(probabilities, y_true=y))


def evaluate_leaky_protocol(features: pd.DataFrame, best: Mapping[str, Any],
                            params: Mapping[str, Any]) -> dict[str, Any]:
    """The study's protocol, for comparison only, trained here on purpose: a random split
    over *every* row, so copies of one clip and the same actors sit on both sides (leaky)."""
    from sklearn.model_selection import train_test_split

    study = params["evaluation"]["study_protocol"]
    train, test = train_test_split(features, test_size=float(study["test_size"]),
                                   random_state=int(study["random_state"]), shuffle=True)
    config, seed, neutral = best["config"], int(params["seed"]), params["neutral_label"]
    model = vm.fit(train, config, seed, neutral)
    x, y = vm.design(test, config, neutral)
    leaked = float(test["clip_id"].isin(set(train["clip_id"])).mean())
    return {"protocol": "the study's random split over every row (LEAKY: copies of a clip "
                        "and every actor on both sides; not a measure of new speakers)",
            "test_rows_whose_clip_is_also_in_train": leaked,
            **classification_metrics(y, vm.probabilities(model, x).argmax(axis=1))}
