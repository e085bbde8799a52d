"""The engine-independent half of the catalog search: filters, ranking across the three kinds
of record, paging, and the hits as pages and the API show them.

An engine (``SearchBackend``) says only which records of one kind match the words, with a
score (higher is better). This module filters them with the ORM, merges the three kinds into
one ranking (tier, score, then kind, then id, so that pages never repeat or skip a hit) and
pages through it: two queries to count (all matches, then the named ones), one per tier a page
shows, and one or two per kind to load the page's records.
"""

import enum
from dataclasses import dataclass
from functools import cached_property, partial

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.safestring import SafeString

from ..models import Conference, Speaker, Talk, TalkStatus
from ..text import as_plain_text
from .terms import highlight, snippet

# Also the order of equally ranked hits.
KINDS = ("conference", "speaker", "talk")
# A search shows at most this many hits, the best ones (as GitHub's search API does): counting
# every match of a common word would cost a pass over most of the catalog, and nobody pages
# through more.
MAX_HITS = 1000
# The fewest letters a query needs before near-misses are looked for.
NEAR_MISS_MIN_LETTERS = 4
KIND_CHOICES = [(kind, kind.capitalize()) for kind in KINDS]


@dataclass(frozen=True)
class SearchFilters:
    """Validated filters (``talks.search.forms.SearchForm``); None is no filter.

    Talks must pass them all. A speaker is kept when one of their talks passes; a conference
    when it is the one asked for, of the year asked for, and (with kind, track, topic or
    language) holds a talk of that kind, in that track, on that topic, in that language."""

    conference: Conference | None = None
    year: int | None = None
    kind: str | None = None
    track: str | None = None
    topic: str | None = None
    language: str | None = None  # an ISO 639-3 code

    def _talk_lookups(self):
        lookups = {
            "conference": self.conference,
            "conference__start_date__year": self.year,
            "kind": self.kind,
            "track__slug": self.track,
            "talk_topics__topic__slug": self.topic,
            "language_code": self.language,
        }
        return {name: value for name, value in lookups.items() if value is not None}

    def __bool__(self):
        return bool(self._talk_lookups())

    def records(self, kind):
        """The records of ``kind`` that pass, or None when nothing is filtered. Talks are
        always filtered: an unpublished talk is never a hit."""
        talks = Talk.objects.filter(**self._talk_lookups())
        if kind == "talk":
            return talks
        if not self:
            return None
        if kind == "speaker":
            return Speaker.objects.filter(
                Exists(talks.filter(talk_speakers__speaker=OuterRef("pk")))
            )
        conferences = Conference.objects.all()
        if self.conference is not None:
            conferences = conferences.filter(pk=self.conference.pk)
        if self.year is not None:
            conferences = conferences.filter(start_date__year=self.year)
        if any(value is not None for value in (self.kind, self.track, self.topic, self.language)):
            conferences = conferences.filter(Exists(talks.filter(conference=OuterRef("pk"))))
        return conferences


@dataclass
class Hit:
    kind: str
    record: Talk | Speaker | Conference
    score: float
    title: SafeString  # escaped, matches marked
    snippet: SafeString

    @property
    def html_url(self):
        return self.record.get_absolute_url()

    @property
    def api_url(self):
        key = self.record.pk if self.kind == "talk" else self.record.slug
        return reverse(f"api:{self.kind}-detail", args=[key])


class Tier(enum.Enum):
    """Hits come in two tiers: records whose title or name holds every word, then the others
    (the words in a subtitle, abstract, biography...); the engine ranks each tier within."""

    NAMED = "named"
    OTHER = "other"


class SearchBackend:
    """What an engine provides: the records of a kind matching words, with their scores."""

    finds_near_misses = False
    # How the filters name a match's id (see ``Hits._statement``).
    filtered_id = "id"

    def matches(self, kind, terms, tier, ranked):
        """(sql, params) of a query giving ``id`` and ``score`` of each record of ``kind`` in
        ``tier`` (any tier when None) that matches; the score may be a constant when not
        ``ranked`` (to count)."""
        raise NotImplementedError

    def near_matches(self, kind, terms, ranked, passing):
        """Like ``matches``, for records whose title or name is close to the words.
        ``passing``: (sql, params) of the ids of each kind that pass the filters; an engine
        that measures only some candidates picks them among those."""
        raise NotImplementedError


class Hits:
    """The ranked hits of one search, as a sequence that a Paginator pages through.

    Exact matches come first, tier by tier; when there are none and the engine finds
    near-misses, those are the hits (``near_misses`` is then True once counted). A page ranks
    only the tiers it shows: the first pages of a common word rank the records named by it, not
    the thousands that mention it."""

    def __init__(self, backend, terms, filters):
        self.backend, self.terms, self.filters = backend, terms, filters
        self.near_misses = False
        self.more_than_shown = False  # past MAX_HITS, once counted
        self._counts = None
        self._near_rows = []  # ranked, once counted, when the hits are near-misses

    def count(self):
        if not self.terms:
            self._counts = [0] * len(Tier)
        if self._counts is None:
            # All matches and the named ones: cheaper for an engine than the other tier alone.
            found = self._count_of(partial(self.backend.matches, tier=None))
            if not found and self._may_nearly_match():
                # Ranked once, here, and paged from memory: each near-miss costs a similarity
                # measure, and there are few of them to keep.
                near = partial(self.backend.near_matches, passing=self._passing)
                self._near_rows = self._ranked_rows(near, 0, MAX_HITS + 1)
                found = len(self._near_rows)
                self.near_misses = bool(found)
            self.more_than_shown = found > MAX_HITS
            shown = min(found, MAX_HITS)
            if self.near_misses:
                self._counts = [shown]
            else:
                named = self._count_of(partial(self.backend.matches, tier=Tier.NAMED))
                self._counts = [min(named, shown), shown - min(named, shown)]
        return sum(self._counts)

    def _may_nearly_match(self):
        # Two or three letters are close to far too many titles to be worth showing.
        letters = sum(len(term.word) for term in self.terms)
        return self.backend.finds_near_misses and letters >= NEAR_MISS_MIN_LETTERS

    def __len__(self):
        return self.count()

    def __getitem__(self, window):
        if not isinstance(window, slice) or window.step is not None:
            raise TypeError("Hits are read a page at a time.")
        start, stop = window.start or 0, window.stop
        if not self.terms or start >= self.count():
            return []
        if self.near_misses:
            return self._loaded(self._near_rows[start : min(stop, MAX_HITS)])
        wanted, offset, rows = stop - start, start, []
        for tier, count in zip(Tier, self._counts, strict=True):
            if offset >= count:  # the window starts in a later tier
                offset -= count
                continue
            relation = partial(self.backend.matches, tier=tier)
            rows += self._ranked_rows(relation, offset, wanted - len(rows))
            offset = 0
            if len(rows) >= wanted:
                break
        return self._loaded(rows)

    def _ranked_rows(self, relation, offset, limit):
        sql, params = self._statement(relation, ranked=True)
        # A cancelled talk comes after every other hit of its tier: it will not take place.
        cancelled = (
            f"SELECT id FROM {connection.ops.quote_name(Talk._meta.db_table)} WHERE status = %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT kind, id, score FROM ({sql}) AS hits ORDER BY CASE WHEN kind = 'talk' "
                f"AND id IN ({cancelled}) THEN 1 ELSE 0 END, score DESC, kind, id "
                "LIMIT %s OFFSET %s",
                [*params, TalkStatus.CANCELLED, limit, offset],
            )
            return cursor.fetchall()

    def _count_of(self, relation):
        """How many records match, up to one past ``MAX_HITS``: the engine stops there."""
        sql, params = self._statement(relation, ranked=False)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM ({sql} LIMIT %s) AS hits", [*params, MAX_HITS + 1]
            )
            return cursor.fetchone()[0]

    def _statement(self, relation, ranked):
        """One query of the hits of every kind: (kind, id, score) rows, each kind's matches
        filtered by the records that pass (``filtered_id`` lets an engine keep the filter from
        driving its search)."""
        matches, parts, params = [], [], []
        for kind in KINDS:
            sql, kind_params = relation(kind, self.terms, ranked=ranked)
            matches.append(f"{kind}_hits AS ({sql})")
            params.extend(kind_params)
        for kind in KINDS:
            part = f"SELECT '{kind}' AS kind, id, score FROM {kind}_hits"
            if kind in self._passing:
                passing_sql, passing_params = self._passing[kind]
                part += f" WHERE {self.backend.filtered_id} IN ({passing_sql})"
                params.extend(passing_params)
            parts.append(part)
        return f"WITH {', '.join(matches)} {' UNION ALL '.join(parts)}", params

    @cached_property
    def _passing(self):
        """(sql, params) of the ids of each kind that pass the filters, compiled once."""
        passing = {kind: self.filters.records(kind) for kind in KINDS}
        return {
            kind: records.order_by().values("pk").query.sql_with_params()
            for kind, records in passing.items()
            if records is not None
        }

    def _loaded(self, rows):
        ids = {kind: [row_id for row_kind, row_id, _ in rows if row_kind == kind] for kind in KINDS}
        records = {kind: _records(kind, ids[kind]) for kind in KINDS}
        return [
            self._hit(kind, records[kind][row_id], score)
            for kind, row_id, score in rows
            if row_id in records[kind]  # deleted since the page's query ran
        ]

    def _hit(self, kind, record, score):
        title, text = _title_and_text(kind, record)
        return Hit(
            kind=kind,
            record=record,
            score=score,
            title=highlight(title, self.terms),
            snippet=snippet(text, self.terms),
        )


def _records(kind, ids):
    if not ids:
        return {}
    if kind == "talk":
        return Talk.objects.for_listing().in_bulk(ids)
    if kind == "speaker":
        speakers = Speaker.objects.select_related("organization")
        published = Q(talk_roles__talk__published=True)
        return speakers.annotate(talk_count=Count("talk_roles", filter=published)).in_bulk(ids)
    return Conference.objects.in_bulk(ids)


def _title_and_text(kind, record):
    if kind == "talk":
        parts = [record.subtitle, as_plain_text(record.abstract, record.abstract_format)]
        return record.title, " — ".join(part for part in parts if part)
    if kind == "speaker":
        organization = record.organization.name if record.organization else ""
        parts = [record.role, organization, record.bio]
        return record.name, " — ".join(part for part in parts if part)
    place = ", ".join(part for part in (record.venue, record.city, record.country) if part)
    return record.name, " — ".join(part for part in (record.tagline, place) if part)
