"""Photos: bytes in any common format -> one grey uint8 image.

OpenCV decodes JPEG, PNG, BMP, TIFF, WebP ... (EXIF orientation applied); Pillow is the
fallback for what OpenCV does not read (GIF, ...). Colour, alpha and 16-bit images all
become 8-bit grey, as FER2013's training faces are.
"""

from __future__ import annotations

import io

import cv2
import numpy as np

from moodrec.person.errors import UnusableInputError


def decode_grey(data: bytes | None, *, name: str) -> np.ndarray:
    """Decode an image file's bytes to a 2-D uint8 grey array.

    Raises:
        UnusableInputError: empty file, or bytes that no installed decoder reads as an image.
    """
    if not data:
        raise UnusableInputError(f"photo {name}: the file is empty (0 bytes)")
    buffer = np.frombuffer(data, np.uint8)
    image = cv2.imdecode(buffer, cv2.IMREAD_GRAYSCALE)
    if image is None:
        image = _decode_with_pillow(data)
    if image is None:
        raise UnusableInputError(
            f"photo {name}: not a readable image (tried OpenCV and Pillow; "
            "use JPEG, PNG, BMP, TIFF, WebP or GIF)"
        )
    if image.ndim != 2 or min(image.shape) < 1:
        raise UnusableInputError(f"photo {name}: decoded to an unusable shape {image.shape}")
    return np.ascontiguousarray(image, dtype=np.uint8)


def _decode_with_pillow(data: bytes) -> np.ndarray | None:
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as img:
            img = ImageOps.exif_transpose(img)
            return np.asarray(img.convert("L"), dtype=np.uint8)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return None
