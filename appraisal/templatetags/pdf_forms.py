"""Tags of the printed forms (templates/pdf).

`{% chief_specialist organisation %}` prints the name under the chief specialist's signature
line: the context's `chief_specialist` when the caller gave one (a job, the benchmark), else
whoever holds the role in `organisation` today (appraisal.pdf.chief_specialist_name).
"""

from django import template

from appraisal.pdf import chief_specialist_name

register = template.Library()


@register.simple_tag(takes_context=True)
def chief_specialist(context, organisation=None) -> str:
    given = context.get("chief_specialist")
    if given:
        return given
    if organisation is None:
        return ""
    # one look-up per organisation and render: form 4 of a quarter prints it on every sheet
    names = context.render_context.setdefault("chief_specialist_names", {})
    key = getattr(organisation, "pk", organisation)
    if key not in names:
        names[key] = chief_specialist_name(organisation)
    return names[key]
