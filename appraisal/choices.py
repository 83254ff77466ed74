"""get_<field>_display without rebuilding the choices (issue 12).

Django's Model._get_FIELD_display builds a dict of every choice (with its lazy label) on
each call: on the schedule page for 300 staff, three columns per line made that 52 % of the
page. A model that assigns `_get_FIELD_display = cached_choice_display` in its body (before
its fields are added, which is how Django binds get_<field>_display) looks the label up in a
dict built once per field. The labels stay lazy, so each request still shows them in its own
language.
"""

from functools import cache

from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


@cache
def _labels(field) -> dict:
    return {make_hashable(value): label for value, label in field.flatchoices}


def cached_choice_display(self, field):
    value = getattr(self, field.attname)
    return force_str(_labels(field).get(make_hashable(value), value), strings_only=True)
