"""Previews of evidence images: downscaled, EXIF-stripped copies. The original is untouched."""

from __future__ import annotations

import io

from django.core.files import File
from PIL import Image, ImageOps, UnidentifiedImageError

THUMBNAIL_SIZE = (480, 480)


def image_thumbnail(file: File) -> bytes | None:
    """A JPEG thumbnail of `file`, or None when it is not an image Pillow can read."""
    file.seek(0)
    try:
        with Image.open(file) as image:
            image = ImageOps.exif_transpose(image)
            image.thumbnail(THUMBNAIL_SIZE)
            if image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            # Saved without exif=...: no location or camera data leaves in a preview.
            image.save(out, format="JPEG", quality=85)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        return None
    finally:
        file.seek(0)
