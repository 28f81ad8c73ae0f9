"""Photos: bytes in any common format -> one grey uint8 image.

Pillow reads the header first (nothing is decoded yet): a photo declaring more pixels than
``person.face.max_pixels`` is refused before it can take the memory, and an animation (GIF,
APNG, WebP, multi-page TIFF) is said to be read from its first frame. OpenCV then decodes it
(EXIF orientation applied); Pillow is the fallback for what OpenCV does not read (GIF, AVIF
...). Colour, alpha and 16-bit images all become 8-bit grey, as FER2013's training faces are.
Every decoder's failure is this photo's own :class:`UnusableInputError`.
"""

from __future__ import annotations

import io
import warnings

import cv2
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from moodrec.person.errors import UnusableInputError

#: What Pillow raises for bytes that are not an image it reads (or are cut short).
NOT_AN_IMAGE = (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError)


def _header(data: bytes, name: str, max_pixels: int) -> int:
    """The photo's frame count, from its header; refuses one larger than ``max_pixels``."""
    try:
        with warnings.catch_warnings():  # the bound below is this project's own
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                width, height = img.size
                frames = int(getattr(img, "n_frames", 1))
    except Image.DecompressionBombError as err:
        raise UnusableInputError(f"photo {name}: too large to read ({err}); at most "
                                 f"{max_pixels} pixels (person.face.max_pixels)") from err
    except NOT_AN_IMAGE as err:
        raise UnusableInputError(
            f"photo {name}: not a readable image ({err}); use JPEG, PNG, BMP, TIFF, WebP, GIF "
            "or AVIF") from err
    if width * height > max_pixels:
        raise UnusableInputError(
            f"photo {name}: {width}x{height} pixels is more than the {max_pixels} read "
            "(person.face.max_pixels); send a smaller copy of the photo")
    return frames


def decode_grey(data: bytes | None, *, name: str, max_pixels: int) -> tuple[np.ndarray, list[str]]:
    """Decode an image file's bytes to a 2-D uint8 grey array, and what was assumed (an
    animation's first frame).

    Raises:
        UnusableInputError: empty file, bytes that no installed decoder reads as an image, or a
            photo of more than ``max_pixels`` pixels.
    """
    if not data:
        raise UnusableInputError(f"photo {name}: the file is empty (0 bytes)")
    frames = _header(data, name, max_pixels)
    try:
        image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
    except cv2.error:
        image = None
    if image is None:
        image = _decode_with_pillow(data)
    if image is None:
        raise UnusableInputError(
            f"photo {name}: not a readable image (its header reads, its pixels do not: the file "
            "is damaged or cut short)")
    if image.ndim != 2 or min(image.shape) < 1:
        raise UnusableInputError(f"photo {name}: decoded to an unusable shape {image.shape}")
    notes = [f"photo {name}: an animation of {frames} frames; read its first frame only"
             ] if frames > 1 else []
    return np.ascontiguousarray(image, dtype=np.uint8), notes


def _decode_with_pillow(data: bytes) -> np.ndarray | None:
    try:
        with Image.open(io.BytesIO(data)) as img:
            img = ImageOps.exif_transpose(img)
            return np.asarray(img.convert("L"), dtype=np.uint8)
    except NOT_AN_IMAGE:
        return None
