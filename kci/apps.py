from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KciConfig(AppConfig):
    name = "kci"
    verbose_name = _("КЦИ руководителя аппарата")
