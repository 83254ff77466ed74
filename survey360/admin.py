"""Admin for the edition data of forms 5 and 6 and the campaign header only.

The answer tables (AnswerTally, AnonymousComment, SelfAnswer) and the circles are not
registered: the admin has no page that could put a respondent next to a value (R15, R33).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from appraisal.admin_readonly import EvaluativeAdmin, HistoryAdmin, person_name
from appraisal.admin_transitions import ServiceTransitionsAdmin
from survey360 import services
from survey360.models import Campaign, Competency, FeedbackMeeting, Questionnaire, Statement


# Stacked, not tabular: a tabular inline's inputs are named only by the column header, and
# screen readers (axe: «Form elements must have labels», critical) get no label for them.
class StatementInline(admin.StackedInline):
    model = Statement
    extra = 0


class CompetencyInline(admin.StackedInline):
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
    # The header fields have no verbose names in the model (the admin showed «Organisation»,
    # «Created by: chief»): shown here in words, read only — a campaign is created on the 360
    # page from the approved schedule, with its circles (R10, R33, R35.1), not typed here.
    list_display = ["__str__", "body", "state", "deadline"]
    fields = ["body", "year", "schedule_of", "deadline", "reminder_working_days", "created_by_name", "state",
              "opened_on", "closed_on"]
    readonly_fields = ["body", "year", "schedule_of", "created_by_name", "state", "opened_on", "closed_on"]
    fsm_fields = ["state"]
    transition_services = {
        "open": lambda obj, user: services.open_campaign(campaign=obj, by=user),
        "close": lambda obj, user: services.close_campaign(campaign=obj, by=user),
        "publish": lambda obj, user: services.publish_reports(campaign=obj, by=user),
    }

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("государственный орган"), ordering="organisation__name")
    def body(self, obj):
        return obj.organisation

    @admin.display(description=_("оцениваемый период"))
    def year(self, obj):
        return obj.period

    @admin.display(description=_("график оценки"))
    def schedule_of(self, obj):
        return obj.schedule

    @admin.display(description=_("создал(а)"))
    def created_by_name(self, obj):
        return person_name(obj.created_by)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # The model's label read «Напоминания за рабочих дней до срока: 5,2» — as five point two.
        if db_field.name == "reminder_working_days":
            kwargs["label"] = _("За сколько рабочих дней до срока напоминать респондентам")
            kwargs["help_text"] = _("Числа через запятую: «5,2» — за 5 и за 2 рабочих дня до срока.")
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(FeedbackMeeting)
class FeedbackMeetingAdmin(EvaluativeAdmin):
    # What was said about the person's 360 result stays on the survey pages (R20).
    list_display = ["subject", "held_on"]
    evaluative_fields = ("strengths", "to_develop", "training_topics")
