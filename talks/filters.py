"""The talk filters: one definition shared by the HTML pages, the JSON API and the exports.

Values are checked in two steps. A malformed value (``day=abc``, ``kind=poster``, a slug with
markup) fails field validation. A well-formed value that names nothing in scope (``track=nope``,
``day=9``) fails too, naming the parameter, instead of answering an empty list that looks like
a real result. The scope is the conference in the URL (HTML, exports) or the ``conference``
parameter (API); without either it is the whole catalog.
"""

import copy
import datetime
import re

import django_filters
from django import forms
from django.core.validators import validate_slug
from django.db.models import Exists, OuterRef, Q
from django.http import QueryDict

from .languages import language_code
from .models import (
    Announcement,
    Conference,
    ConferenceKind,
    Day,
    ScheduleVersion,
    Speaker,
    Talk,
    TalkKind,
    TalkSpeaker,
    TalkStatus,
    Topic,
    Track,
)
from .models.conferences import CATALOG_YEARS
from .numbers import whole_number

SEARCH_MAX_LENGTH = 200
SLUG_MAX_LENGTH = 100
DAY_NUMBER_MAX_DIGITS = 4
DAY_NUMBER = re.compile(f"[0-9]{{1,{DAY_NUMBER_MAX_DIGITS}}}")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# A personal schedule is a few dozen talks; the cap keeps one URL from becoming a huge query.
TALK_IDS_MAX = 500
TALK_ID_MAX_DIGITS = 18


class DayValue(forms.CharField):
    """A day number (``2``) or an ISO date (``2017-04-19``), cleaned to a lookup on ``Day``."""

    default_error_messages = {
        "invalid": "Enter a day number (e.g. 2) or an ISO date (e.g. 2017-04-19).",
    }

    def __init__(self, **kwargs):
        # Exactly what the API schema states: no spaces around, only YYYY-MM-DD (which
        # fromisoformat() would also read as "20170419").
        kwargs.setdefault("strip", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        if DAY_NUMBER.fullmatch(value):
            return {"number": int(value)}
        try:
            if ISO_DATE.fullmatch(value):
                return {"date": datetime.date.fromisoformat(value)}
        except ValueError:
            pass
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class SlugValue(forms.CharField):
    default_validators = [validate_slug]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", SLUG_MAX_LENGTH)
        # " dockercon-2017" is not a slug: refused, as the API schema's pattern says.
        kwargs.setdefault("strip", False)
        super().__init__(**kwargs)


class TalkIdsValue(forms.Field):
    """Repeated talk ids (``?talk=3&talk=7``), for a personal selection of talks."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "invalid": "Enter talk ids as whole numbers, e.g. talk=3&talk=7.",
        "too_many": "Choose at most %(limit)s talks.",
    }

    def to_python(self, value):
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        if len(values) > TALK_IDS_MAX:
            raise forms.ValidationError(
                self.error_messages["too_many"], code="too_many", params={"limit": TALK_IDS_MAX}
            )
        ids = []
        for raw in values:
            talk_id = whole_number(raw, max_digits=TALK_ID_MAX_DIGITS)
            if talk_id is None:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            ids.append(talk_id)
        return ids


class CatalogFilterSet(django_filters.FilterSet):
    """django-filter's FilterSet, cheaper to build for each request: building the FilterSet
    and its form was a fifth of an API list's time. A filter keeps no state of a request but
    the FilterSet it belongs to, so each is copied shallowly rather than deep-copied; the form
    class is made once per FilterSet class rather than per request (each form still copies
    its fields, as every Django form does)."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # django-filter's own __init__, but for the copy of the filters.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: copy.copy(filter_) for name, filter_ in self.base_filters.items()}
        for filter_ in self.filters.values():
            filter_.model = queryset.model
            filter_.parent = self
            if filter_.method is not None:
                # Bound to the copy, whose parent is this FilterSet (setting it does that).
                filter_.method = filter_.method

    def get_form_class(self):
        made = type(self).__dict__.get("_form_class")
        if made is None:
            made = super().get_form_class()
            type(self)._form_class = made
        return made


class TalkIdsFilter(django_filters.Filter):
    field_class = TalkIdsValue

    def filter(self, qs, value):
        return qs.filter(**{f"{self.field_name}__in": value}) if value else qs


class DayFilter(django_filters.Filter):
    field_class = DayValue

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(**{f"day__{lookup}": v for lookup, v in value.items()})


class SlugFilter(django_filters.CharFilter):
    field_class = SlugValue


class LanguageFilter(django_filters.CharFilter):
    """Talks in a language, however the filter and the sources write it: ``en``, ``eng`` and
    ``English`` are one language (``talks.languages``); the form refuses one no table knows."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)

    def filter(self, qs, value):
        code = language_code(value) if value else ""
        return qs.filter(language_code=code) if code else qs


class YearFilter(django_filters.Filter):
    """Conferences running at some point of the year: a series spanning 2008 to 2017 is in
    2010; a conference without an end date is on its start date."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", CATALOG_YEARS[0])
        kwargs.setdefault("max_value", CATALOG_YEARS[-1])
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if value is None:
            return qs
        first, last = datetime.date(value, 1, 1), datetime.date(value, 12, 31)
        return qs.filter(start_date__lte=last).filter(
            Q(end_date__gte=first) | Q(end_date=None, start_date__gte=first)
        )


def search_words(value):
    """The distinct words of a ``q`` or ``search`` value, each to be found (AND). A word
    repeated adds nothing to the result but another set of LIKE scans and subqueries per row:
    "a a a ..." within the 200 characters was 100 of them, a whole conference's talks scanned
    a hundred times over."""
    return list(dict.fromkeys(value.split()))


def _given(query, name):
    values = query.getlist(name) if hasattr(query, "getlist") else [query.get(name)]
    return [value for value in values if value not in (None, "")]


class OrderingFilter(django_filters.OrderingFilter):
    """Ordering that pages can rely on: empty parts (``ordering=,``) are ignored instead of
    clearing the order, and the primary key breaks ties so no row shows on two pages."""

    def filter(self, qs, value):
        fields = [self.get_ordering_value(part) for part in value or () if part]
        if not fields:
            return qs
        return qs.order_by(*fields, "pk")


# Parameters that may be repeated; every other one takes a single value.
REPEATABLE = {"talk"}


class TalkFilterForm(forms.Form):
    """Checks that day, track, speaker, topic and conference values name something in scope,
    and that no value is silently dropped: a repeated single-valued parameter, or ``q`` and
    ``search`` with different words, is an error rather than "the last one wins"."""

    scope_conference = None
    # The conference the ``conference`` parameter named, once valid: pages show its name.
    named_conference = None

    def clean(self):
        data = super().clean()
        self._refuse_dropped_values()
        conference = self.scope_conference
        if data.get("conference"):
            conference = Conference.objects.filter(slug=data["conference"]).first()
            if conference is None:
                self.add_error("conference", f"No conference with slug “{data['conference']}”.")
                return data
            self.named_conference = conference
        in_scope = {"conference": conference} if conference else {}
        where = f" in {conference}" if conference else ""
        day = data.get("day")
        if day is not None and not Day.objects.filter(**day, **in_scope).exists():
            self.add_error("day", f"No day “{self.data.get('day')}”{where}.")
        if data.get("track") and not Track.objects.filter(slug=data["track"], **in_scope).exists():
            self.add_error("track", f"No track “{data['track']}”{where}.")
        speaker_scope = (
            {"talks__conference": conference, "talks__published": True} if conference else {}
        )
        if (
            data.get("speaker")
            and not Speaker.objects.filter(slug=data["speaker"], **speaker_scope).exists()
        ):
            self.add_error("speaker", f"No speaker “{data['speaker']}”{where}.")
        topic_scope = (
            {"talks__conference": conference, "talks__published": True} if conference else {}
        )
        if data.get("language") and not language_code(data["language"]):
            self.add_error("language", f"No language “{data['language']}” is known.")
        topic = data.get("topic")
        if topic and not Topic.objects.filter(slug=topic, **topic_scope).exists():
            self.add_error("topic", f"No topic “{data['topic']}”{where}.")
        return data

    def _refuse_dropped_values(self):
        for name in self.fields:
            if name not in REPEATABLE and len(_given(self.data, name)) > 1:
                self.add_error(name, "Give this parameter once.")
        both = [" ".join(_given(self.data, name)) for name in ("q", "search")]
        if "q" in self.fields and "search" in self.fields and all(both) and both[0] != both[1]:
            self.add_error("search", "“search” and “q” are one filter: give one of them.")


class TalkFilterSet(CatalogFilterSet):
    conference = SlugFilter(field_name="conference__slug", label="Conference (slug)")
    day = DayFilter(label="Day", help_text="A day number (e.g. 2) or an ISO date (2017-04-19).")
    track = SlugFilter(field_name="track__slug", label="Track (slug)")
    kind = django_filters.ChoiceFilter(choices=TalkKind.choices, label="Kind")
    status = django_filters.ChoiceFilter(
        choices=TalkStatus.choices, label="Status", help_text="Cancelled talks, or the others."
    )
    speaker = SlugFilter(field_name="speakers__slug", label="Speaker (slug)")
    topic = SlugFilter(field_name="topics__slug", label="Topic (slug)")
    language = LanguageFilter(label="Language", help_text="A code (en, eng) or a name (English).")
    q = django_filters.CharFilter(
        method="search_text",
        max_length=SEARCH_MAX_LENGTH,
        label="Search",
        help_text="Words in titles, abstracts and speaker names.",
    )
    # field_name "id" also tells OpenAPI generators the values are talk ids (integers).
    talk = TalkIdsFilter(
        field_name="id", label="Talks (ids)", help_text="Repeat for several: talk=3&talk=7."
    )
    # The API's name for the same search; the HTML form shows only ``q``.
    search = django_filters.CharFilter(
        method="search_text", max_length=SEARCH_MAX_LENGTH, label="Search (same as q)"
    )
    ordering = OrderingFilter(
        fields=[
            ("starts_at", "starts_at"),
            ("title", "title"),
            ("day__number", "day"),
            ("track__name", "track"),
            ("kind", "kind"),
        ],
        label="Ordering",
    )

    class Meta:
        model = Talk
        fields = []
        form = TalkFilterForm

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, conference=None):
        if queryset is None:
            queryset = Talk.objects.for_listing()
        if conference is not None:
            queryset = queryset.filter(conference=conference)
        self.conference = conference
        super().__init__(data, queryset, request=request, prefix=prefix)

    @property
    def form(self):
        form = super().form
        form.scope_conference = self.conference
        return form

    def search_text(self, queryset, name, value):
        for term in search_words(value):
            speaker_matches = TalkSpeaker.objects.filter(
                talk=OuterRef("pk"), speaker__name__icontains=term
            )
            queryset = queryset.filter(
                Q(title__icontains=term) | Q(abstract__icontains=term) | Exists(speaker_matches)
            )
        return queryset

    @property
    def active_filters(self):
        """(name, raw value) of each filter the request set, for 'clear this filter' links."""
        if not self.is_bound:
            return []
        return [(name, self.data.get(name)) for name in self.filters if self.data.get(name)]


# --- Filters of the API's other resources ------------------------------------------------------
# They share TalkFilterForm, so an unknown conference or day is reported exactly as for talks:
# a form error naming the parameter.


class RelatedDayFilter(DayFilter):
    """A ``DayFilter`` on the day of a related record, e.g. an announcement's ``talk__day``."""

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(**{f"{self.field_name}__{lookup}": v for lookup, v in value.items()})


class ConferenceFilterSet(CatalogFilterSet):
    kind = django_filters.ChoiceFilter(
        choices=ConferenceKind.choices, label="Kind", help_text="Conferences, or series."
    )
    year = YearFilter(label="Year", help_text="Running during that year, e.g. 2017.")
    search = django_filters.CharFilter(
        method="search_text",
        max_length=SEARCH_MAX_LENGTH,
        label="Search",
        help_text="Words in the name, tagline, city or country.",
    )
    ordering = OrderingFilter(
        fields=[("start_date", "start_date"), ("name", "name")], label="Ordering"
    )

    class Meta:
        model = Conference
        fields = []

    def search_text(self, queryset, name, value):
        for term in search_words(value):
            queryset = queryset.filter(
                Q(name__icontains=term)
                | Q(tagline__icontains=term)
                | Q(city__icontains=term)
                | Q(country__icontains=term)
            )
        return queryset


class DayFilterSet(CatalogFilterSet):
    conference = SlugFilter(field_name="conference__slug", label="Conference (slug)")

    class Meta:
        model = Day
        fields = []
        form = TalkFilterForm


class ScheduleVersionFilterSet(CatalogFilterSet):
    conference = SlugFilter(field_name="conference__slug", label="Conference (slug)")

    class Meta:
        model = ScheduleVersion
        fields = []
        form = TalkFilterForm


class TrackFilterSet(CatalogFilterSet):
    conference = SlugFilter(field_name="conference__slug", label="Conference (slug)")
    ordering = OrderingFilter(fields=[("name", "name")], label="Ordering")

    class Meta:
        model = Track
        fields = []
        form = TalkFilterForm


class TopicFilterSet(CatalogFilterSet):
    search = django_filters.CharFilter(
        method="search_text",
        max_length=SEARCH_MAX_LENGTH,
        label="Search",
        help_text="Words in topic names.",
    )

    class Meta:
        model = Topic
        fields = []

    def search_text(self, queryset, name, value):
        for term in search_words(value):
            queryset = queryset.filter(Q(name__icontains=term) | Q(key__icontains=term))
        return queryset


class SpeakerFilterSet(CatalogFilterSet):
    conference = SlugFilter(
        method="spoke_at", label="Conference (slug)", help_text="Speakers of that conference."
    )
    search = django_filters.CharFilter(
        method="search_text",
        max_length=SEARCH_MAX_LENGTH,
        label="Search",
        help_text="Words in speaker names and organizations.",
    )
    ordering = OrderingFilter(fields=[("name", "name")], label="Ordering")

    class Meta:
        model = Speaker
        fields = []
        form = TalkFilterForm

    def spoke_at(self, queryset, name, value):
        # A semi-join on an uncorrelated subquery: a speaker with several talks is listed once,
        # and PostgreSQL does not run a subquery per speaker, which without table statistics
        # (a freshly loaded database) it planned as nested scans taking minutes.
        speakers_there = TalkSpeaker.objects.filter(
            talk__conference__slug=value, talk__published=True
        )
        return queryset.filter(pk__in=speakers_there.values("speaker_id"))

    def search_text(self, queryset, name, value):
        for term in search_words(value):
            queryset = queryset.filter(
                Q(name__icontains=term) | Q(organization__name__icontains=term)
            )
        return queryset


class AnnouncementFilterSet(CatalogFilterSet):
    conference = SlugFilter(field_name="conference__slug", label="Conference (slug)")
    day = RelatedDayFilter(
        field_name="talk__day",
        label="Day",
        help_text="Day of the talk it was made in: a number (e.g. 1) or an ISO date.",
    )
    ordering = OrderingFilter(
        fields=[("position", "position"), ("title", "title")], label="Ordering"
    )

    class Meta:
        model = Announcement
        fields = []
        form = TalkFilterForm
