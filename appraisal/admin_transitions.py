"""Transition buttons in the Django admin that go through the services.

django-fsm-2's admin mixin calls the model's transition method and saves. Ours must not:
the services check the rules with a message naming them, lock the row, and run what follows
a transition (R10: approving a schedule opens the quarter's ranking sheets). So each admin
declares `transition_services`: transition name → service called as
`service(obj, user, **form_data)`. Transitions without a service (those that need scores
entered on the evaluator's page) are not offered in the admin.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm.admin import FSMAdminMixin

from appraisal.access import refusal_text


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Причина"), widget=forms.Textarea, required=True)


class ConfirmForm(forms.Form):
    """An empty form: the admin asks to confirm a transition on a page of its own."""


class ServiceTransitionsAdmin(FSMAdminMixin):
    transition_services: dict[str, Callable[..., Any]] = {}
    fsm_transition_not_allowed_msg = gettext_lazy("Действие «{transition_name}» недоступно для вашей роли.")
    fsm_transition_error_msg = gettext_lazy("Действие «{transition_name}» не выполнено: {error}.")

    def get_fsm_transition_form(self, transition):
        # Every transition goes through the confirmation page (fsm_transition_view), which
        # calls _apply_fsm_transition below with the form's data.
        if transition.name in self.transition_services:
            return super().get_fsm_transition_form(transition) or ConfirmForm
        return super().get_fsm_transition_form(transition)

    def is_fsm_transition_visible(self, transition) -> bool:
        return transition.name in self.transition_services and super().is_fsm_transition_visible(transition)

    def get_fsm_label(self, transition) -> str:
        return str(transition.custom.get("label") or super().get_fsm_label(transition))

    def _apply_fsm_transition(self, *, obj, transition_name: str, request, kwargs=None) -> bool:
        service = self.transition_services.get(transition_name)
        if service is None:
            self.message_user(request, _("Это действие выполняется на странице процесса оценки."), messages.ERROR)
            return False
        try:
            service(obj, request.user, **(kwargs or {}))
        except (ValidationError, PermissionDenied) as exc:
            self.message_user(request, refusal_text(exc), messages.ERROR)
            return False
        self.message_user(request, _("Выполнено: %(action)s.") % {"action": self.get_fsm_label(
            self._get_fsm_transition_by_name(obj=obj, transition_name=transition_name))}, messages.SUCCESS)
        return True
