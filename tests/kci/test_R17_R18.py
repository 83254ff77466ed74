"""R17 (the evaluator's duties) and R18 (the evaluated person's) as the KCI chapter carries
them: the evaluator sets and approves the KCIs, the chief specialist only agrees them, and
the head follows his own plan and its progress throughout the period."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from kci import services
from kci.models import PlanState
from tests.kci.conftest import plan_with_kcis, posted_plan, sent_sheet


def test_R17_the_evaluator_sets_and_approves_the_kci_the_chief_specialist_agrees(org, entry):
    with pytest.raises(PermissionDenied):
        services.create_plan(entry=entry, by=org.chief.user)  # the chief specialist does not set KCIs
    plan = plan_with_kcis(org, entry)  # the chairman, the head's evaluator, sets them
    with pytest.raises(PermissionDenied):
        services.plan_transition(plan=plan, name="agree", by=org.chairman.user)
    services.plan_transition(plan=plan, name="agree", by=org.chief.user)
    with pytest.raises(PermissionDenied):
        services.plan_transition(plan=plan, name="approve", by=org.chief.user)
    services.plan_transition(plan=plan, name="approve", by=org.chairman.user)
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED


def test_R18_the_head_follows_his_own_plan_and_its_progress(client, org, entry):
    plan = posted_plan(org, entry)
    sent_sheet(org, plan, ["100", "80", "50"])
    client.force_login(org.head.user)
    page = client.get(reverse("kci:plan_detail", args=[plan.pk]))
    assert page.status_code == 200 and "КЦИ 1" in page.content.decode()
    client.force_login(org.staff[0].user)  # a colleague does not (R20)
    assert client.get(reverse("kci:plan_detail", args=[plan.pk])).status_code == 404
