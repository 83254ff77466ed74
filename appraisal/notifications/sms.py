"""SMS backends behind one function, chosen by settings.SMS_BACKEND.

- "console": prints the message (development, the demo);
- "file": appends one JSON line per message to SMS_FILE_PATH (tests, offline offices);
- "http": the gateway adapter. It POSTs JSON {"to", "text", "sender", "idempotency_key"} to
  SMS_GATEWAY_URL with "Authorization: Bearer SMS_GATEWAY_TOKEN" and an "Idempotency-Key"
  header, and treats any 2xx as accepted. Operators' gateways differ; wrap yours to accept
  this shape (README, "SMS gateway") and to accept a repeated idempotency key without
  sending the SMS again.

`key` is the outbox row's unique key: a message sent again after a worker crash carries the
same one, and every backend records it, so a repeat is recognisable.
"""

import json
import sys
import urllib.request
from pathlib import Path

from django.conf import settings
from django.utils import timezone


class SmsError(Exception):
    pass


def send_sms(to: str, text: str, key: str = "") -> None:
    backend = settings.SMS_BACKEND
    if backend == "console":
        sys.stdout.write(f"SMS → {to} [{key}]: {text}\n")
    elif backend == "file":
        path = Path(settings.SMS_FILE_PATH)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps({"to": to, "text": text, "key": key, "at": timezone.now().isoformat()},
                                ensure_ascii=False) + "\n")
    elif backend == "http":
        _send_http(to, text, key)
    else:
        raise SmsError(f"Unknown SMS_BACKEND {backend!r}")


def _send_http(to: str, text: str, key: str) -> None:
    if not settings.SMS_GATEWAY_URL.startswith(("https://", "http://")):
        raise SmsError("SMS_GATEWAY_URL must be an http(s) address")
    payload = json.dumps({"to": to, "text": text, "sender": settings.SMS_SENDER, "idempotency_key": key}).encode()
    request = urllib.request.Request(  # noqa: S310 — scheme checked above
        settings.SMS_GATEWAY_URL, data=payload, method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}",
                 "Idempotency-Key": key},
    )
    try:
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310 (configured URL)
            if not 200 <= response.status < 300:
                raise SmsError(f"gateway answered {response.status}")
    except OSError as exc:
        raise SmsError(str(exc)) from exc
