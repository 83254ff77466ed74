"""Admin for the edition data of forms 5 and 6 and the campaign header only.

The answer tables (AnswerTally, AnonymousComment, SelfAnswer) and the circles are not
registered: the admin has no page that could put a respondent next to a value (R15, R33).
"""

from django.contrib import admin

from appraisal.admin_readonly import EvaluativeAdmin, HistoryAdmin
from appraisal.admin_transitions import ServiceTransitionsAdmin
from survey360 import services
from survey360.models import Campaign, Competency, FeedbackMeeting, Questionnaire, Statement


class StatementInline(admin.TabularInline):
    model = Statement
    extra = 0


class CompetencyInline(admin.TabularInline):
    model = Competency
    extra = 0


@admin.register(Questionnaire)
class QuestionnaireAdmin(HistoryAdmin):
    list_display = ["title", "appendix", "scale_min", "scale_max", "is_default"]
    inlines = [CompetencyInline]


@admin.register(Competency)
class CompetencyAdmin(HistoryAdmin):
    list_display = ["name", "questionnaire", "order"]
    list_filter = ["questionnaire"]
    inlines = [StatementInline]


@admin.register(Campaign)
class CampaignAdmin(ServiceTransitionsAdmin, HistoryAdmin):
    list_display = ["__str__", "organisation", "state", "deadline"]
    readonly_fields = ["state", "opened_on", "closed_on"]
    fsm_fields = ["state"]
    transition_services = {
        "open": lambda obj, user: services.open_campaign(campaign=obj, by=user),
        "close": lambda obj, user: services.close_campaign(campaign=obj, by=user),
        "publish": lambda obj, user: services.publish_reports(campaign=obj, by=user),
    }


@admin.register(FeedbackMeeting)
class FeedbackMeetingAdmin(EvaluativeAdmin):
    # What was said about the person's 360 result stays on the survey pages (R20).
    list_display = ["subject", "held_on"]
    evaluative_fields = ("strengths", "to_develop", "training_topics")
