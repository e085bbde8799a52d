from django.contrib import admin, messages
from django.utils import timezone

from .forms import IssueTokenForm
from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Issue and revoke (delete) API tokens. A token's secret is shown once, when it is issued;
    afterwards only its first characters identify it."""

    list_display = ["token_key", "user", "name", "scope", "created", "expiry", "is_active"]
    list_filter = ["scope"]
    list_select_related = ["user"]
    search_fields = ["token_key", "name", "user__username"]
    readonly_fields = ["token_key", "user", "scope", "created", "expiry"]
    fields = ["token_key", "user", "name", "scope", "created", "expiry"]
    autocomplete_fields = ["user"]

    @admin.display(boolean=True, description="active")
    def is_active(self, token):
        return token.expiry > timezone.now()

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = IssueTokenForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        return ["user", "name", "scope", "days"] if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            key = obj.set_new_key(form.cleaned_data["days"])
            self.message_user(
                request,
                f"The new token is {key} — copy it now: it is stored only as a digest and "
                "will not be shown again.",
                messages.WARNING,
            )
        super().save_model(request, obj, form, change)
