"""Photos: decoding any format, face detection, cropping to the training format."""

from __future__ import annotations

import io

import cv2
import numpy as np
import pytest
from PIL import Image

from moodrec.person.errors import UnusableInputError
from moodrec.person.face_detection import FaceBox, crop_face, detect_faces
from moodrec.person.images import decode_grey
from tests.person.conftest import paste_on_canvas


def _encode(picture: np.ndarray, fmt: str) -> bytes:
    if fmt == "gif":  # OpenCV does not write GIF: Pillow does
        buffer = io.BytesIO()
        Image.fromarray(picture[..., ::-1] if picture.ndim == 3 else picture).save(buffer, "GIF")
        return buffer.getvalue()
    ok, data = cv2.imencode(f".{fmt}", picture)
    assert ok
    return data.tobytes()


@pytest.mark.parametrize("fmt", ["jpg", "png", "bmp", "tiff", "webp", "gif"])
def test_any_common_format_decodes_to_grey(fmt):
    picture = np.zeros((30, 40, 3), np.uint8)
    picture[..., 2] = 200  # red in BGR
    grey, notes = decode_grey(_encode(picture, fmt), name=f"x.{fmt}", max_pixels=10**6)
    assert grey.shape == (30, 40) and grey.dtype == np.uint8 and notes == []
    assert 40 < grey.mean() < 80  # red's luma: 0.299 * 200 = 60


def test_sixteen_bit_and_alpha_images_decode():
    deep = (np.arange(20 * 20, dtype=np.uint16).reshape(20, 20) * 150)
    assert decode_grey(_encode(deep, "png"), name="deep.png", max_pixels=400)[0].dtype == np.uint8
    rgba = np.full((10, 10, 4), 255, np.uint8)
    assert decode_grey(_encode(rgba, "png"), name="alpha.png", max_pixels=100)[0].shape == (10, 10)


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", "empty \\(0 bytes\\)"), (b"hello, I am a text file\n" * 10, "not a readable image"),
     (b"\xff\xd8\xff\xe0" + b"\x00" * 50, "not a readable image")],
    ids=["zero-byte", "text", "truncated-jpeg"],
)
def test_bad_image_bytes_say_which_file(data, message):
    with pytest.raises(UnusableInputError, match=message) as err:
        decode_grey(data, name="me.jpg", max_pixels=10**6)
    assert "me.jpg" in str(err.value)


def test_real_fer_face_is_found_and_cropped(detectable_faces):
    face = detectable_faces[0]
    grey = cv2.cvtColor(paste_on_canvas(face, at=(60, 120)), cv2.COLOR_BGR2GRAY)
    boxes = detect_faces(grey)
    assert len(boxes) == 1
    box = boxes[0]
    # the face was pasted at x 120-312, y 60-252: the box lies inside it
    assert 110 <= box.x and box.x + box.w <= 322 and 50 <= box.y and box.y + box.h <= 262
    crop = crop_face(grey, box)
    assert crop.shape == (48, 48) and crop.dtype == np.uint8
    # the crop shows the face: it correlates with the original 48x48 row
    assert np.corrcoef(crop.ravel().astype(float), face.ravel().astype(float))[0, 1] > 0.7


def test_two_faces_largest_first(detectable_faces):
    grey = np.full((600, 900), 128, np.uint8)
    small = cv2.resize(detectable_faces[1], (144, 144), interpolation=cv2.INTER_CUBIC)
    large = cv2.resize(detectable_faces[0], (240, 240), interpolation=cv2.INTER_CUBIC)
    grey[100:244, 50:194] = small
    grey[200:440, 500:740] = large
    boxes = detect_faces(grey)
    assert len(boxes) == 2
    assert boxes[0].area > boxes[1].area and boxes[0].x > 400


def test_big_photo_is_detected_on_a_scaled_copy_and_mapped_back(detectable_faces):
    grey = cv2.cvtColor(paste_on_canvas(detectable_faces[0], upscale=16, canvas=(2400, 3200),
                                        at=(300, 1000)), cv2.COLOR_BGR2GRAY)
    (box,) = detect_faces(grey)
    assert 900 <= box.x <= 1000 + 768 and box.w > 400  # full-size coordinates


def test_no_face_in_a_blank_or_noisy_picture():
    rng = np.random.default_rng(0)
    assert detect_faces(np.full((300, 300), 90, np.uint8)) == []
    assert detect_faces(rng.integers(0, 255, (300, 300), dtype=np.uint8)) == []


def test_crop_near_the_edge_is_padded_not_shifted():
    grey = np.arange(100 * 100, dtype=np.uint32).reshape(100, 100) % 251
    crop = crop_face(grey.astype(np.uint8), FaceBox(0, 0, 40, 40), margin=0.25)
    assert crop.shape == (48, 48)


def test_contrast_is_brought_to_fer2013s_typical_face():
    from moodrec.core.faces import normalise_contrast

    rng = np.random.default_rng(0)
    dark_flat = np.clip(rng.normal(40, 8, (3, 48, 48)), 0, 255).astype(np.uint8)
    matched = normalise_contrast(dark_flat, "match", 129.5, 54.3).astype(float)
    assert np.allclose(matched.mean(axis=(1, 2)), 129.5, atol=1.5)
    assert np.allclose(matched.std(axis=(1, 2)), 54.3, atol=1.5)
    # the face's shape is kept: a linear map, so the ranks of the pixels do not change
    assert np.corrcoef(matched[0].ravel(), dark_flat[0].ravel())[0, 1] > 0.99
    equalised = normalise_contrast(dark_flat, "equalize", 129.5, 54.3)
    assert equalised.shape == dark_flat.shape and equalised.max() == 255
    assert np.array_equal(normalise_contrast(dark_flat, "none", 0, 0), dark_flat)
    flat = np.full((48, 48), 77, np.uint8)  # no contrast at all: stays flat, mid-grey
    assert np.all(normalise_contrast(flat, "match", 129.5, 54.3) == 130)
    with pytest.raises(ValueError, match="contrast mode must be one of none, match, equalize"):
        normalise_contrast(flat, "auto", 129.5, 54.3)
