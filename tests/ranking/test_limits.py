"""Issue 10, point 2 for chapter 3: the evaluator's comments and scores are validated by the
service as the model stores them; a comment too long is refused (it used to be cut at 2,000
characters without a word) and nothing of the page is saved."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from ranking.models import PARAMETER_CODES, RankingSheet
from ranking.services import COMMENT_LIMIT, save_ranking
from tests.input_strategies import any_text, any_value, limits_settings

FIELDS = [*PARAMETER_CODES, *(f"{c}_comment" for c in PARAMETER_CODES), "state"]


def _state():
    return list(RankingSheet.objects.order_by("pk").values_list(*FIELDS))


@pytest.fixture
def sheets(org, opened):
    return list(RankingSheet.objects.select_related("entry__employee", "entry__evaluator__user",
                                                    "entry__schedule__period").order_by("pk"))


def test_R31_comment_over_2000_characters_refused_not_cut(org, sheets):
    before = _state()
    raw = {sheets[0].pk: {"quality": "4", "quality_comment": "к" * (COMMENT_LIMIT + 1)},
           sheets[1].pk: {"quality": "3", "quality_comment": "хорошо"}}
    with pytest.raises(ValidationError) as refused:
        save_ranking(sheets=sheets, raw=raw, by=org.head.user)
    text = " ".join(refused.value.messages)
    assert "п. 31" in text and f"не длиннее {COMMENT_LIMIT} символов" in text
    assert _state() == before  # the other sheet's draft is not saved either
    raw[sheets[0].pk]["quality_comment"] = "к" * COMMENT_LIMIT
    save_ranking(sheets=sheets, raw=raw, by=org.head.user)
    assert len(RankingSheet.objects.get(pk=sheets[0].pk).quality_comment) == COMMENT_LIMIT


def test_R31_comment_with_a_nul_character_refused(org, sheets):
    before = _state()
    with pytest.raises(ValidationError, match="NUL"):
        save_ranking(sheets=sheets, raw={sheets[0].pk: {"quality_comment": "a\x00b"}}, by=org.head.user)
    assert _state() == before


@limits_settings
@given(values=st.dictionaries(st.sampled_from([*PARAMETER_CODES, *(f"{c}_comment" for c in PARAMETER_CODES)]),
                              st.one_of(any_value(), any_text())),
       submit=st.booleans())
def test_R31_save_ranking_with_arbitrary_values_never_fails_and_refusal_saves_nothing(org, sheets, values, submit):
    current = list(RankingSheet.objects.select_related("entry__employee", "entry__evaluator__user",
                                                       "entry__schedule__period").order_by("pk"))
    before = _state()
    try:
        save_ranking(sheets=current, raw={current[0].pk: values}, by=org.head.user, submit=submit)
    except ValidationError as exc:
        assert all(m.startswith("п. ") or "Обновите страницу" in m for m in exc.messages), exc.messages
        assert _state() == before
        return
    stored = RankingSheet.objects.get(pk=current[0].pk)
    for code in PARAMETER_CODES:
        assert len(getattr(stored, f"{code}_comment")) <= COMMENT_LIMIT
