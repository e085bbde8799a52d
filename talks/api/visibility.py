"""Who reads unpublished talks through the API: staff who may view talks. Everyone else
(anonymous readers, token holders without staff rights) reads what the public pages show."""


def sees_unpublished(request):
    user = getattr(request, "user", None)
    return bool(user and user.is_staff and user.has_perm("talks.view_talk"))
