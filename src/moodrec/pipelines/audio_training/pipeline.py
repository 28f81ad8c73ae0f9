"""``audio_training``: RAVDESS clips -> features.csv -> hyperopt-tuned 1-D CNN -> metrics."""

from kedro.pipeline import Node, Pipeline

from .nodes import (
    evaluate_actor_held_out,
    evaluate_study_protocol,
    extract_feature_table,
    fit_final_scaler,
    index_clips,
    plot_actor_confusion,
    plot_search_history,
    plot_study_confusion,
    plot_training_curves,
    search_hyperparameters,
    split_by_actor,
    train_final_model,
)


def create_pipeline(**kwargs) -> Pipeline:
    return Pipeline([
        Node(index_clips, ["ravdess_clips", "params:audio_training.clips"],
             ["audio_clip_index", "audio_skipped_at_index"], name="index_ravdess_clips"),
        Node(extract_feature_table,
             ["ravdess_clips", "audio_clip_index", "audio_skipped_at_index",
              "params:audio_training.features"],
             ["audio_features", "audio_skipped_files", "audio_extraction_report"],
             name="extract_audio_features"),
        Node(split_by_actor, ["audio_features", "params:audio_training.split"],
             "audio_actor_split", name="split_audio_by_actor"),
        Node(search_hyperparameters,
             ["audio_actor_split", "audio_search_checkpoint", "params:audio_training"],
             ["audio_search_trials", "audio_best_config"], name="search_audio_hyperparameters"),
        Node(fit_final_scaler,
             ["audio_actor_split", "audio_best_config", "params:audio_training"],
             "audio_scaler", name="fit_audio_scaler"),
        Node(train_final_model,
             ["audio_actor_split", "audio_scaler", "audio_best_config", "params:audio_training"],
             ["audio_model", "audio_training_history"], name="train_audio_model"),
        Node(evaluate_actor_held_out,
             ["audio_model", "audio_scaler", "audio_actor_split", "audio_best_config",
              "audio_extraction_report", "params:audio_training"],
             ["audio_metrics", "audio_predictions"], name="evaluate_audio_actor_held_out"),
        Node(evaluate_study_protocol,
             ["audio_features", "audio_best_config", "params:audio_training"],
             "audio_metrics_study_protocol", name="evaluate_audio_study_protocol"),
        Node(plot_actor_confusion, "audio_metrics", "audio_confusion_matrix",
             name="plot_audio_confusion_matrix"),
        Node(plot_study_confusion, "audio_metrics_study_protocol",
             "audio_confusion_matrix_study_protocol", name="plot_audio_confusion_study_protocol"),
        Node(plot_training_curves, "audio_training_history", "audio_training_curves",
             name="plot_audio_training_curves"),
        Node(plot_search_history, "audio_search_trials", "audio_search_history",
             name="plot_audio_search_history"),
    ])
