"""Our copies of video stills: fetched once from the video host (by ``fetch_thumbnails``),
decoded and re-encoded small, and kept through Django's storage API, so that a page shows a
picture without asking the host for anything before someone presses play.

A still is fetched under the rules of schedule sources (http(s) only, bounded size, time and
redirects, no private address unless ``CATALOG_ALLOW_PRIVATE_SOURCES``); it is decoded with
Pillow, bounded in pixels, and written again as WebP without any of its metadata (EXIF
included), at most ``SIZE`` pixels.
"""

import hashlib
import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, UnidentifiedImageError

from .importers.data import ImportFailure
from .importers.fetch import fetch_if_changed

# Stills shown at most 640 CSS pixels wide; 16:9 as video hosts make them.
SIZE = (640, 360)
MAX_BYTES = 2 * 1024 * 1024
# A decompression bomb is refused before it is decoded: a 16:9 4K still has 8.3 million.
MAX_PIXELS = 12_000_000
# What video hosts serve stills as; other decoders (PSD, EPS, TIFF...) are never tried on
# bytes from the web.
FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
QUALITY = 78
FOLDER = "thumbnails"


class StillRefused(Exception):
    """A still that cannot be copied, and why."""


def copy_still(talk_id, url, max_bytes=MAX_BYTES):
    """Fetch the still at ``url``, re-encode it and store it; (name, width, height)."""
    try:
        body = fetch_if_changed(url, max_bytes=max_bytes, what="image").body
    except ImportFailure as exc:
        raise StillRefused(exc.reason) from exc
    webp, width, height = reencoded(body)
    digest = hashlib.sha256(webp).hexdigest()[:12]
    name = default_storage.save(f"{FOLDER}/{talk_id}-{digest}.webp", ContentFile(webp))
    return name, width, height


def reencoded(body):
    """``body`` decoded as an image and written again as a small WebP, nothing but pixels."""
    try:
        with Image.open(io.BytesIO(body), formats=FORMATS) as image:
            if image.width * image.height > MAX_PIXELS:
                raise StillRefused(f"{image.width}x{image.height} pixels is too large")
            image.draft("RGB", SIZE)  # a JPEG decodes straight at a fraction of its size
            still = image.convert("RGB")
    except (UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise StillRefused(f"not an image that can be read: {exc}") from exc
    except (OSError, ValueError, EOFError, SyntaxError) as exc:  # what broken files raise
        raise StillRefused(f"the image cannot be decoded: {exc}") from exc
    still.thumbnail(SIZE)
    # The pixels alone: convert() keeps the source's EXIF, ICC and XMP in ``info``, which the
    # encoder would write again.
    still.info.clear()
    out = io.BytesIO()
    still.save(out, "WEBP", quality=QUALITY, method=4)
    return out.getvalue(), still.width, still.height
