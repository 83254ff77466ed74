"""SMS backends behind one function, chosen by settings.SMS_BACKEND.

- "console": prints the message (development, the demo);
- "file": appends one JSON line per message to SMS_FILE_PATH (tests, offline offices);
- "http": the gateway adapter. It POSTs JSON {"to", "text", "sender"} to SMS_GATEWAY_URL
  with "Authorization: Bearer SMS_GATEWAY_TOKEN" and treats any 2xx as accepted. Operators'
  gateways differ; wrap yours to accept this shape (README, "SMS gateway").
"""

import json
import sys
import urllib.request
from pathlib import Path

from django.conf import settings
from django.utils import timezone


class SmsError(Exception):
    pass


def send_sms(to: str, text: str) -> None:
    backend = settings.SMS_BACKEND
    if backend == "console":
        sys.stdout.write(f"SMS → {to}: {text}\n")
    elif backend == "file":
        path = Path(settings.SMS_FILE_PATH)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps({"to": to, "text": text, "at": timezone.now().isoformat()}, ensure_ascii=False) + "\n")
    elif backend == "http":
        _send_http(to, text)
    else:
        raise SmsError(f"Unknown SMS_BACKEND {backend!r}")


def _send_http(to: str, text: str) -> None:
    if not settings.SMS_GATEWAY_URL.startswith(("https://", "http://")):
        raise SmsError("SMS_GATEWAY_URL must be an http(s) address")
    payload = json.dumps({"to": to, "text": text, "sender": settings.SMS_SENDER}).encode()
    request = urllib.request.Request(  # noqa: S310 — scheme checked above
        settings.SMS_GATEWAY_URL, data=payload, method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310 (configured URL)
            if not 200 <= response.status < 300:
                raise SmsError(f"gateway answered {response.status}")
    except OSError as exc:
        raise SmsError(str(exc)) from exc
