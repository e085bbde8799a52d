"""The search's parameters, checked once for the page and the API: ``q`` and the filters
``conference``, ``year``, ``kind``, ``track``, ``topic`` and ``language``. A bad value is an error
naming its parameter, as for the talk filters (``talks.filters``); the search then runs
without it."""

from django import forms

from ..filters import SEARCH_MAX_LENGTH, SlugValue
from ..languages import language_code
from ..models import Conference, TalkKind, Topic, Track
from ..models.conferences import CATALOG_YEARS
from ..numbers import whole_number
from .base import SearchFilters

PARAMETERS = ("q", "conference", "year", "kind", "track", "topic", "language")


class YearValue(forms.CharField):
    default_error_messages = {
        "invalid": f"Enter a year from {CATALOG_YEARS[0]} to {CATALOG_YEARS[-1]}, e.g. 2017."
    }

    def __init__(self, **kwargs):
        super().__init__(strip=False, **kwargs)  # " 2017" is not the integer the schema states

    def to_python(self, value):
        if value in self.empty_values:
            return None
        year = whole_number(value, max_digits=4) if value == value.strip() else None
        if year not in CATALOG_YEARS:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return year


class SearchForm(forms.Form):
    # Not trimmed before its length is checked, as the API schema's maxLength counts it.
    q = forms.CharField(
        required=False, strip=False, max_length=SEARCH_MAX_LENGTH, label="Search the catalog"
    )
    conference = SlugValue(required=False, label="Conference")
    year = YearValue(required=False, label="Year")
    kind = forms.ChoiceField(
        required=False, choices=[("", "Any kind"), *TalkKind.choices], label="Kind of talk"
    )
    track = SlugValue(required=False, label="Track")
    topic = SlugValue(required=False, label="Topic")
    language = forms.CharField(required=False, max_length=100, label="Language")

    def clean(self):
        data = super().clean()
        for name in PARAMETERS:
            if hasattr(self.data, "getlist") and len(self.data.getlist(name)) > 1:
                self.add_error(name, "Give this parameter once.")
        slug = data.get("conference")
        data["conference"] = Conference.objects.filter(slug=slug).first() if slug else None
        if slug and data["conference"] is None:
            self.add_error("conference", f"No conference “{slug}”.")
        conference = data.get("conference")
        if data.get("track"):
            tracks = Track.objects.filter(slug=data["track"])
            if conference is not None:
                tracks = tracks.filter(conference=conference)
            if not tracks.exists():
                where = f" in {conference}" if conference else ""
                self.add_error("track", f"No track “{data['track']}”{where}.")
        if data.get("topic") and not Topic.objects.filter(slug=data["topic"]).exists():
            self.add_error("topic", f"No topic “{data['topic']}”.")
        if data.get("language") and not language_code(data["language"]):
            self.add_error("language", f"No language “{data['language']}” is known.")
        return data

    @property
    def query(self):
        """The words searched for: empty when ``q`` is missing or invalid."""
        return self.cleaned_data.get("q") or ""

    @property
    def filters(self):
        """The valid filters (an invalid one is left out, and reported in ``errors``)."""
        data = self.cleaned_data
        return SearchFilters(
            conference=data.get("conference"),
            year=data.get("year"),
            kind=data.get("kind") or None,
            track=data.get("track") or None,
            topic=data.get("topic") or None,
            language=language_code(data.get("language") or "") or None,
        )
