import pytest
from django.core.management import CommandError, call_command

from talks.models import Conference, Talk, TalkSpeaker

pytestmark = pytest.mark.django_db


def test_generates_valid_data_and_replaces_only_earlier_synthetic_data(dockercon, capsys):
    call_command("generate_catalog", "--conferences", "2", "--talks", "30")
    assert "Generated 2 conference(s) with 60 talks" in capsys.readouterr().out
    synthetic = Talk.objects.filter(conference__slug__startswith="synthetic-")
    assert synthetic.count() == 60
    assert TalkSpeaker.objects.filter(talk__in=synthetic).count() == 120
    for talk in synthetic.select_related("conference", "day", "track", "room")[:10]:
        talk.full_clean()

    call_command("generate_catalog", "--talks", "5")
    assert Conference.objects.filter(slug__startswith="synthetic-").count() == 1
    assert Talk.objects.filter(conference__slug__startswith="synthetic-").count() == 5
    assert Talk.objects.filter(conference=dockercon).count() == 4


def test_refuses_counts_below_one():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("generate_catalog", "--talks", "0")
