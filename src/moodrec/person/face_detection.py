"""Faces in a photo: OpenCV's Haar cascade (shipped inside opencv-python-headless 4.x).

The detector's model file comes with the installed package (``cv2.data.haarcascades``), so
nothing is downloaded. OpenCV 5 dropped ``CascadeClassifier`` and the Haar files; the project
pins ``opencv-python-headless<5``.

Steps, for one grey photo:

1. detect on a copy scaled down to at most ``detect_max_side`` pixels (speed; boxes are
   mapped back to the full-size photo);
2. keep the largest face (by area) and report how many were found;
3. crop a square around it, ``margin`` x its size larger on each side, padding with edge
   pixels where the square leaves the photo. FER2013's faces were framed by a detector much
   like this one: on the first 200 training rows enlarged 4x, the cascade finds 91 faces and
   its box covers 95% of the 48x48 frame (mean; sd 11%), so a margin of 2.5% a side
   reproduces the training framing (crop vs. original row: mean correlation 0.87 at 2.5%,
   0.54 at 15%);
4. resize to 48x48 (``INTER_AREA``), grey uint8: the training data's format.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np

from moodrec.core.faces import SIDE as FACE_SIZE  # 48, the training faces' side

CASCADE_FILE = "haarcascade_frontalface_default.xml"


@dataclass(frozen=True)
class FaceBox:
    """A face's box in the full-size photo: left, top, width, height (pixels)."""

    x: int
    y: int
    w: int
    h: int

    @property
    def area(self) -> int:
        return self.w * self.h


@lru_cache(maxsize=2)
def cascade(file_name: str = CASCADE_FILE) -> cv2.CascadeClassifier:
    """The Haar cascade shipped inside the installed OpenCV (loaded once)."""
    if not hasattr(cv2, "CascadeClassifier") or not hasattr(cv2, "data"):
        raise RuntimeError(
            f"OpenCV {cv2.__version__} has no Haar cascades (OpenCV 5 removed them); "
            "install opencv-python-headless<5"
        )
    path = cv2.data.haarcascades + file_name
    classifier = cv2.CascadeClassifier(path)
    if classifier.empty():
        raise RuntimeError(f"could not load the Haar cascade {path}")
    return classifier


def detect_faces(
    grey: np.ndarray,
    *,
    detect_max_side: int = 640,
    scale_factor: float = 1.1,
    min_neighbors: int = 5,
    min_face_fraction: float = 0.05,
) -> list[FaceBox]:
    """All frontal faces in a grey photo, largest first, in full-size pixel coordinates."""
    height, width = grey.shape
    scale = min(1.0, detect_max_side / max(height, width))
    small = grey if scale == 1.0 else cv2.resize(
        grey, (max(1, round(width * scale)), max(1, round(height * scale))),
        interpolation=cv2.INTER_AREA,
    )
    min_side = max(20, int(min_face_fraction * min(small.shape)))
    found = cascade().detectMultiScale(
        small, scaleFactor=scale_factor, minNeighbors=min_neighbors, minSize=(min_side, min_side)
    )
    boxes = [
        FaceBox(round(x / scale), round(y / scale), round(w / scale), round(h / scale))
        for (x, y, w, h) in (found if len(found) else [])
    ]
    return sorted(boxes, key=lambda b: (-b.area, b.x, b.y))


def crop_face(grey: np.ndarray, box: FaceBox, *, margin: float = 0.025) -> np.ndarray:
    """A square crop around ``box``, ``margin`` larger on each side, as 48x48 grey uint8."""
    side = max(box.w, box.h) * (1.0 + 2.0 * margin)
    cx, cy = box.x + box.w / 2.0, box.y + box.h / 2.0
    left, top = round(cx - side / 2.0), round(cy - side / 2.0)
    side = max(1, round(side))
    height, width = grey.shape
    pad = max(0, -left, -top, left + side - width, top + side - height)
    if pad:
        grey = cv2.copyMakeBorder(grey, pad, pad, pad, pad, cv2.BORDER_REPLICATE)
        left, top = left + pad, top + pad
    crop = grey[top : top + side, left : left + side]
    return to_model_size(crop)


def to_model_size(grey: np.ndarray) -> np.ndarray:
    """Any grey image -> 48x48 uint8 (area interpolation when shrinking)."""
    h, w = grey.shape
    interpolation = cv2.INTER_AREA if min(h, w) >= FACE_SIZE else cv2.INTER_CUBIC
    return cv2.resize(grey, (FACE_SIZE, FACE_SIZE), interpolation=interpolation).astype(np.uint8)
