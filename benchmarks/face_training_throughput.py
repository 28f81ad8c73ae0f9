"""Training and inference throughput of every face architecture on this machine.

Builds each network exactly as ``face_training`` does (its options and the training
augmentation read from conf/base/parameters_face_training.yml), runs a warm-up batch, then
times ``--batches`` training steps and an inference pass over random 48x48 faces. Prints one
JSON line per architecture and a Markdown table.

    python benchmarks/face_training_throughput.py [--batches 20] [--batch-size 64]

Random pixels are enough here: the cost of a step does not depend on the values.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import yaml

OPTIONS = yaml.safe_load(Path("conf/base/parameters_face_training.yml").read_text())[
    "face_training"]


def measure(name: str, batches: int, batch_size: int) -> dict:
    import keras

    from moodrec.pipelines.face_training.architectures import (
        augmentation,
        build_model,
        multiply_adds,
    )

    keras.utils.set_random_seed(0)
    network = build_model(name, **OPTIONS["architectures"][name]["model"])
    inputs = keras.Input(network.input_shape[1:])
    trainer = keras.Model(inputs, network(augmentation(**OPTIONS["augmentation"], seed=0)(inputs)))
    trainer.compile(optimizer="adam", loss="categorical_crossentropy")
    rng = np.random.default_rng(0)
    n = batches * batch_size
    images = rng.integers(0, 256, (n, *network.input_shape[1:])).astype(np.float32)
    n_classes = network.output_shape[-1]
    labels = np.eye(n_classes, dtype=np.float32)[rng.integers(0, n_classes, n)]
    trainer.fit(images[:batch_size], labels[:batch_size], batch_size=batch_size, verbose=0)
    start = time.perf_counter()
    trainer.fit(images, labels, batch_size=batch_size, epochs=1, verbose=0, shuffle=False)
    train_s = time.perf_counter() - start
    network.predict(images[:256], batch_size=256, verbose=0)
    start = time.perf_counter()
    network.predict(images, batch_size=256, verbose=0)
    infer_s = time.perf_counter() - start
    per_epoch = 28_273 / (n / train_s)
    return {
        "architecture": name,
        "parameters": int(network.count_params()),
        "multiply_adds_per_image_M": round(multiply_adds(network) / 1e6, 1),
        "train_images_per_s": round(n / train_s, 1),
        "minutes_per_epoch_28273_faces": round(per_epoch / 60, 2),
        "inference_images_per_s": round(n / infer_s, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--architectures", default="cnn,dcnn,compact")
    args = parser.parse_args()
    import tensorflow as tf

    from moodrec.training.machine import describe

    print(f"# machine: {describe(len(tf.config.list_physical_devices('GPU')))}; "
          f"TensorFlow {tf.__version__}")
    rows = []
    for name in args.architectures.split(","):
        row = measure(name, args.batches, args.batch_size)
        print(json.dumps(row))
        rows.append(row)
    keys = list(rows[0])
    print("\n| " + " | ".join(keys) + " |\n|" + "---|" * len(keys))
    for row in rows:
        print("| " + " | ".join(str(row[k]) for k in keys) + " |")


if __name__ == "__main__":
    main()
