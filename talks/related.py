"""What to watch next: up to six talks related to one, for its page.

First the same speakers' other talks (newest conference first), then talks sharing its topics
(most topics shared first), then talks whose text is closest by the catalog search (its
title's longest words). Never the talk itself, a cancelled talk or an unpublished one
(``Talk.objects``). A few bounded queries, run when the talk's page is built (its fragment
keeps the result); the related talks' own items are kept per talk (``fragments``).
"""

from django.db.models import Count, F

from .models import Talk, TalkStatus
from .search import search_catalog

RELATED_TALKS = 6
# Title words shorter than this say little about a subject ("the", "with", "and").
MEANINGFUL_LETTERS = 5
# Hits read from the search for each try: enough to find a few talks among speakers and
# conferences matching the same words.
SEARCH_WINDOW = 20


def related_talk_rows(talk, limit=RELATED_TALKS):
    """(id, conference id) of up to ``limit`` talks related to ``talk``, best first."""
    chosen = {}  # id -> conference id, in order
    candidates = Talk.objects.filter(status=TalkStatus.SCHEDULED).exclude(pk=talk.pk)

    def take(rows):
        for talk_id, conference_id in rows:
            if len(chosen) >= limit:
                return
            chosen.setdefault(talk_id, conference_id)

    speakers = [speaker.pk for speaker in talk.ordered_speakers]
    if speakers:
        same_speakers = candidates.filter(talk_speakers__speaker__in=speakers).distinct()
        take(same_speakers.in_speaker_order().values_list("pk", "conference_id")[:limit])
    topics = [topic.pk for topic in talk.topic_list]
    if topics and len(chosen) < limit:
        on_topics = (
            candidates.filter(talk_topics__topic__in=topics)
            .exclude(pk__in=list(chosen))
            .annotate(shared=Count("talk_topics"))
            .order_by("-shared", F("conference__start_date").desc(nulls_last=True), "pk")
        )
        take(on_topics.values_list("pk", "conference_id")[:limit])
    if len(chosen) < limit:
        take(_closest_by_text(talk, set(chosen), limit - len(chosen)))
    return list(chosen.items())


def _closest_by_text(talk, chosen, wanted):
    """Talks the search finds for the title's two longest words together, then for each of
    its three longest alone (the search matches every word given), until enough are found."""
    words = sorted(
        {word for word in talk.title.split() if len(word) >= MEANINGFUL_LETTERS},
        key=lambda word: (-len(word), word),
    )
    queries = [words[:2], *([word] for word in words[:3])] if len(words) > 1 else [words]
    found = []
    for query in filter(None, queries):
        if len(found) >= wanted:
            break
        for hit in search_catalog(" ".join(query), near_misses=False)[:SEARCH_WINDOW]:
            record = hit.record
            if hit.kind != "talk" or record.pk == talk.pk or record.pk in chosen:
                continue
            if record.status == TalkStatus.SCHEDULED:
                chosen.add(record.pk)
                found.append((record.pk, record.conference_id))
    return found
