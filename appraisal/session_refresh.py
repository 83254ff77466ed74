"""The 30-minute idle end of a session, kept without writing the session on every request.

Django's `SESSION_SAVE_EVERY_REQUEST` renews a session by writing its row on every request: an
UPDATE (and a commit) on every page anyone opens: half of the statements of the cheapest
page, and half its time. This middleware renews a logged-in session only when it was last renewed
`SESSION_REFRESH_SECONDS` ago or more (60, or a tenth of a shorter idle time): the session then ends between
`SESSION_COOKIE_AGE - SESSION_REFRESH_SECONDS` and `SESSION_COOKIE_AGE` after the last request
(29 to 30 idle minutes), and is written at most once a minute while it is used.

It sits right after SessionMiddleware, so that on the way out it runs before SessionMiddleware
saves: setting the time marks the session modified, and SessionMiddleware then writes it with a
new expiry. A session with nothing in it (an anonymous visitor, a log-out) is left alone.
"""

import time

from django.conf import settings

RENEWED_AT = "_renewed_at"


class SessionRefreshMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None:
            return response
        # Loaded before asking whether it is empty: a cookie naming an unknown or ended session
        # has a key until the session is loaded, and renewing it would create a new row.
        renewed_at = session.get(RENEWED_AT, 0)
        if session.is_empty():
            return response
        now = int(time.time())
        if session.modified or now - renewed_at >= settings.SESSION_REFRESH_SECONDS:
            session[RENEWED_AT] = now
        return response
