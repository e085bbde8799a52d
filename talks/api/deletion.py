"""A conference is deleted with everything in it only when the client says so.

``DELETE /api/v1/conferences/<slug>/`` of a conference that still has talks or announcements
answers 409 with the counts of what would go, unless ``?confirm=cascade`` is given. A conference
with neither (only days, tracks or rooms set up) is deleted as usual.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError

CONFIRM_PARAMETER = "confirm"
CONFIRM_VALUE = "cascade"
# What a conference's delete takes with it, as the related names of its children.
CASCADED = ["talks", "days", "tracks", "rooms", "announcements"]
# Content that cannot be set up again from the conference's own page: its presence asks first.
GUARDED = ["talks", "announcements"]


class CascadeNotConfirmed(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "cascade_not_confirmed"

    def __init__(self, detail, would_delete):
        super().__init__(detail)
        # Set after: APIException would turn the counts into strings.
        self.detail = {"detail": self.detail, "would_delete": would_delete}


def refuse_unconfirmed_cascade(conference, confirm):
    """Raise unless deleting ``conference`` loses no talk or announcement, or ``confirm`` says
    the client means it."""
    if confirm is not None and confirm != CONFIRM_VALUE:
        raise ValidationError({CONFIRM_PARAMETER: [f"The only value is “{CONFIRM_VALUE}”."]})
    if confirm == CONFIRM_VALUE:
        return
    counts = {name: getattr(conference, name).count() for name in CASCADED}
    if not any(counts[name] for name in GUARDED):
        return
    held = " and ".join(
        _counted(conference, name, counts[name]) for name in GUARDED if counts[name]
    )
    raise CascadeNotConfirmed(
        f"“{conference.name}” still has {held}; deleting it deletes everything counted in "
        f"would_delete. Repeat the request with ?{CONFIRM_PARAMETER}={CONFIRM_VALUE} to delete "
        "it all.",
        would_delete=counts,
    )


def _counted(conference, relation, count):
    meta = conference._meta.get_field(relation).related_model._meta
    return f"{count} {meta.verbose_name if count == 1 else meta.verbose_name_plural}"


CONFIRM_SCHEMA_PARAMETER = OpenApiParameter(
    CONFIRM_PARAMETER,
    OpenApiTypes.STR,
    enum=[CONFIRM_VALUE],
    description=(
        "Needed to delete a conference that still has talks or announcements: they, its days, "
        "tracks and rooms are deleted with it."
    ),
)
CONFLICT_SCHEMA_RESPONSE = OpenApiResponse(
    {
        "type": "object",
        "properties": {
            "detail": {"type": "string", "description": "What would be lost, and how to confirm."},
            "would_delete": {
                "type": "object",
                "properties": {name: {"type": "integer"} for name in CASCADED},
                "required": CASCADED,
            },
        },
        "required": ["detail", "would_delete"],
    },
    description=f"The conference still has talks or announcements and ?{CONFIRM_PARAMETER} "
    "was not given: nothing was deleted.",
)
