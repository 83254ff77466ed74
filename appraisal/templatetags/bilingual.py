"""Templates' side of appraisal.languages: `{{ competency|localized:"name" }}` and `{% rule "22.1" %}`."""

from django import template
from django.utils.translation import pgettext

from appraisal import languages

register = template.Library()


@register.filter
def localized(obj, field: str) -> str:
    """The text of `field` in the interface language (Kazakh `<field>_kk` when filled)."""
    if obj is None or obj == "":
        return ""
    return languages.localized(obj, field)


@register.simple_tag
def rule(numbers) -> str:
    """A citation of the Методика's point(s): «п. 22.1» in Russian, «22.1-т.» in Kazakh."""
    return languages.rule_citation(numbers)


@register.simple_tag
def date_blank() -> str:
    """The blank date beside a signature on a printed form: «___» ____________ 20__ г. in
    Russian, 20__ ж. «___» __________ in Kazakh (the year comes first; no wider than the Russian)."""
    return pgettext("signature date blank", "«___» ____________ 20__ г.")


@register.filter
def record_text(detail: str) -> str:
    """A schedule line's explanation (text of record) in the interface language."""
    from appraisal.record_text import detail_for_display

    return detail_for_display(detail or "")
