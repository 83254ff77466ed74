from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegacyCommissionConfig(AppConfig):
    name = "legacy_commission"
    verbose_name = _("Глава 6 (Комиссия)")
