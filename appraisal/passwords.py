"""A password validator Django does not ship: the new password must differ from the current
one, so that «changing» a password (after an unlock, or when the chief specialist asks for it)
really changes it."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class NotTheCurrentPasswordValidator:
    def validate(self, password: str, user=None) -> None:
        # validate_password runs before set_password, so check_password still knows the old one.
        if user is not None and getattr(user, "pk", None) and user.has_usable_password() and user.check_password(password):
            raise ValidationError(_("Новый пароль совпадает с действующим."), code="password_unchanged")

    def get_help_text(self) -> str:
        return _("Новый пароль должен отличаться от действующего.")
