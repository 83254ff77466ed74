"""R5.2 while a 360 survey is collecting: an absence entered, changed or removed after the
opening re-judges the person's line (appraisal.services.absences), and the self-assessment
(R35.2) follows it — withdrawn when the evaluation is now without participation, asked
again when it is with participation. Registered with appraisal.hooks.on_participation_changed,
it runs inside the re-judging transaction.

Only while the campaign is collecting: before the opening, open_campaign judges every line
itself; after the closing, nothing is asked any more. A self-assessment already submitted
stays as it is (a submitted document is not taken back by a later fact).
"""

from appraisal.models import Participation
from survey360.models import Campaign, CampaignState, Subject


def follow_participation(entries) -> None:
    with_ids = [entry.pk for entry in entries if entry.participation == Participation.WITH]
    without_ids = [entry.pk for entry in entries if entry.participation != Participation.WITH]
    collecting = list(Campaign.objects.filter(state=CampaignState.COLLECTING, subjects__entry_id__in=with_ids + without_ids)
                      .values_list("pk", flat=True).distinct())
    if not collecting:
        return
    # Plain column conditions (no join), so that the UPDATE itself checks self_submitted on
    # the row: a self-assessment submitted at the same moment (its row locked) wins.
    open_subjects = Subject.objects.filter(campaign_id__in=collecting, self_submitted=False)
    if with_ids:
        open_subjects.filter(entry_id__in=with_ids, with_participation=False).update(with_participation=True)
    if without_ids:
        open_subjects.filter(entry_id__in=without_ids, with_participation=True).update(with_participation=False)
