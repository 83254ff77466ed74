"""Hypothesis strategies for «whatever a user can type or post» (issue 10, point 2).

Each service that takes user input is driven with these: the arbitrary text of a form field
(any Unicode, the NUL character, very long strings), numbers of every size and precision,
dates far outside any period, and the known bad values of the issue («1e20», «10^12»,
«0.000000001», «9999-12-31», a 100,000-character title).
"""

import datetime as dt
import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# The examples per service; HYPOTHESIS_EXAMPLES raises it for a long run.
EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "120"))

# The db fixture is function-scoped on purpose: every example runs in the test's one
# transaction, and the test itself checks that a refusal left the data as it was.
limits_settings = settings(max_examples=EXAMPLES, deadline=None, derandomize=False,
                           suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                                  HealthCheck.data_too_large])

KNOWN_BAD = ["1e20", "10^12", "1000000000000", "999999999999.999", "0.000000001", "-0.001", "NaN", "Infinity",
             "-Infinity", "1e-1000000", "9" * 400, "", " ", "\x00", "1\x002", "12,5", "1 000,50", "٣", "0x10",
             "9999-12-31", "0001-01-01", "2025-02-30", "x" * 100_000, "а" * 2001, "б" * 4001, "\u202e"]


def numbers_as_text():
    return st.one_of(
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.from_regex(r"-?\d{1,20}([.,]\d{0,12})?([eE][+-]?\d{1,7})?", fullmatch=True),
    )


def any_text(max_size=6000):
    return st.one_of(
        st.text(max_size=200),
        st.text(alphabet=st.characters(codec="utf-8"), min_size=0, max_size=max_size),
        st.sampled_from(KNOWN_BAD),
    )


def any_value():
    """What a posted field or a careless caller may hand to a service."""
    return st.one_of(any_text(), numbers_as_text(), st.none(), st.integers(), st.booleans(),
                     st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(dt.date.isoformat))


def any_date():
    return st.one_of(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
                     st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 12, 31)))
