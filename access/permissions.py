from rest_framework.permissions import SAFE_METHODS, BasePermission

from .models import ApiToken


class TokenScopeAllows(BasePermission):
    """A read-only token reads and nothing more, whatever its user may do; a write token, or a
    session, still needs the user's model permission (checked next, by DRF's own class)."""

    message = "This token is read-only; a write needs a token with the write scope."

    def has_permission(self, request, view):
        token = request.auth
        return request.method in SAFE_METHODS or not isinstance(token, ApiToken) or token.writes
