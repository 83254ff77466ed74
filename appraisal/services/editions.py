"""The methodology editions of the bodies of an installation.

D3: a body's chief specialist enters the date of first official publication of her body's
edition. A new body starts from copies of the installation's template editions
(`start_organisation`), each with all its dependent data (`copy_edition`).
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from appraisal import hooks, roles
from appraisal.models import MethodologyEdition, Organisation, Role
from appraisal.validation import clean_date


def can_edit_editions(user, organisation_id: int | None = None) -> bool:
    """The chief specialist edits her body's editions (of `organisation_id` when given)."""
    held = roles.organisations_with_role(user, Role.CHIEF_SPECIALIST)
    return organisation_id in held if organisation_id is not None else bool(held)


@transaction.atomic
def set_publication_date(*, edition: MethodologyEdition, published_on: dt.date | None, by) -> MethodologyEdition:
    """D3: the edition takes effect `days_to_effect` calendar days after its first official
    publication. The date cannot precede the decision it publishes."""
    if edition.organisation_id is None:
        raise PermissionDenied(_("п. 3 решения: шаблон редакции установки меняет администратор установки в разделе "
                                 "администрирования, а не главный специалист."))
    if not can_edit_editions(by, edition.organisation_id):
        raise PermissionDenied(_("п. 3 решения: дату опубликования вносит главный специалист."))
    if published_on is not None:
        # The date of effect is computed from it on every page: a year like 9999 would overflow.
        published_on = clean_date(published_on, rule="D3", label=_("дата первого официального опубликования"))
    if published_on is not None and published_on < edition.decision_date:
        raise ValidationError(
            _("п. 3 решения: дата первого официального опубликования (%(p)s) не может быть раньше даты решения (%(d)s).")
            % {"p": published_on.strftime("%d.%m.%Y"), "d": edition.decision_date.strftime("%d.%m.%Y")}
        )
    edition = MethodologyEdition.objects.select_for_update().get(pk=edition.pk)
    edition.published_on = published_on
    edition._history_user = by
    edition.save(update_fields=["published_on"])
    return edition


# --- many bodies: copies of the template editions ---------------------------------------------

def template_editions() -> list[MethodologyEdition]:
    """The editions a new body starts from: the installation's templates (no organisation).
    An installation upgraded from one body has none (its editions went to that body): then
    the editions of the body set up first stand in."""
    templates = list(MethodologyEdition.objects.templates().order_by("pk"))
    if templates:
        return templates
    first = MethodologyEdition.objects.filter(organisation__isnull=False).order_by("organisation_id").first()
    if first is None:
        return []
    return list(MethodologyEdition.objects.filter(organisation_id=first.organisation_id).order_by("pk"))


def clone_rows(rows, **changes) -> list:
    """Copies of model rows with `changes` applied (e.g. edition=copy), every other column
    as it is, so that a field added later is copied too; their history starts with the copy.
    For the chapters' copiers (appraisal.hooks.on_edition_copied)."""
    rows = list(rows)
    if not rows:
        return []
    model = type(rows[0])
    copies = []
    for row in rows:
        values = {f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields if not f.primary_key}
        values.update(changes)
        copies.append(model(**values))
    if hasattr(model, "history"):
        return bulk_create_with_history(copies, model)
    return model.objects.bulk_create(copies)


@transaction.atomic
def copy_edition(template: MethodologyEdition, organisation: Organisation, *, by=None) -> MethodologyEdition:
    """A copy of `template` belonging to `organisation`, with all its dependent data: its
    rule validities here, and each chapter's rows (ranking parameters, the KCI score table,
    the 360 questionnaires) through appraisal.hooks.on_edition_copied."""
    if not isinstance(organisation, Organisation) or organisation.pk is None:
        raise ValidationError(_("Редакция методики копируется в сохранённый государственный орган."))
    if MethodologyEdition.objects.filter(organisation=organisation, code=template.code).exists():
        raise ValidationError(
            _("У государственного органа «%(org)s» уже есть редакция методики «%(code)s».")
            % {"org": organisation, "code": template.code})
    validities = list(template.rule_validities.all())
    copy = MethodologyEdition.objects.get(pk=template.pk)
    copy.pk = copy.id = None
    copy.organisation = organisation
    copy._history_user = by
    copy.save()
    clone_rows(validities, edition_id=copy.pk)
    hooks.run_edition_copied(template, copy)
    return copy


@transaction.atomic
def start_organisation(organisation: Organisation, *, by=None) -> list[MethodologyEdition]:
    """A new body starts from copies of the template editions (nothing is copied twice: an
    edition whose code the body already has is left alone)."""
    have = set(MethodologyEdition.objects.filter(organisation=organisation).values_list("code", flat=True))
    return [copy_edition(template, organisation, by=by) for template in template_editions()
            if template.code not in have and template.organisation_id != organisation.pk]
