"""``audio_training``: the voice corpora's clips -> voice features (with augmented copies) -> a
searched scikit-learn model scored leaving one corpus out and by speaker within corpora (and
its ONNX export, the person path's light model) -> robustness, calibration, model card."""

from kedro.pipeline import Node, Pipeline

from moodrec.inference.export import voice_to_onnx

from .modelling import (
    cross_validate_voice_model,
    evaluate_fixed_split,
    evaluate_leaky_protocol,
    evaluate_leave_one_corpus_out,
    fit_fixed_split_model,
    fit_voice_model,
    search_voice_model,
)
from .nodes import extract_feature_table, index_clips
from .reporting import plot_cv_confusion, plot_robustness, plot_search_history, voice_model_card
from .robustness import evaluate_calibration, evaluate_robustness

PARAMS = "params:audio_training"


def create_pipeline(**kwargs) -> Pipeline:
    return Pipeline([
        Node(index_clips, ["voice_corpora_clips", f"{PARAMS}.corpora", f"{PARAMS}.clips"],
             ["audio_clip_index", "audio_skipped_at_index"], name="index_voice_clips"),
        Node(extract_feature_table,
             ["voice_corpora_clips", "audio_clip_index", "audio_skipped_at_index",
              f"{PARAMS}.features"],
             ["audio_features", "audio_skipped_files", "audio_extraction_report"],
             name="extract_voice_features"),
        Node(search_voice_model, ["audio_features", "audio_search_checkpoint", PARAMS],
             ["audio_search_trials", "audio_best_config"], name="search_voice_model"),
        Node(cross_validate_voice_model, ["audio_features", "audio_best_config", PARAMS],
             ["audio_cv_predictions", "audio_metrics"], name="cross_validate_voice_model"),
        Node(evaluate_leave_one_corpus_out, ["audio_features", PARAMS],
             ["audio_loco_predictions", "audio_metrics_loco"],
             name="evaluate_voice_leave_one_corpus_out"),
        Node(fit_voice_model, ["audio_features", "audio_best_config", "audio_metrics_loco",
                               PARAMS], "audio_model", name="fit_voice_model"),
        Node(voice_to_onnx, "audio_model", "audio_model_onnx", name="export_voice_model_onnx"),
        Node(fit_fixed_split_model,
             ["audio_features", "audio_best_config", "audio_metrics_loco", PARAMS],
             "audio_fixed_split_model", name="fit_fixed_split_voice_model"),
        Node(evaluate_fixed_split, ["audio_fixed_split_model", "audio_features", PARAMS],
             ["audio_metrics_fixed_split", "audio_predictions"],
             name="evaluate_voice_fixed_split"),
        Node(evaluate_leaky_protocol, ["audio_features", "audio_best_config", PARAMS],
             "audio_metrics_study_protocol", name="train_and_score_leaky_study_protocol"),
        Node(evaluate_robustness,
             ["voice_corpora_clips", "audio_clip_index", "audio_fixed_split_model", PARAMS],
             "audio_robustness", name="evaluate_voice_robustness"),
        Node(evaluate_calibration, ["audio_features", "audio_fixed_split_model", PARAMS],
             "audio_calibration_metrics", name="evaluate_voice_calibration"),
        Node(plot_cv_confusion, "audio_metrics_loco", "audio_confusion_matrix",
             name="plot_voice_confusion_matrix"),
        Node(plot_robustness, "audio_robustness", "audio_robustness_plot",
             name="plot_voice_robustness"),
        Node(plot_search_history, "audio_search_trials", "audio_search_history",
             name="plot_voice_search_history"),
        Node(voice_model_card,
             ["audio_metrics_loco", "audio_metrics", "audio_metrics_fixed_split",
              "audio_metrics_study_protocol", "audio_robustness", "audio_calibration_metrics",
              "audio_extraction_report", "audio_best_config"],
             "audio_model_card", name="write_voice_model_card"),
    ])
