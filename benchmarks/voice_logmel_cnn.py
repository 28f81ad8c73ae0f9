"""A measured alternative to the shipped voice features: a small CNN on log-mel spectrograms,
scored exactly like the shipped model (grouped cross-validation by actor, 6 folds of 4 actors,
original clips only, the same speech trimming and level normalisation).

Not part of the pipeline's search: one CNN per fold costs minutes on 2 CPU cores, against a
second for the scikit-learn families. Its result is recorded in docs/audio_training.md::

    python benchmarks/voice_logmel_cnn.py --json docs/benchmarks/voice_logmel_cnn.json
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import yaml

from moodrec.audio.level import prepare_voice
from moodrec.audio.naming import parse_ravdess_name
from moodrec.audio.voice_model import speaker_folds
from moodrec.core.emotions import EMOTIONS
from moodrec.training.evaluation import classification_metrics
from moodrec.training.machine import describe

FRAMES, MELS = 128, 64  # 128 frames of 20 ms hop: 2.56 s of speech, centred


def log_mel(path: Path, settings: dict) -> np.ndarray:
    import librosa

    from moodrec.audio.io import load_audio

    sr = int(settings["sample_rate"])
    signal = prepare_voice(load_audio(path, sr=sr), sr, float(settings["target_dbfs"]))
    mel = librosa.feature.melspectrogram(y=signal, sr=sr, n_fft=512, hop_length=sr // 50,
                                         n_mels=MELS)
    db = librosa.power_to_db(mel, ref=1.0, top_db=80.0)
    start = max(0, (db.shape[1] - FRAMES) // 2)
    window = db[:, start: start + FRAMES]
    padded = np.full((MELS, FRAMES), db.min(), np.float32)
    padded[:, : window.shape[1]] = window
    return (padded - padded.mean()) / (padded.std() + 1e-6)


def small_cnn(seed: int):
    import keras
    from keras import layers

    keras.utils.set_random_seed(seed)
    inputs = keras.Input((MELS, FRAMES, 1))
    x = inputs
    for filters in (16, 32, 64):
        x = layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
        x = layers.BatchNormalization()(x)
        x = layers.ReLU()(x)
        x = layers.MaxPooling2D()(x)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dropout(0.3)(x)
    model = keras.Model(inputs, layers.Dense(len(EMOTIONS), activation="softmax")(x))
    model.compile(keras.optimizers.AdamW(2e-3, weight_decay=1e-2),
                  "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", default="data/01_raw/ravdess")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()

    from joblib import Parallel, delayed

    params = yaml.safe_load(Path("conf/base/parameters_audio_training.yml").read_text())
    settings = params["audio_training"]["features"]
    clips = [(p, parse_ravdess_name(p.name)) for p in sorted(Path(args.folder).rglob("*.flac"))]
    clips = [(p, c) for p, c in clips if c.emotion in EMOTIONS]
    started = time.perf_counter()
    x = np.stack(Parallel(n_jobs=-1)(delayed(log_mel)(p, settings) for p, _ in clips))[..., None]
    y = np.array([EMOTIONS.index(c.emotion) for _, c in clips])
    actors = np.array([f"ravdess:{c.actor:02d}" for _, c in clips])
    spectrogram_seconds = time.perf_counter() - started
    folds = speaker_folds(actors, int(params["audio_training"]["evaluation"]["folds"]))
    predicted, scores = np.zeros_like(y), []
    for fold in folds:
        test = np.isin(actors, fold)
        model = small_cnn(args.seed)
        model.fit(x[~test], y[~test], epochs=args.epochs, batch_size=32, verbose=0)
        predicted[test] = model.predict(x[test], verbose=0).argmax(axis=1)
        scores.append(float(np.mean(predicted[test] == y[test])))
        print(f"actors {fold}: accuracy {scores[-1]:.3f}", flush=True)
    pooled = classification_metrics(y, predicted)
    result = {"clips": int(len(y)), "epochs": args.epochs, "folds": folds,
              "fold_accuracy": scores, "accuracy_mean": float(np.mean(scores)),
              "accuracy_sd": float(np.std(scores, ddof=1)), "macro_f1_pooled": pooled["macro_f1"],
              "prediction_share": pooled["prediction_share"],
              "wall_seconds": round(time.perf_counter() - started, 1),
              "spectrogram_seconds": round(spectrogram_seconds, 1), "machine": describe()}
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
