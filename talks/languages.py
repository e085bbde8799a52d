"""Language names and codes, whatever a source wrote: an ISO 639-1 code ("en"), an ISO 639-3
or 639-2 bibliographic code ("eng", "ger"), a tag with a region ("en-US"), a name ("English"),
or several of them ("de, en"). Names come from pycountry's ISO 639-3 table, in English."""

import functools
import re

import pycountry

# Between the languages of a talk given in two: "de, en", "English / French", "es and en".
_BETWEEN = re.compile(r"\s*(?:[,;/+&]|\band\b)\s*", re.IGNORECASE)
_REGION = re.compile(r"[-_]")


@functools.lru_cache(maxsize=4096)
def _language(text):
    """pycountry's language for one code or name, or None."""
    base = _REGION.split(text, maxsplit=1)[0].casefold()
    found = None
    if len(base) == 2:
        found = pycountry.languages.get(alpha_2=base)
    elif len(base) == 3:
        found = pycountry.languages.get(alpha_3=base) or pycountry.languages.get(bibliographic=base)
    if found is None:
        try:
            found = pycountry.languages.lookup(text)
        except LookupError:
            return None
    return found


def _parts(value):
    return [part for part in _BETWEEN.split(value or "") if part.strip()]


def language_names(value):
    """The languages of ``value`` by name ("eng" is "English", "de, en" is "German,
    English"); a part no table knows is kept as written."""
    found = [(part, _language(part.strip())) for part in _parts(value)]
    return ", ".join(language.name if language else part.strip() for part, language in found)


def language_code(value):
    """The ISO 639-3 code of the first language of ``value`` that a table knows, or ""."""
    for part in _parts(value):
        language = _language(part.strip())
        if language is not None:
            return language.alpha_3
    return ""
