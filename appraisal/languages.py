"""The two interface languages (Russian, Kazakh) for what the catalogue cannot translate.

- Edition data (the 360 questionnaires, the form-4 parameters, …) is typed by people, so it is
  carried in both languages by the models themselves: a Russian field `x` and a Kazakh `x_kk`
  beside it. `localized(obj, "x")` is the one way every page, PDF and export picks the text
  (templates: `{{ obj|localized:"x" }}` from the `bilingual` tag library). An empty Kazakh
  field falls back to the Russian text, so an edited or new row never shows a blank.
- Rule citations: Russian writes «п. 22.1», Kazakh «22.1-т.» (several: «пп. 67, 68» /
  «67, 68-тт.»). `rule_citation("22.1")` gives the one in force through the catalogue
  (templates: `{% rule "22.1" %}`).
"""

from django.utils.translation import get_language, pgettext

KAZAKH = "kk"
_SEVERAL_SEPARATORS = (",", "–", "—")


def is_kazakh() -> bool:
    return (get_language() or "").split("-")[0] == KAZAKH


def localized(obj, field: str) -> str:
    """`obj.<field>_kk` in the Kazakh interface when it is filled; `obj.<field>` otherwise."""
    russian = getattr(obj, field)
    if is_kazakh():
        return getattr(obj, f"{field}_kk", "") or russian
    return russian


def rule_citation(numbers) -> str:
    """«п. 22.1» / «22.1-т.» for one point of the Методика, «пп. 62–64» / «62–64-тт.» for several."""
    numbers = str(numbers).strip()
    if any(separator in numbers for separator in _SEVERAL_SEPARATORS):
        return pgettext("rule citation", "пп. %(numbers)s") % {"numbers": numbers}
    return pgettext("rule citation", "п. %(numbers)s") % {"numbers": numbers}
