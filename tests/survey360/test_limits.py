"""Issue 10, point 2 for chapter 4: the anonymous comment and the feedback record are
validated by the service as the model stores them. A comment used to be cut at 4,000
characters without a word, feedback texts had no limit, and a meeting dated 9999-12-31 was
accepted; now each is refused in Russian naming the rule, and nothing is stored."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from survey360 import services
from survey360.models import AnonymousComment, AnswerTally, FeedbackMeeting, Respondent
from tests.input_strategies import any_date, any_text, any_value, limits_settings
from tests.survey360.conftest import values_for
from tests.survey360.test_rules import close, subject_of

FEEDBACK = ("participants", "strengths", "to_develop", "training_topics")


def _answers_state(subject):
    return (sorted(AnswerTally.objects.filter(subject=subject).values_list("statement_id", "total", "count")),
            AnonymousComment.objects.get(subject=subject).texts,
            sorted(Respondent.objects.filter(subject=subject).values_list("pk", "answered")))


def _respondent(subject):
    return Respondent.objects.filter(subject=subject).select_related("employee__user").order_by("pk").first()


def test_R34_comment_over_4000_characters_refused_not_cut(open_survey):
    subject = subject_of(open_survey.campaign, open_survey.staff[0])
    respondent = _respondent(subject)
    before = _answers_state(subject)
    with pytest.raises(ValidationError) as refused:
        services.submit_answers(subject=subject, by=respondent.employee.user, values=values_for(subject, 4),
                                comment="к" * (services.COMMENT_LIMIT + 1))
    assert "п. 34" in refused.value.messages[0] and f"не длиннее {services.COMMENT_LIMIT}" in refused.value.messages[0]
    assert _answers_state(subject) == before
    services.submit_answers(subject=subject, by=respondent.employee.user, values=values_for(subject, 4),
                            comment="к" * services.COMMENT_LIMIT)
    assert ["к" * services.COMMENT_LIMIT] == AnonymousComment.objects.get(subject=subject).texts


@pytest.mark.parametrize("held_on, message", [
    (dt.date(9999, 12, 31), "не позже 31.12.2026"),
    (dt.date(1, 1, 1), "не раньше 01.01.2025"),
    ("9999-12-31", "не позже 31.12.2026"),
])
def test_R36_feedback_date_outside_the_survey_years_refused(open_survey, held_on, message):
    close(open_survey)
    subject = subject_of(open_survey.campaign, open_survey.staff[0])
    with pytest.raises(ValidationError, match=message):
        services.record_feedback(subject=subject, by=open_survey.chief.user, held_on=held_on, participants="x",
                                 strengths="x", to_develop="x", training_topics="x")
    assert not FeedbackMeeting.objects.filter(subject=subject).exists()


def test_R36_feedback_text_over_the_limit_refused_not_cut(open_survey):
    close(open_survey)
    subject = subject_of(open_survey.campaign, open_survey.staff[0])
    with pytest.raises(ValidationError, match=f"не длиннее {services.FEEDBACK_TEXT_LIMIT} символов"):
        services.record_feedback(subject=subject, by=open_survey.chief.user, held_on=dt.date(2026, 1, 20),
                                 participants="x", strengths="с" * (services.FEEDBACK_TEXT_LIMIT + 1),
                                 to_develop="x", training_topics="x")
    assert not FeedbackMeeting.objects.filter(subject=subject).exists()


@limits_settings
@given(comment=st.one_of(any_text(), any_value()), valid_values=st.booleans(),
       values=st.dictionaries(st.one_of(st.text(max_size=5), st.integers().map(str)), any_value(), max_size=3))
def test_R34_submit_answers_with_arbitrary_values_never_fails_and_refusal_saves_nothing(open_survey, comment,
                                                                                      valid_values, values):
    subject = subject_of(open_survey.campaign, open_survey.staff[0])
    respondent = _respondent(subject)
    Respondent.objects.filter(pk=respondent.pk).update(answered=False)  # each example answers afresh
    before = _answers_state(subject)
    try:
        services.submit_answers(subject=subject, by=respondent.employee.user,
                                values=values_for(subject, 3) if valid_values else values, comment=comment)
    except ValidationError as exc:
        assert all(m.startswith("п. ") for m in exc.messages), exc.messages
        assert _answers_state(subject) == before
        return
    texts = AnonymousComment.objects.get(subject=subject).texts
    assert all(len(t) <= services.COMMENT_LIMIT for t in texts)


@limits_settings
@given(held_on=st.one_of(any_date(), any_value(), st.none()),
       texts=st.fixed_dictionaries({k: st.one_of(any_text(), any_value()) for k in FEEDBACK}))
def test_R36_record_feedback_with_arbitrary_values_never_fails_and_refusal_saves_nothing(open_survey, held_on, texts):
    if not getattr(open_survey, "_closed", False):
        close(open_survey)
        open_survey._closed = True
    subject = subject_of(open_survey.campaign, open_survey.staff[0])
    before = list(FeedbackMeeting.objects.filter(subject=subject).values_list("held_on", *FEEDBACK))
    try:
        services.record_feedback(subject=subject, by=open_survey.chief.user, held_on=held_on, **texts)
    except (ValidationError, PermissionDenied) as exc:
        assert all(m.startswith("п. ") for m in getattr(exc, "messages", [str(exc)])), exc
        assert list(FeedbackMeeting.objects.filter(subject=subject).values_list("held_on", *FEEDBACK)) == before
        return
    meeting = FeedbackMeeting.objects.get(subject=subject)
    assert dt.date(2025, 1, 1) <= meeting.held_on <= dt.date(2026, 12, 31)
    assert all(0 < len(getattr(meeting, k)) <= services.FEEDBACK_TEXT_LIMIT for k in FEEDBACK)
