"""Pluggable SMS backends, chosen by SMS_BACKEND (as Django chooses a mail backend).

``console`` prints, ``locmem`` keeps messages in ``outbox`` for tests, ``http``
posts JSON ``{"to": ..., "text": ..., "id": ...}`` to the gateway at SMS_URL (with
``Authorization: Bearer $SMS_TOKEN`` when set). Any other value is a dotted path
to a class with ``send(phone, text, reference="")``.

``reference`` names the message, the same on every attempt (``notice-<id>``). It is
the ``id`` of the JSON body and the ``Idempotency-Key`` header: a worker killed
after the gateway took a message but before that was recorded sends it again, and
a gateway that keeps the keys it has seen drops the repeat.
"""

import json
import logging
import sys
import urllib.request

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from . import conf

logger = logging.getLogger(__name__)
outbox: list[dict] = []


class SMSError(Exception):
    """The gateway did not take the message; the task queue tries again."""


class ConsoleBackend:
    def send(self, phone: str, text: str, reference: str = "") -> None:
        sys.stdout.write(f"SMS to {phone}: ({reference})\n{text}\n")


class LocmemBackend:
    def send(self, phone: str, text: str, reference: str = "") -> None:
        outbox.append({"to": phone, "text": text, "id": reference})


class HTTPBackend:
    """A gateway that accepts one JSON POST per message and answers 2xx."""

    timeout = 10

    def __init__(self):
        self.url = conf.sms_url()
        if not self.url.startswith(("http://", "https://")):
            raise ImproperlyConfigured("SMS_URL must be an http(s) URL")

    def send(self, phone: str, text: str, reference: str = "") -> None:
        message = {"to": phone, "text": text, "id": reference}
        body = json.dumps(message, ensure_ascii=False).encode()
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json; charset=utf-8"},
        )
        if reference:
            request.add_header("Idempotency-Key", reference)
        if conf.sms_token():
            request.add_header("Authorization", f"Bearer {conf.sms_token()}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                if not 200 <= response.status < 300:
                    raise SMSError(f"gateway answered {response.status}")
        except OSError as error:
            raise SMSError(f"gateway unreachable: {error}") from error


BACKENDS = {"console": ConsoleBackend, "locmem": LocmemBackend, "http": HTTPBackend}


def get_backend():
    name = conf.sms_backend()
    backend_class = BACKENDS.get(name) or import_string(name)
    return backend_class()


def send_sms(phone: str, text: str, reference: str = "") -> None:
    get_backend().send(phone, text, reference=reference)
