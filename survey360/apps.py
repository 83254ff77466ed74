from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Survey360Config(AppConfig):
    name = "survey360"
    verbose_name = _("Метод 360")
