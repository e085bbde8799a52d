"""API tokens: knox's hashed, expiring tokens, each with a scope.

Only a digest of the secret is stored (knox's ``digest``) with its first characters
(``token_key``) to find it; the secret itself is shown once, when the token is issued.
"""

from datetime import timedelta

from django.db import models
from django.utils import timezone
from knox.models import AbstractAuthToken, get_digest_token
from knox.settings import CONSTANTS

DEFAULT_LIFETIME_DAYS = 90
MAX_LIFETIME_DAYS = 365


class TokenScope(models.TextChoices):
    READ = "read", "read only"
    WRITE = "write", "read and write"


class ApiTokenQuerySet(models.QuerySet):
    def issue(self, user, *, scope, days=DEFAULT_LIFETIME_DAYS, name=""):
        """A new token for ``user``, valid for ``days``; returns it and its secret key."""
        token = self.model(user=user, scope=scope, name=name)
        key = token.set_new_key(days)
        token.full_clean()
        token.save(force_insert=True)
        return token, key


class ApiToken(AbstractAuthToken):
    """A user's API token (knox's model, swapped in through ``KNOX_TOKEN_MODEL``)."""

    scope = models.CharField(
        max_length=5,
        choices=TokenScope.choices,
        default=TokenScope.READ,
        help_text="A read-only token can only read, whatever its user may do.",
    )
    name = models.CharField(
        max_length=100, blank=True, help_text="What the token is for, to tell tokens apart."
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "API token"
        ordering = ["user", "-created"]

    def __str__(self):
        return f"{self.token_key}… ({self.user}, {self.scope})"

    def set_new_key(self, days):
        """Give the token a fresh secret that expires in ``days`` days, and return it."""
        self.digest, key = get_digest_token()
        self.token_key = key[: CONSTANTS.TOKEN_KEY_LENGTH]
        self.expiry = timezone.now() + timedelta(days=days)
        return key

    @property
    def writes(self):
        return self.scope == TokenScope.WRITE
