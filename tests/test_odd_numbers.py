"""Numbers in the query string must be ASCII digits: "²" and other digits pass str.isdigit()."""

import pytest

CONF = "/conferences/dockercon-2017"
ODD_DIGITS = ["\u00b2", "\u0661", "\u0663\u0663"]  # ², Arabic-Indic 1 and 33


@pytest.mark.parametrize("digit", ODD_DIGITS)
@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        (f"{CONF}/talks/", "day"),
        (f"{CONF}/schedule/", "day"),
        ("/api/v1/talks/", "day"),
        ("/api/v1/announcements/", "day"),
        (f"{CONF}/schedule.ics", "day"),
        ("/my-schedule/", "talk"),
        ("/api/v1/talks/", "talk"),
        (f"{CONF}/schedule.json", "talk"),
        (f"{CONF}/talks/feed/", "talk"),
        (f"{CONF}/talks/", "page"),
        ("/speakers/", "page"),
        ("/api/v1/talks/", "page"),
    ],
)
def test_non_ascii_digits_are_a_clear_error_not_a_crash(client, dockercon, url, parameter, digit):
    response = client.get(url, {parameter: digit})
    assert response.status_code == 400
    assert parameter in response.content.decode()


def test_an_arabic_indic_one_is_not_day_1(client, dockercon):
    response = client.get(f"{CONF}/talks/", {"day": "\u0661"})
    assert response.status_code == 400
    assert "Day 1 Keynote" in response.content.decode(), "the list is shown, unfiltered"
