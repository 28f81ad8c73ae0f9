"""``face_training``: FER2013 faces -> a Keras CNN -> model, metrics, plots, probability table.

Two parts:

* data preparation (FER2013's own splits, pixels parsed once per split);
* :func:`training_template`, a modular pipeline (train -> predict -> evaluate -> report) that
  :func:`create_pipeline` reuses under the namespace ``face_training`` with its inputs and
  outputs mapped to catalog entries. The architecture it trains is a parameter
  (``face_training.architecture``: ``cnn``, ``dcnn`` or ``compact``).
"""

from __future__ import annotations

from kedro.pipeline import Node, Pipeline

from moodrec.inference.export import face_to_onnx

from .card import model_card
from .nodes import (
    SPLIT_ROLES,
    assemble_face_model,
    ckplus_faces,
    evaluate_cross_corpus,
    evaluate_predictions,
    fit_test_time_bias,
    parse_faces,
    plot_confusion_matrix,
    plot_training_curves,
    predict_faces,
    split_face_table,
    train_face_model,
)


def data_preparation() -> Pipeline:
    """``face_data`` -> images and labels of the train, select and report splits."""
    split = Node(
        split_face_table,
        inputs=["face_data", "params:face_training.splits", "params:face_training.seed"],
        outputs=["face_train_table", "face_select_table", "face_report_table"],
        name="split_face_table",
    )
    parse = [
        Node(parse_faces, inputs=f"face_{role}_table",
             outputs=[f"face_{role}_images", f"face_{role}_labels"], name=f"parse_{role}_faces")
        for role in SPLIT_ROLES
    ]
    ckplus = Node(ckplus_faces,
                  inputs=["ckplus_faces", "params:face_training.ckplus.dropped_classes"],
                  outputs=["ckplus_images", "ckplus_labels", "ckplus_subjects", "ckplus_dropped"],
                  name="parse_ckplus_faces")
    return Pipeline([split, *parse, ckplus])


def training_template() -> Pipeline:
    """Train one architecture, fit the logit bias on the select split, assemble the shipped
    model (test-time views and bias built in), export it for ONNX Runtime (the person path's
    light model), predict the report split, evaluate (and on CK+48), plot, write a model card.

    Free inputs: ``{train,select,report}_{images,labels}``, ``ckplus_{images,labels,subjects,
    dropped}``; parameters ``params:options`` (the whole ``face_training`` block),
    ``params:splits`` and ``params:test_time``.
    """
    return Pipeline([
        Node(train_face_model,
             inputs=["train_images", "train_labels", "select_images", "select_labels",
                     "params:options"],
             outputs=["network", "history", "summary"], name="train_model"),
        Node(fit_test_time_bias,
             inputs=["network", "train_labels", "select_images", "select_labels",
                     "params:test_time"],
             outputs="test_time_bias", name="fit_test_time_bias"),
        Node(assemble_face_model,
             inputs=["network", "summary", "test_time_bias", "params:test_time"],
             outputs=["model", "shipped_summary"], name="assemble_model"),
        Node(face_to_onnx, inputs="model", outputs="onnx_model", name="export_onnx"),
        Node(predict_faces, inputs=["model", "report_images", "report_labels"],
             outputs="predictions", name="predict_report_split"),
        Node(evaluate_predictions,
             inputs=["predictions", "shipped_summary", "train_images", "report_images",
                     "params:splits.report"],
             outputs="metrics", name="evaluate_predictions"),
        Node(evaluate_cross_corpus,
             inputs=["model", "ckplus_images", "ckplus_labels", "ckplus_subjects",
                     "ckplus_dropped"],
             outputs="cross_corpus_metrics", name="evaluate_ckplus"),
        Node(plot_confusion_matrix, inputs="metrics", outputs="confusion_matrix_plot",
             name="plot_confusion_matrix"),
        Node(plot_training_curves, inputs=["history", "summary"],
             outputs="training_curves_plot", name="plot_training_curves"),
        Node(model_card, inputs=["metrics", "cross_corpus_metrics", "params:splits"],
             outputs="model_card",
             name="write_model_card"),
    ])


#: Template outputs -> catalog entries (base: shipped paths; smoke env: under data/smoke/).
OUTPUTS = {
    "network": "face_network",
    "summary": "face_training_summary",
    "model": "face_model",
    "onnx_model": "face_model_onnx",
    "history": "face_training_history",
    "predictions": "face_predictions",
    "metrics": "face_metrics",
    "cross_corpus_metrics": "face_ckplus_metrics",
    "confusion_matrix_plot": "face_confusion_matrix",
    "training_curves_plot": "face_training_curves",
    "model_card": "face_model_card",
}


def create_pipeline(**kwargs) -> Pipeline:
    training = Pipeline(
        training_template(),
        namespace="face_training",
        inputs={f"{role}_{kind}": f"face_{role}_{kind}"
                for role in SPLIT_ROLES for kind in ("images", "labels")}
        | {f"ckplus_{kind}": f"ckplus_{kind}"
           for kind in ("images", "labels", "subjects", "dropped")},
        outputs=OUTPUTS,
        parameters={"params:options": "params:face_training",
                    "params:splits": "params:face_training.splits",
                    "params:test_time": "params:face_training.test_time",
                    "params:splits.report": "params:face_training.splits.report"},
    )
    return data_preparation() + training
