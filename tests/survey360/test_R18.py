"""R18: the evaluated person does the 360 self-assessment on time — their home page reminds
them until it is done."""

from django.test import Client

from survey360 import services
from tests.survey360.conftest import subject_of, values_for


def test_R18_home_page_reminds_of_the_self_assessment_until_it_is_done(open_survey):
    org = open_survey
    client = Client()
    client.force_login(org.staff[0].user)
    assert "Не заполнена самооценка" in client.get("/").content.decode()
    subject = subject_of(org.campaign, org.staff[0])
    services.submit_self_assessment(subject=subject, by=org.staff[0].user, values=values_for(subject, 4))
    assert "Не заполнена самооценка" not in client.get("/").content.decode()
