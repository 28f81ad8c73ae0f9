"""Nodes of ``audio_training`` that draw and write: plots and the model card."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd

from moodrec.core.emotions import EMOTIONS
from moodrec.training.evaluation import confusion_matrix_figure


def plot_cv_confusion(loco: Mapping[str, Any]) -> plt.Figure:
    """Pooled confusion matrix of the leave-one-corpus-out predictions."""
    return confusion_matrix_figure(loco["pooled"],
                                   "voice, leave one corpus out (out-of-sample)")


def plot_robustness(robustness: pd.DataFrame) -> plt.Figure:
    """Accuracy per recording condition, with the share of predictions per class."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5), sharey=True)
    y = range(len(robustness))
    left.barh(y, robustness["accuracy"], color="tab:blue")
    left.axvline(0.45, color="tab:red", ls="--", label="target floor 0.45")
    left.axvline(1 / len(EMOTIONS), color="grey", ls=":", label="chance")
    left.set_yticks(list(y), robustness["condition"])
    left.invert_yaxis()
    left.set_xlabel("accuracy (answered clips)")
    left.legend(loc="lower right")
    start = pd.Series(0.0, index=robustness.index)
    for emotion in EMOTIONS:
        share = robustness[f"share_{emotion}"]
        right.barh(y, share, left=start, label=emotion)
        start += share
    right.axvline(0.40, color="tab:red", ls="--")
    right.set_xlabel("share of predictions per class (red: 40 % ceiling)")
    right.legend(ncol=3, fontsize=8, loc="lower right")
    fig.suptitle("voice model under recording changes (fixed split's held-out speakers)")
    fig.tight_layout()
    return fig


def plot_search_history(trials: pd.DataFrame) -> plt.Figure:
    """Grouped-CV accuracy (mean over corpora) of each trial and the running best."""
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(trials.trial, trials.cv_accuracy, "o", alpha=0.6, label="trial")
    ax.plot(trials.trial, trials.cv_accuracy.cummax(), "-", label="best so far")
    ax.set_xlabel("trial")
    ax.set_ylabel("grouped-CV accuracy")
    ax.set_title(f"hyperopt TPE, {len(trials)} trials")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    return fig


def _share_text(shares: Mapping[str, float]) -> str:
    return ", ".join(f"{name} {value:.0%}" for name, value in shares.items())


def _group_rows(groups: list[Mapping[str, Any]], key: str) -> str:
    return "\n".join(
        f"| {g[key]} | {g['speakers']} | {g['clips']} | {g['accuracy']:.3f} | "
        f"{g['macro_f1']:.3f} | {_share_text(g['shares'])} |" for g in groups)


def voice_model_card(loco: Mapping[str, Any], cv: Mapping[str, Any], fixed: Mapping[str, Any],
                     leaky: Mapping[str, Any], robustness: pd.DataFrame,
                     calibration: Mapping[str, Any], extraction: Mapping[str, Any],
                     search: Mapping[str, Any]) -> str:
    """The shipped voice model's card (Markdown), from this run's measured numbers."""
    pooled = loco["pooled"]
    per_class = "\n".join(
        f"| {name} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {s['support']} |"
        for name, s in pooled["per_class"].items())
    suite = "\n".join(
        f"| {r.condition} | {r.accuracy:.3f} | {r.top_share:.2f} | {r.refused} |"
        for r in robustness.itertuples())
    table_head = ("| corpus | speakers | clips | accuracy | macro-F1 | share of predictions |\n"
                  "|---|---:|---:|---:|---:|---|")
    left_out = "; ".join(f"{corpus}: " + ", ".join(f"{n} {why}" for why, n in reasons.items())
                         for corpus, reasons in extraction["left_out_by_corpus"].items())
    return f"""# Voice-emotion model card (`models/audio/voice_model.pkl`)

Written by the `audio_training` pipeline from the run that produced the model; every number
below was measured by that run.

- **Task**: six emotions (`{"`, `".join(EMOTIONS)}`) from a voice clip.
- **Input**: any clip; the speech part is kept, refused if it is not speech (silence, a
  steady tone, noise, clipping), brought to {cv["settings"]["target_dbfs"]} dBFS on its
  voiced frames, then `{cv["config"]["feature_set"]}` features at
  {cv["settings"]["sample_rate"]} Hz (`moodrec.audio.voice_reader.VoiceModel.read`, the code
  evaluation uses too).
- **Training data**: {", ".join(extraction["clips_by_corpus"])}: {extraction["clips_with_features"]}
  clips of the six emotions ({"; ".join(f"{c} {sum(n.values())}" for c, n in
  extraction["clips_by_corpus"].items())}). Left out: {left_out or "nothing"}.
- **Model**: scikit-learn, `{cv["config"]}`, chosen by {search["trials"]} hyperopt trials
  scored by `{search["objective"]}` on every corpus ({search["cv_accuracy"]:.3f}; where the
  space has more than one point that score chose the model and is optimistic: the headline
  below is nested); fitted on every speaker of every corpus (originals + augmented copies).
- **Confidence**: probabilities tempered with T = {loco["temperature"]:.2f}, fitted on the
  leave-one-corpus-out predictions (mean top probability
  {loco["mean_top_probability"]["raw"]:.2f} raw, {loco["mean_top_probability"]["tempered"]:.2f}
  tempered).
- **Features**: {extraction["clips_with_features"]} clips, {extraction["rows"]} rows,
  {extraction["clips_per_s"]} clips/s ({extraction["rows_per_s"]} rows/s) on
  {extraction["workers"]} workers.
- **Light copy**: `models/audio/voice_model.onnx`, both classifiers exported for ONNX
  Runtime by the `export_voice_model_onnx` node, feature settings and temperature inside
  (`moodrec.inference.voice.OnnxVoiceModel`: the same reading without scikit-learn, to
  1e-4; the person path reads it).

## Leave one corpus out (headline)

**Accuracy {loco["accuracy_mean"]:.3f} +- {loco["accuracy_sd"]:.3f}, macro-F1
{loco["macro_f1_mean"]:.3f} +- {loco["macro_f1_sd"]:.3f}** (mean +- sd over the
{len(loco["held_outs"])} held-out corpora; {loco["protocol"]}).

{table_head}
{_group_rows(loco["held_outs"], "held_out")}

Configuration each nested search chose: {"; ".join(f"without {c}: `{v}`" for c, v in
loco["chosen_configs"].items())}.

Pooled over the held-out corpora (share of predictions: {_share_text(pooled["prediction_share"])}):

| emotion | precision | recall | F1 | support |
|---|---|---|---|---|
{per_class}

## Grouped cross-validation by speaker within corpora

Accuracy {cv["accuracy_mean"]:.3f} +- {cv["accuracy_sd"]:.3f}, macro-F1
{cv["macro_f1_mean"]:.3f} +- {cv["macro_f1_sd"]:.3f} (mean +- sd over {len(cv["folds"])} folds;
{cv["protocol"]}). Per corpus:

{table_head}
{_group_rows(cv["corpora"], "corpus")}

## Beside it
- Fixed split ({fixed["protocol"]}): accuracy {fixed["accuracy"]:.3f}, macro-F1
  {fixed["macro_f1"]:.3f} ({fixed["n"]} clips).
- Study protocol, **leaky** ({leaky["protocol"]}): accuracy {leaky["accuracy"]:.3f}.
- Calibration to a person's voice ({calibration["protocol"]}): accuracy
  {calibration["accuracy_without_calibration"]:.3f} without,
  {calibration["accuracy_with_calibration"]:.3f} with ({calibration["clips_scored"]} clips).

## Robustness (fixed split's test speakers, fixed-split model)

| condition | accuracy | largest class share | refused |
|---|---|---|---|
{suite}

## Limits
Acted speech from three studios (RAVDESS English, EmoDB German, EMOVO Italian) and Urdu talk
shows (URDU, four emotions, most speakers in one emotion only); other languages, accents and
spontaneous speech may do worse, as the held-out corpora show. Not for decisions about people.
"""
