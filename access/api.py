"""The API's own token endpoints: each user lists and revokes their tokens.

Tokens are issued by ``create_api_token`` or in the admin, never for a password over the API,
so the admin's login form is the only place that takes passwords (and django-axes guards it).
"""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import IsAuthenticated

from .models import ApiToken
from .permissions import TokenScopeAllows


class ApiTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["token_key", "name", "scope", "created", "expiry"]
        extra_kwargs = {"token_key": {"help_text": "The token's first characters."}}


OWNER_ONLY = extend_schema(auth=[{"tokenAuth": []}, {"cookieAuth": []}])


@extend_schema_view(list=OWNER_ONLY, destroy=OWNER_ONLY)
class ApiTokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Your own API tokens, never their secrets. Deleting one revokes it at once; a read-only
    token can do neither."""

    serializer_class = ApiTokenSerializer
    permission_classes = [TokenScopeAllows, IsAuthenticated]
    lookup_field = "token_key"
    lookup_value_regex = r"[0-9a-f]+"
    filter_backends = []

    def get_queryset(self):
        return ApiToken.objects.filter(user=self.request.user)
