"""R14: the chief specialist's home flags evaluation documents whose three years have run out."""

from django import template

from appraisal.selectors import organisations_administered

register = template.Library()


@register.simple_tag(takes_context=True)
def retention_due_count(context) -> int:
    """How many schedule lines of the user's organisation(s) may be disposed of today."""
    from appraisal.models import Organisation
    from appraisal.services.retention import lines_due

    user = getattr(context.get("request"), "user", None)
    if user is None:
        return 0
    return sum(len(lines_due(organisation=organisation, with_counts=False))
               for organisation in Organisation.objects.filter(pk__in=organisations_administered(user)))
