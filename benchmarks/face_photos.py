"""The face model on photo-like PublicTest: each face pasted into a larger colour photo with
other brightness, contrast, tint, JPEG quality and a small rotation, then read the way the
person path reads a photo (decode -> Haar detector -> crop -> contrast -> model).

Prints (and with ``--json`` writes) accuracy, detection rate, macro-F1 and the share of
predictions per class for each contrast mode, next to the plain ``PublicTest`` figure::

    python benchmarks/face_photos.py --json docs/face_photos.json

Seeded: the same command gives the same photos and numbers.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import cv2
import numpy as np
import pandas as pd

from moodrec.core.emotions import EMOTIONS
from moodrec.core.faces import CONTRAST_MODES, normalise_contrast, parse_face_table, to_model_input
from moodrec.person.face_detection import crop_face, detect_faces
from moodrec.person.images import decode_grey
from moodrec.training.evaluation import classification_metrics
from moodrec.training.machine import describe


def photo_like(face: np.ndarray, rng: np.random.Generator) -> bytes:
    """A JPEG of a 640x480 colour photo holding ``face`` enlarged, changed and rotated."""
    side = int(rng.integers(160, 260))
    big = cv2.resize(face, (side, side), interpolation=cv2.INTER_CUBIC).astype(np.float32)
    big = (big - 128) * rng.uniform(0.5, 1.3) + 128 + rng.uniform(-50, 40)  # contrast, light
    canvas = np.full((480, 640), rng.uniform(60, 200), np.float32)
    canvas += rng.normal(0, 8, canvas.shape)
    y, x = int(rng.integers(20, 480 - side - 20)), int(rng.integers(20, 640 - side - 20))
    canvas[y: y + side, x: x + side] = big
    centre = (x + side / 2, y + side / 2)
    rotation = cv2.getRotationMatrix2D(centre, rng.uniform(-10, 10), 1.0)
    canvas = cv2.warpAffine(canvas, rotation, (640, 480), borderMode=cv2.BORDER_REFLECT)
    tint = rng.uniform(0.8, 1.2, 3)
    colour = np.clip(canvas[..., None] * tint, 0, 255).astype(np.uint8)
    quality = int(rng.integers(30, 95))
    ok, data = cv2.imencode(".jpg", colour, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return data.tobytes()


def read_photos(photos: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """Face crops of the photos the detector reads, and the mask of those photos."""
    crops, found = [], []
    for number, data in enumerate(photos):
        grey, _ = decode_grey(data, name=f"photo {number}", max_pixels=10**8)
        boxes = detect_faces(grey)
        found.append(bool(boxes))
        if boxes:
            crops.append(crop_face(grey, boxes[0]))
    return np.stack(crops), np.array(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faces", default="data/01_raw/face-data.csv.gz")
    parser.add_argument("--model", default="models/face/face_model.keras")
    parser.add_argument("--limit", type=int, default=None, help="first N PublicTest faces")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()

    import keras
    import yaml

    face = yaml.safe_load(Path("conf/base/parameters_person.yml").read_text())[
        "person"]["face"]  # the person pipeline's contrast settings
    table = pd.read_csv(args.faces, dtype={"pixels": str})
    images, labels = parse_face_table(table[table.Usage == "PublicTest"], where="PublicTest")
    if args.limit:
        images, labels = images[: args.limit], labels[: args.limit]
    model = keras.models.load_model(args.model)
    predict = lambda x: model.predict(to_model_input(x), batch_size=256, verbose=0)  # noqa: E731
    results = {"model": args.model, "faces": int(len(labels)), "machine": describe(),
               "seed": args.seed}
    plain = predict(images[..., 0]).argmax(axis=1)
    results["plain_public_test_accuracy"] = float(np.mean(plain == labels))
    inner = [layer for layer in model.layers if isinstance(layer, keras.Model)]
    if inner:  # the flip-averaged model wraps one network: its gain, measured
        single = inner[0].predict(to_model_input(images[..., 0]), batch_size=256, verbose=0)
        results["plain_public_test_accuracy_without_flip_averaging"] = float(
            np.mean(single.argmax(axis=1) == labels))

    rng = np.random.default_rng(args.seed)
    started = time.perf_counter()
    photos = [photo_like(face[..., 0], rng) for face in images]
    crops, found = read_photos(photos)
    results["detection_rate"] = float(found.mean())
    results["seconds_to_make_and_detect"] = round(time.perf_counter() - started, 1)
    truth = labels[found]
    for mode in CONTRAST_MODES:
        faces = normalise_contrast(crops, mode, face["contrast_mean"], face["contrast_std"])
        predicted = predict(faces).argmax(axis=1)
        metrics = classification_metrics(truth, predicted)
        results[mode] = {
            "accuracy_detected": metrics["accuracy"],
            "accuracy_all_photos": float(np.sum(predicted == truth) / len(labels)),
            "macro_f1": metrics["macro_f1"],
            "prediction_share": metrics["prediction_share"],
            "recall": {e: metrics["per_class"][e]["recall"] for e in EMOTIONS},
        }
    print(json.dumps(results, indent=2))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
