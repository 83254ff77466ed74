"""R14: the 360 documents of one evaluated person, for the core's disposal after three
years (appraisal.hooks.on_retention).

Everything of the person's Subject goes, dependants first: the feedback meeting, the
self-assessment, the pooled comments, the tallies, the circle and the Subject itself. The
anonymity of the tallies is untouched: they are deleted whole, per person, and only their
number is shown (the number of statements, not of answers). The campaign stays, as the
schedule does: it is the organisation's, not one person's.
"""

from django.utils.translation import gettext_lazy as _

from survey360.models import AnonymousComment, AnswerTally, FeedbackMeeting, Respondent, SelfAnswer, Subject


def documents(entries) -> list[tuple[str, object]]:
    subjects = Subject.objects.filter(entry__in=entries)
    return [
        (_("Встречи обратной связи (360)"), FeedbackMeeting.objects.filter(subject__in=subjects)),
        (_("Ответы самооценки (360)"), SelfAnswer.objects.filter(subject__in=subjects)),
        (_("Комментарии респондентов (360)"), AnonymousComment.objects.filter(subject__in=subjects)),
        (_("Суммы ответов по утверждениям (360)"), AnswerTally.objects.filter(subject__in=subjects)),
        (_("Круг респондентов (360)"), Respondent.objects.filter(subject__in=subjects)),
        (_("Оцениваемое лицо опроса 360"), subjects),
    ]
