"""Issue 12, point 7: GET /health/ for docker-compose's healthcheck and a load balancer: no
log-in, nothing sensitive, answered over plain HTTP and whatever the Host header, 200 when the
database and the broker answer, 503 otherwise."""

import json

import pytest
from django.test import Client

from appraisal import health


@pytest.mark.django_db
def test_health_answers_200_without_login_and_says_only_what_answers(client, settings):
    settings.REDIS_URL = ""  # the demo's shape: tasks in-process (CI's real Redis: the production-shape test)
    response = client.get("/health/")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "broker": "in-process"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_health_is_answered_before_the_https_redirect_and_the_host_check(settings):
    settings.SECURE_SSL_REDIRECT = True  # production without PLAIN_HTTP
    settings.ALLOWED_HOSTS = ["appraisal.example.kz"]
    probe = Client(HTTP_HOST="10.0.0.7:8000")  # a probe addresses the container by IP, over HTTP
    assert probe.get("/health/").status_code == 200
    assert probe.get("/login/").status_code == 400  # every other page keeps both protections
    assert Client(HTTP_HOST="appraisal.example.kz").get("/login/").status_code == 301


@pytest.mark.django_db
def test_health_is_503_when_the_database_or_the_broker_does_not_answer(client, settings, monkeypatch):
    monkeypatch.setattr(health, "_database", lambda: False)
    response = client.get("/health/")
    assert response.status_code == 503
    assert json.loads(response.content)["database"] == "down"
    monkeypatch.undo()
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    response = client.get("/health/")
    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "unavailable", "database": "ok", "broker": "down"}
