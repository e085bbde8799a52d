"""Token authentication: knox's hashed tokens, behind the invalid-token lockout."""

from knox.auth import TokenAuthentication
from rest_framework.authentication import get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from .throttling import InvalidTokenLockout


class ApiTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``. An expired token is invalid (knox deletes it); an
    address that keeps sending invalid tokens is locked out for a while."""

    def authenticate(self, request):
        if not get_authorization_header(request):
            return None  # anonymous: no lockout to look up
        lockout = InvalidTokenLockout(request)
        lockout.check()
        try:
            return super().authenticate(request)
        except AuthenticationFailed:
            lockout.record_failure()
            raise
        except UnicodeDecodeError:  # a header of bytes that are no text is no token either
            lockout.record_failure()
            raise AuthenticationFailed("Invalid token.") from None
