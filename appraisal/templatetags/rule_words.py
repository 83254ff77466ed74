"""`{{ rule_id|norm_words }}`: the ids the code and docs/methodology/rules.md use (R5.3, R2.12,
CH6, D1, WD), as a person reads them on a page: «п. 5.3», «подп. 12) п. 2», «глава 6»,
«п. 1 решения», «рабочие дни». The pages show words; the ids stay in the code and the tests."""

import re

from django import template
from django.utils.translation import gettext as _

register = template.Library()

_RULE = re.compile(r"^R(\d+)(?:\.(\d+))?$")
_CHAPTER = re.compile(r"^CH(\d+)$")
_DECISION = re.compile(r"^D(\d+)$")
# п. 2 of the Методика is a list of definitions: its parts are sub-paragraphs «12)».
_DEFINITIONS = "2"


@register.filter
def norm_words(rule_id) -> str:
    rule_id = str(rule_id or "").strip()
    if m := _CHAPTER.match(rule_id):
        return _("глава %(n)s") % {"n": m[1]}
    if m := _DECISION.match(rule_id):
        return _("п. %(n)s решения") % {"n": m[1]}
    if rule_id == "WD":
        return _("рабочие дни")
    if m := _RULE.match(rule_id):
        if m[2] and m[1] == _DEFINITIONS:
            return _("подп. %(sub)s) п. %(n)s") % {"sub": m[2], "n": m[1]}
        return _("п. %(n)s") % {"n": m[1] + (f".{m[2]}" if m[2] else "")}
    return rule_id
