"""Speaker slugs: slugify(name) where it can spell the name, transliterated where it cannot."""

import pytest
from django.urls import reverse
from django.utils.text import slugify

from talks.models import Speaker
from talks.models.speakers import readable_slug

from .builders import make_speaker


@pytest.mark.parametrize(
    "name",
    [
        "Brendan Gregg",
        "Diogo Mónica",
        "Léa Verou",
        "François Pétré",
        "Núñez Müller",
        "Åsa Ström",
        "O'Brien-Smith",
        "Jérôme  van der Berg",
    ],
)
def test_ascii_and_accented_latin_names_keep_their_slugify_slug(name):
    assert readable_slug(name) == slugify(name)


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Samuel Groß", "samuel-gross"),
        ("Valbjørn", "valbjorn"),
        ("Łukasz Langa", "lukasz-langa"),
        ("Ægir Æsa", "aegir-aesa"),
        ("José Groß", "jose-gross"),
        ("Иван Петров", "ivan-petrov"),
        ("やまだ はなこ", "yamada-hanako"),
        ("Γιώργος", "giorgos"),
    ],
)
def test_letters_slugify_drops_are_transliterated(name, slug):
    assert readable_slug(name) == slug


def test_a_name_in_chinese_characters_gets_a_readable_romanisation():
    slug = readable_slug("山田 太郎")

    assert slug.isascii()
    assert len(slug.split("-")) == 2
    assert all(part.isalpha() for part in slug.split("-"))


def test_a_name_with_nothing_to_spell_falls_back_to_speaker(db):
    assert Speaker.unique_slug_for("\u0301 ...") == "speaker"


def test_a_long_name_in_another_script_fits_the_slug_field(db):
    speaker = Speaker(name="山" * 150, slug=Speaker.unique_slug_for("山" * 150))

    speaker.full_clean()
    assert len(speaker.slug) <= Speaker._meta.get_field("slug").max_length


def test_clashing_names_get_suffixes_in_one_query_per_taken_slug(db, django_assert_max_num_queries):
    make_speaker("Samuel Groß")
    make_speaker("Anna Smith")

    # One for all, one for each of the three slugs taken (in the database or by an earlier name).
    with django_assert_max_num_queries(4):
        slugs = Speaker.unique_slugs_for(
            ["Samuel Gross", "Valbjørn", "samuel groß", "Anna Smith", "Valbjorn"]
        )

    assert slugs == ["samuel-gross-2", "valbjorn", "samuel-gross-3", "anna-smith-2", "valbjorn-2"]


def test_new_names_cost_one_query_whatever_their_number(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        slugs = Speaker.unique_slugs_for([f"Speaker Number {n}" for n in range(200)])
    assert len(set(slugs)) == 200


def speaker_form(**fields):
    return {
        "name": "",
        "slug": "",
        "role": "",
        "organization": "",
        "bio": "",
        "note": "",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "1000",
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
        **fields,
    }


def test_the_admin_derives_a_new_speakers_slug_by_the_same_rule(admin_client):
    make_speaker("Samuel Groß")

    response = admin_client.post(
        reverse("admin:talks_speaker_add"), speaker_form(name="Samuel Groß")
    )

    assert response.status_code == 302
    assert Speaker.objects.get(slug="samuel-gross-2").name == "Samuel Groß"


def test_the_admin_keeps_a_slug_the_editor_typed(admin_client):
    response = admin_client.post(
        reverse("admin:talks_speaker_add"), speaker_form(name="Samuel Groß", slug="sam")
    )

    assert response.status_code == 302
    assert Speaker.objects.get().slug == "sam"


def test_the_admin_requires_the_slug_of_an_existing_speaker(admin_client):
    speaker = make_speaker("Valbjørn")

    response = admin_client.post(
        reverse("admin:talks_speaker_change", args=[speaker.pk]), speaker_form(name="Valbjørn")
    )

    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    speaker.refresh_from_db()
    assert speaker.slug == "valbjorn"
