"""GET /health/: is this web process able to serve? For docker-compose's healthcheck and a
load balancer.

Answered by a middleware placed first, before the HTTPS redirect and the host check: a probe
comes over plain HTTP from inside the network, addressed by IP, and must get the same answer
as a browser. It needs no log-in and says nothing but whether the database and the broker
answer: 200 {"status": "ok", ...} or 503 with the part that failed.
"""

import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse

logger = logging.getLogger(__name__)
HEALTH_PATH = "/health/"
PROBE_TIMEOUT_SECONDS = 2


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any failure means «not healthy»: logged, not shown
        logger.warning("health: the database does not answer", exc_info=True)
        return False


def _broker() -> str:
    """"ok", "in-process" (no broker configured: tasks run eagerly) or "down"."""
    if not settings.REDIS_URL:
        return "in-process"
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=PROBE_TIMEOUT_SECONDS,
                                      socket_connect_timeout=PROBE_TIMEOUT_SECONDS)
        try:
            return "ok" if client.ping() else "down"
        finally:
            client.close()
    except Exception:  # as above
        logger.warning("health: the broker does not answer", exc_info=True)
        return "down"


def health_response() -> JsonResponse:
    database = "ok" if _database() else "down"
    broker = _broker()
    healthy = database == "ok" and broker != "down"
    response = JsonResponse({"status": "ok" if healthy else "unavailable", "database": database, "broker": broker},
                            status=200 if healthy else 503)
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == HEALTH_PATH and request.method in ("GET", "HEAD"):
            return health_response()
        return self.get_response(request)
