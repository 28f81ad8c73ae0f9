"""The shipped face model's card (Markdown), written from the run's measured numbers."""

from __future__ import annotations

from typing import Any


def _views(views: list[dict[str, Any]]) -> str:
    return ", ".join(("mirrored " if v["flip"] else "") + ("shifted ({}, {}) px".format(*v["shift"])
                     if any(v["shift"]) else "as is") for v in views)


def model_card(metrics: dict[str, Any], cross_corpus: dict[str, Any],
               splits: dict[str, Any]) -> str:
    """The shipped model's card (Markdown), from this run's measured numbers."""
    t = metrics["training"]
    tta = t["test_time"]
    before, after = tta["select_without_bias"], tta["select_with_bias"]
    bias = ", ".join(f"{k} {v:+.2f}" for k, v in tta["bias"].items())
    ck = cross_corpus
    ck_recall = ", ".join(f"{k} {v:.3f}" for k, v in ck["recall"].items())
    ck_shares = ", ".join(f"{k} {v:.1%}" for k, v in ck["prediction_share"].items())
    ck_dropped = ", ".join(f"{k} {v}" for k, v in ck["dropped"].items())
    rows = "\n".join(
        f"| {name} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {s['support']} |"
        for name, s in metrics["per_class"].items()
    )
    model_options = ", ".join(f"{k}={v}" for k, v in t["model"].items()) or "as in the study"
    training = ", ".join(f"{k}={v}" for k, v in t["training"].items())
    shares = ", ".join(f"{k} {v:.1%}" for k, v in metrics["prediction_share"].items())
    unseen = metrics["without_train_repeats"]
    return f"""# Face-emotion model card (`models/face/face_model.keras`)

Written by the `face_training` pipeline from the run that produced the model; every number
below was measured by that run.

- **Task**: six emotions (`{"`, `".join(metrics["labels"])}`) from a 48x48 grey face.
- **Input**: `float32` or `uint8` array `(n, 48, 48, 1)`, values 0-255 (the model rescales to
  [0, 1] itself); `moodrec.core.faces.to_model_input` makes one from a grey 48x48 face.
  **Output**: six softmax probabilities in that order.
- **Architecture**: `{t["architecture"]}` ({model_options}); {t["parameters"]:,} parameters,
  {t["multiply_adds_per_image"] / 1e6:.1f} M multiply-adds per image.
- **Data**: FER2013 (`face-data.csv`, disgust removed). Trained on `{splits["train"]}`
  ({t["train_rows"]:,} faces, with augmentation {t["augmentation"]}); model selection
  (best epoch, learning-rate schedule) on `{splits["select"]}` ({t["select_rows"]:,} faces);
  reported on `{metrics["split"]}` ({metrics["n"]:,} faces), never used for training or selection.
- **Test-time augmentation and logit bias**, built in: the model's output is the mean, over
  {len(tta["views"])} views of the face ({_views(tta["views"])}), of softmax(logits + b), with
  b = -{tta["strength"]} x log(class shares of `{splits["train"]}`) = {bias} (logit
  adjustment; the strength chosen on `{splits["select"]}` only: its macro-F1
  {before["macro_f1"]:.4f} -> {after["macro_f1"]:.4f}, accuracy {before["accuracy"]:.4f} ->
  {after["accuracy"]:.4f}).
- **Light copy**: `models/face/face_model.onnx`, this model (views and bias included)
  exported for ONNX Runtime by the `export_onnx` node (`moodrec.inference.face.OnnxFaceModel`:
  the same probabilities to 1e-4 without TensorFlow; the person path reads it).
- **Training**: {training}; seed {t["seed"]}; {t["epochs_run"]} epochs run (stopped by
  {t["stopped_by"]}), best epoch {t["best_epoch"]} (select accuracy
  {t["select_accuracy_best_epoch"]:.4f}); {t["wall_seconds_this_run"] / 60:.1f} min wall time for
  the last {t["epochs_this_run"]} epoch(s) (a resumed run counts only its own),
  {t["train_images_per_second"]:.0f} training images/s on {t["machine"]};
  TensorFlow {t["tensorflow"]}, Keras {t["keras"]}; finished {t["finished_utc"]}.

## Results on {metrics["split"]}

**Accuracy {metrics["accuracy"]:.4f}, macro-F1 {metrics["macro_f1"]:.4f}** ({metrics["n"]:,} faces).
Without the {unseen["faces_removed"]} faces that also appear, pixel-identical, in
`{splits["train"]}`: accuracy {unseen["accuracy"]:.4f}, macro-F1 {unseen["macro_f1"]:.4f}
({unseen["n"]:,} faces).

Share of predictions per class: {shares}.

| emotion | precision | recall | F1 | support |
|---|---|---|---|---|
{rows}

Confusion matrix (rows true, columns predicted, order as above):
`{metrics["confusion_matrix"]}`

## Other people: CK+48 (never used for training or selection)

**CK+48 accuracy {ck["accuracy"]:.4f}** ({ck["n"]} faces of {ck["subjects"]} subjects, 5 of
the six classes; per subject, mean accuracy {ck["subject_mean_accuracy"]:.4f}; left out:
{ck_dropped}). Macro-F1 over the five classes {ck["macro_f1_present_classes"]:.4f}; recall
{ck_recall}. Share of predictions per class: {ck_shares}.

## Reproduce

    kedro run --pipelines face_training

(parameters in `conf/base/parameters_face_training.yml`; see `docs/face_training.md` for the
exact command of the shipped run and the comparison with the study's networks.)

## Limits

FER2013 faces are small, grey, mostly frontal web images; accuracy on webcam faces with other
lighting, pose or demographics will differ. Not for decisions about people.
"""
