from django import forms

from .models import DEFAULT_LIFETIME_DAYS, MAX_LIFETIME_DAYS, ApiToken


class IssueTokenForm(forms.ModelForm):
    """The admin's form for a new token: whose, what for, which scope, for how long."""

    days = forms.IntegerField(
        min_value=1,
        max_value=MAX_LIFETIME_DAYS,
        initial=DEFAULT_LIFETIME_DAYS,
        help_text=f"Days until the token expires (at most {MAX_LIFETIME_DAYS}).",
    )

    class Meta:
        model = ApiToken
        fields = ["user", "name", "scope"]
