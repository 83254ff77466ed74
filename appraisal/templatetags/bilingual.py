"""Templates' side of appraisal.languages: `{{ competency|localized:"name" }}` and `{% rule "22.1" %}`."""

from django import template

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
