from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppraisalConfig(AppConfig):
    name = "appraisal"
    verbose_name = _("Оценка: общие сведения")

    def ready(self):
        # the core's own background job kind (appraisal.jobs): a large staff import
        from appraisal import import_jobs  # noqa: F401
