"""Photos of a repair: checked by their content (not their name or declared type), bounded in bytes and pixels
(a decompression bomb is refused before it is decoded), re-encoded so that no EXIF or other metadata (a
phone's GPS position) is kept, and stored through Django's storage API."""

from __future__ import annotations

import io
import warnings

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from core.errors import DomainError

from ..models import RepairOrder, RepairPhoto

try:
    from pillow_heif import register_heif_opener
except ImportError:  # HEIC photos are then refused as an unknown format
    register_heif_opener = None
else:
    register_heif_opener()

# Pillow's format name → what is stored: HEIC is kept as JPEG, which every browser shows.
STORED_AS = {
    "JPEG": ("JPEG", "image/jpeg", "jpg"),
    "PNG": ("PNG", "image/png", "png"),
    "HEIF": ("JPEG", "image/jpeg", "jpg"),
}


def max_photos() -> int:
    return getattr(settings, "REPAIR_PHOTOS_MAX", 6)


@transaction.atomic
def attach_photos(*, order: RepairOrder, uploads) -> list[RepairPhoto]:
    """All the photos or none: one refused file refuses the request."""
    uploads = list(uploads)
    if order.photos.count() + len(uploads) > max_photos():
        raise DomainError(
            _("At most %(count)s photos per repair.") % {"count": max_photos()}, code="too_many_photos", field="photos"
        )
    cleaned = [clean_photo(upload) for upload in uploads]
    return [
        RepairPhoto.objects.create(
            repair_order=order, image=content, content_type=content_type, width=width, height=height, size=content.size
        )
        for content, content_type, width, height in cleaned
    ]


def clean_photo(upload) -> tuple[ContentFile, str, int, int]:
    """The photo re-encoded without metadata, its content type and size; DomainError for anything else."""
    max_bytes = getattr(settings, "REPAIR_PHOTO_MAX_BYTES", 10 * 1024 * 1024)
    max_pixels = getattr(settings, "REPAIR_PHOTO_MAX_PIXELS", 40_000_000)
    if upload.size > max_bytes:
        raise DomainError(
            _("A photo may be at most %(mb)s MB.") % {"mb": max_bytes // (1024 * 1024)},
            code="photo_too_large",
            field="photos",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            image = Image.open(upload)
            source_format = image.format
            if source_format not in STORED_AS:
                raise DomainError(_("Only JPEG, PNG or HEIC photos are accepted."), code="photo_format", field="photos")
            width, height = image.size
            if width * height > max_pixels:
                raise DomainError(_("This photo has too many pixels."), code="photo_too_many_pixels", field="photos")
            image.load()
            image = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise DomainError(_("This photo has too many pixels."), code="photo_too_many_pixels", field="photos") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise DomainError(
            _("This file is not a photo we can read (JPEG, PNG or HEIC)."), code="photo_format", field="photos"
        ) from None
    stored_format, content_type, extension = STORED_AS[source_format]
    if stored_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    # Saved without exif, icc or text chunks: Pillow writes only what it is given.
    image.save(buffer, stored_format, **({"quality": 88} if stored_format == "JPEG" else {}))
    return ContentFile(buffer.getvalue(), name=f"photo.{extension}"), content_type, image.width, image.height
