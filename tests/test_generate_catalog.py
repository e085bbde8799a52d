import random
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from talks.models import Conference, Speaker, Talk, TalkSpeaker
from talks.synthetic import Scale, speakers_by_talk


@pytest.mark.django_db
def test_generates_valid_data_and_replaces_only_earlier_synthetic_data(dockercon, capsys):
    call_command("generate_catalog", "--conferences", "2", "--talks", "30")
    assert "Generated 2 conference(s) with 60 talks" in capsys.readouterr().out
    synthetic = Talk.objects.filter(conference__slug__startswith="synthetic-")
    assert synthetic.count() == 60
    assert TalkSpeaker.objects.filter(talk__in=synthetic).count() == 120
    # Only speakers who give a talk, and fewer of them than speaking slots.
    speakers = Speaker.objects.filter(slug__startswith="synthetic-")
    assert not speakers.filter(talk_roles__isnull=True).exists()
    assert 40 < speakers.count() < 120
    for talk in synthetic.select_related("conference", "day", "track", "room")[:10]:
        talk.full_clean()

    call_command("generate_catalog", "--talks", "5")
    assert Conference.objects.filter(slug__startswith="synthetic-").count() == 1
    assert Talk.objects.filter(conference__slug__startswith="synthetic-").count() == 5
    assert Talk.objects.filter(conference=dockercon).count() == 4


def test_speakers_follow_a_long_tail_like_a_real_catalog():
    """At the load benchmark's scale, like the pyvideo data set: thousands of speakers, most
    with one or two talks, a few with dozens; the same for the same seed."""
    scale = Scale(conferences=100, talks_per_conference=200)
    assignments = speakers_by_talk(random.Random(scale.seed), scale)

    assert len(assignments) == 20_000
    assert all(len(set(speakers)) == scale.speakers_per_talk for speakers in assignments)
    talks_per_speaker = Counter(n for speakers in assignments for n in speakers).values()
    assert len(talks_per_speaker) > 12_000
    assert sum(count <= 2 for count in talks_per_speaker) > 0.7 * len(talks_per_speaker)
    assert 10 < sum(count >= 20 for count in talks_per_speaker) < 300
    assert max(talks_per_speaker) > 40
    assert speakers_by_talk(random.Random(scale.seed), scale) == assignments


def test_refuses_counts_below_one():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("generate_catalog", "--talks", "0")
