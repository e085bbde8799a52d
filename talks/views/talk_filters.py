"""How the talk list shows TalkFilterSet: choices for the form, and the active filters.

Which values are valid stays the FilterSet's business; this module only presents its form and
its answers (labels for the active filters, a link that clears each one).
"""

from dataclasses import dataclass

from django import forms
from django.db.models import Max, Min
from django.db.models.functions import Coalesce
from django.forms.utils import flatatt
from django.template.defaultfilters import pluralize
from django.utils.dateformat import format as format_date
from django.utils.html import escape
from django.utils.safestring import mark_safe

from ..languages import language_names
from ..models import (
    Conference,
    ConferenceKind,
    Speaker,
    Talk,
    TalkKind,
    TalkStatus,
    TalkTopic,
    Topic,
)
from ..numbers import whole_number

# The filters the page's form offers; ``search`` (the API's name for ``q``) still works.
FORM_FIELDS = ("q", "day", "track", "kind", "speaker", "topic", "language", "status")
LABELS = {
    "q": "Search",
    "search": "Search",
    "day": "Day",
    "track": "Track",
    "kind": "Kind",
    "speaker": "Speaker",
    "topic": "Topic",
    "language": "Language",
    "status": "Status",
    # Not in the form: an address of My schedule's exports, or a shared one, may carry it.
    "talk": "Chosen talks",
}
ANY_CHOICE = {
    "day": "Any day",
    "track": "Any track",
    "speaker": "Anyone",
    "topic": "Any topic",
    "language": "Any language",
}
# A select of thousands of names is heavy and unusable: past this many speakers (or topics),
# the filter is a text field for the slug (as in the address of the speaker's page).
SPEAKER_CHOICES_MAX = 200
SLUG_HELP = {
    "speaker": "The slug in the address of the speaker's page.",
    "topic": "The slug in the address of the topic's page.",
    "language": "A code (en, eng) or a name (English).",
}


@dataclass
class ActiveFilter:
    name: str
    label: str
    value: str
    clear_url: str
    invalid: bool


def _date_suffix(day):
    return f", {format_date(day.date, 'D j M')}" if day.date else ""


class ChoicesWithCounts(forms.Select):
    """A select whose options say how many talks each holds; one holding none is shown as such
    and cannot be chosen (unless it is the current value, which stays visible). One value at
    most is chosen (``allow_multiple_selected`` is off)."""

    def __init__(self, choices, talk_counts):
        super().__init__(choices=choices)
        self.talk_counts = talk_counts

    def render(self, name, value, attrs=None, renderer=None):
        # Written here rather than by a template per option (Django's widget templates), and
        # without building an option dict each: the 200 speakers of a busy conference took
        # half of the talk list's time.
        chosen = {str(v) for v in self.format_value(value)}
        options = []
        for option_value, label in self.choices:
            option_value = "" if option_value is None else str(option_value)
            count = self.talk_counts.get(option_value)
            if count is not None:
                label = (
                    f"{label} ({count} talk{pluralize(count)})" if count else f"{label} (no talks)"
                )
            selected = option_value in chosen
            state = " selected" if selected else " disabled" if count == 0 else ""
            options.append(
                f'  <option value="{escape(option_value)}"{state}>{escape(label)}</option>'
            )
        select_attrs = flatatt(self.build_attrs(self.attrs, attrs))
        return mark_safe(  # every value escaped
            f'<select name="{escape(name)}"{select_attrs}>\n' + "\n".join(options) + "\n</select>"
        )


class SearchBox(forms.TextInput):
    """A text field of type ``search``, written here as ChoicesWithCounts is."""

    input_type = "search"

    def render(self, name, value, attrs=None, renderer=None):
        value = self.format_value(value)
        shown = "" if value is None else f' value="{escape(value)}"'
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        # Every value escaped.
        return mark_safe(f'<input type="search" name="{escape(name)}"{shown}{attributes}>')


def field_group(field):
    """A bound field of the filter form as Django's ``as_field_group`` writes it (label, help
    text, errors, widget), written here: its templates took a fifth of the talk list's time.
    The widget's attributes (``aria-describedby`` for the help and errors, ``aria-invalid``)
    are still Django's (``BoundField.as_widget``)."""
    parts = [f'<label for="{escape(field.id_for_label)}">{escape(field.label)}</label>']
    if field.help_text:
        # Our own text, not a visitor's (Django's template marks it safe too).
        parts.append(
            f'<div class="helptext" id="{escape(field.auto_id)}_helptext">{field.help_text}</div>'
        )
    if field.errors:
        errors = "".join(f"<li>{escape(error)}</li>" for error in field.errors)
        parts.append(f'<ul class="errorlist" id="{escape(field.auto_id)}_error">{errors}</ul>')
    parts.append(field.as_widget())
    return mark_safe("\n".join(parts))  # every value escaped


def scoped_choices(conference):
    """Select choices for day, track and speaker, taken from the conference (``None`` for
    speakers when there are too many to list), and under ``talk_counts`` how many talks each
    day and track holds (the conference from
    ``Conference.objects.with_counted_days_and_tracks()``)."""
    # (slug, name) pairs, not Speaker instances: a big conference fetches 201 of them only to
    # learn that there are too many to list.
    speakers = list(
        Speaker.objects.filter(talks__conference=conference, talks__published=True)
        .distinct()
        .order_by("name")
        .values_list("slug", "name")[: SPEAKER_CHOICES_MAX + 1]
    )
    topics = list(
        Topic.objects.filter(
            pk__in=TalkTopic.objects.filter(
                talk__conference=conference, talk__published=True
            ).values("topic_id")
        )
        .order_by("name")
        .values_list("slug", "name")[: SPEAKER_CHOICES_MAX + 1]
    )
    return {
        "day": [
            (str(day.number), f"{day.title}{_date_suffix(day)}") for day in conference.days.all()
        ],
        "track": [(track.slug, track.name) for track in conference.tracks.all()],
        "speaker": (speakers if len(speakers) <= SPEAKER_CHOICES_MAX else None),
        "topic": (topics if len(topics) <= SPEAKER_CHOICES_MAX else None),
        "language": language_choices(Talk.objects.filter(conference=conference)),
        "talk_counts": {
            "day": {str(day.number): day.talk_count for day in conference.days.all()},
            "track": {track.slug: track.talk_count for track in conference.tracks.all()},
        },
    }


def language_choices(talks):
    """(ISO 639-3 code, name) of the languages ``talks`` are in, by name."""
    codes = talks.exclude(language_code="").values_list("language_code", flat=True).distinct()
    return sorted(((code, language_names(code)) for code in codes), key=lambda pair: pair[1])


def dress_form(form, choices):
    """Selects for the scoped filters, with an 'any' choice first, so nobody types a slug."""
    for name, any_label in ANY_CHOICE.items():
        field = form.fields[name]
        if choices[name] is None:
            field.help_text = SLUG_HELP[name]
            continue
        field.help_text = ""
        field.widget = ChoicesWithCounts(
            [("", any_label), *choices[name]], choices["talk_counts"].get(name, {})
        )
    kind = form.fields["kind"]
    kind.empty_label, kind.choices = "Any kind", TalkKind.choices
    kind.widget = ChoicesWithCounts(list(kind.choices), {})
    status = form.fields["status"]
    status.empty_label, status.choices = "Scheduled or cancelled", TalkStatus.choices
    status.widget = ChoicesWithCounts(list(status.choices), {})
    for name in FORM_FIELDS:
        form.fields[name].label = LABELS[name]
    form.label_suffix = ""
    search = form.fields["q"]
    search.widget = SearchBox(attrs=search.widget.attrs)
    return form


def conference_filter_form(form):
    """ConferenceFilterSet's form with selects: the years the catalog's conferences cover,
    newest first, and the kinds."""
    span = Conference.objects.aggregate(
        first=Min("start_date__year"), last=Max(Coalesce("end_date__year", "start_date__year"))
    )
    years = range(span["last"], span["first"] - 1, -1) if span["first"] else ()
    year = form.fields["year"]
    year.widget = ChoicesWithCounts([("", "Any year"), *((y, y) for y in years)], {})
    kind = form.fields["kind"]
    kind.widget = ChoicesWithCounts([("", "Conferences and series"), *ConferenceKind.choices], {})
    form.label_suffix = ""
    return form


def _value_label(name, raw, choices, query):
    if name == "talk":
        count = len(query.getlist("talk"))
        return f"{count} talk{pluralize(count)} by id"
    if name in ("q", "search"):
        return f"“{raw}”"
    if name == "kind":
        return dict(TalkKind.choices).get(raw, raw)
    if name == "status":
        return dict(TalkStatus.choices).get(raw, raw)
    if name == "language":
        return language_names(raw)
    if name == "day" and whole_number(raw, max_digits=4) is None:
        return raw
    return dict(choices.get(name) or ()).get(raw, raw)


def active_filters(filterset, choices, query):
    """The filters the request set, each with a readable value and a link that clears it."""
    errors = filterset.errors
    shown = []
    for name, raw in filterset.active_filters:
        if name not in LABELS:
            continue
        remaining = query.copy()
        remaining.pop(name, None)
        remaining.pop("page", None)
        shown.append(
            ActiveFilter(
                name=name,
                label=LABELS[name],
                value=_value_label(name, raw, choices, query),
                clear_url=f"?{remaining.urlencode()}" if remaining else "?",
                invalid=name in errors,
            )
        )
    return shown


def without_empty_values(query):
    """The query string without the empty fields a GET form sends, or None if it has none."""
    if all(value != "" for value in query.values()):
        return None
    kept = query.copy()
    for name in [name for name, value in query.items() if value == ""]:
        del kept[name]
    return kept.urlencode()


def valid_filters(query, errors):
    """The query without its invalid filters and page: what the list's exports and feed take."""
    kept = query.copy()
    for name in [*errors, "page"]:
        kept.pop(name, None)
    return kept


def canonical_query(query, errors, page):
    """The query string of the page's canonical URL: the valid filters, and the page past 1."""
    kept = valid_filters(query, errors)
    if page.number > 1:
        kept["page"] = page.number
    return kept.urlencode()
