"""Our copies of video stills, served from this origin whatever storage holds them: a page
shows a picture without asking a video host for anything."""

import re

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from ..thumbnails import FOLDER

# The names copy_still() gives (the storage may add a suffix to avoid a clash).
STILL_NAME = re.compile(r"[0-9]+-[0-9a-f]{12}(?:_[A-Za-z0-9]{7})?\.webp")
# A copy's name changes with its content: it never changes under the same address.
FOREVER = "public, max-age=31536000, immutable"


@require_safe
def still(request, name):
    if not STILL_NAME.fullmatch(name):
        raise Http404("No such picture.")
    try:
        handle = default_storage.open(f"{FOLDER}/{name}")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("No such picture.") from exc
    response = FileResponse(handle, content_type="image/webp")
    response["Cache-Control"] = FOREVER
    return response
