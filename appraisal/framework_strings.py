"""Django's own strings that its Kazakh catalogue lacks: the password rules and the password
change form, and the frame of the admin. They are listed here only so that `makemessages`
carries them into locale/kk (our catalogue is read before Django's: LOCALE_PATHS), with the
Kazakh text beside ours; without it the Kazakh interface fell back to Django's Russian.
Each msgid is Django's own, character for character (curly quotes included)."""

from django.utils.translation import gettext_noop, ngettext_lazy

STRINGS = (
    gettext_noop("No password set."),
    gettext_noop("Invalid password format or unknown hashing algorithm."),
    gettext_noop("Enter the same password as before, for verification."),
    gettext_noop("Please enter a correct %(username)s and password. Note that both fields may be case-sensitive."),
    gettext_noop("Email"),
    gettext_noop("email address"),
    gettext_noop("Authentication and Authorization"),
    gettext_noop("The groups this user belongs to. A user will get all permissions granted to each of their groups."),
    gettext_noop("Specific permissions for this user."),
    gettext_noop("Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only."),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("This password is too common."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("This password is entirely numeric."),
    gettext_noop("Your password can’t be entirely numeric."),
    gettext_noop("Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters."),
    gettext_noop("Password change"),
    gettext_noop("Password change successful"),
    gettext_noop("Administration"),
    gettext_noop("Please enter the correct %(username)s and password for a staff account. Note that both fields may be case-sensitive."),  # noqa: E501
    gettext_noop("View site"),
    gettext_noop("Remove from sorting"),
    gettext_noop("Sorting priority: %(priority_number)s"),
    gettext_noop("Toggle sorting"),
    gettext_noop("Objects"),
    gettext_noop("No, take me back"),
    gettext_noop("View"),
    gettext_noop("View %s"),
    gettext_noop("Select %s to view"),
    gettext_noop("Summary"),
    gettext_noop("Models in the %(name)s application"),
    gettext_noop("You don’t have permission to view or edit anything."),
    gettext_noop("Recent actions"),
    gettext_noop("My actions"),
    gettext_noop("Save and view"),
    gettext_noop("Close"),
    gettext_noop("Change selected %(model)s"),
    gettext_noop("Add another %(model)s"),
    gettext_noop("Delete selected %(model)s"),
    gettext_noop("View selected %(model)s"),
    gettext_noop("Currently:"),
    gettext_noop("Change:"),
    gettext_noop("%(app)s administration"),
)

PLURALS = (
    ngettext_lazy("Your password must contain at least %(min_length)d character.",
                  "Your password must contain at least %(min_length)d characters.", "n"),
    ngettext_lazy("This password is too short. It must contain at least %d character.",
                  "This password is too short. It must contain at least %d characters.", "n"),
    ngettext_lazy("Please correct the error below.",
                  "Please correct the errors below.", "n"),
)
