"""The HTTP SMS gateway backend posts JSON and reports a gateway that fails."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from petitions import sms


class Gateway(BaseHTTPRequestHandler):
    received: list = []
    answer = 200

    def do_POST(self):  # noqa: N802 - http.server's name
        length = int(self.headers["Content-Length"])
        Gateway.received.append(
            {
                "body": json.loads(self.rfile.read(length)),
                "auth": self.headers.get("Authorization"),
                "key": self.headers.get("Idempotency-Key"),
            }
        )
        self.send_response(Gateway.answer)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(settings):
    server = HTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Gateway.received, Gateway.answer = [], 200
    settings.SMS_BACKEND = "http"
    settings.SMS_URL = f"http://127.0.0.1:{server.server_port}/send"
    settings.SMS_TOKEN = "secret-token"
    yield Gateway
    server.shutdown()


def test_http_backend_posts_the_message_with_the_token(gateway):
    """One JSON POST per message, with the bearer token and the message's own
    reference as its idempotency key."""
    sms.send_sms("13812345678", "您的诉求已收到", reference="notice-7")
    assert gateway.received == [
        {
            "body": {"to": "13812345678", "text": "您的诉求已收到", "id": "notice-7"},
            "auth": "Bearer secret-token",
            "key": "notice-7",
        }
    ]


def test_a_notice_sent_again_after_a_crash_carries_the_same_key(
    gateway, demo_site, django_capture_on_commit_callbacks
):
    """A worker killed after the gateway took a notice and before anything noted it
    (or with the cache's note of deliveries lost as well) leaves it pending; the
    second sending carries the same key, so a gateway that keeps its keys delivers
    it once."""
    from petitions import actions, notifications
    from petitions.models import Notification

    with django_capture_on_commit_callbacks(execute=False):
        actions.submit(
            {
                "category": "other",
                "name": "周八",
                "phone": "13512345678",
                "subject": "工资",
                "description": "公司拖欠工资三个月，请问如何申请法律援助？",
                "consent": "on",
            }
        )
    notice = Notification.objects.get()
    notifications.deliver(notice)  # the gateway took it; then the worker died
    assert Notification.objects.get().state == Notification.State.PENDING
    assert notifications.send_notification.call(notice.pk) == "sent"
    keys = [request["key"] for request in gateway.received]
    assert keys == [f"notice-{notice.pk}"] * 2


def test_http_backend_raises_when_the_gateway_fails(gateway):
    """A 5xx from the gateway is an SMSError, which the task retries."""
    gateway.answer = 503
    with pytest.raises(sms.SMSError):
        sms.send_sms("13812345678", "text")


def test_console_backend_prints_the_message(settings, capsys):
    """The default backend writes the number and the text to standard output."""
    settings.SMS_BACKEND = "console"
    sms.send_sms("13812345678", "您的诉求已收到，编号 20261123-00001-6")
    printed = capsys.readouterr().out
    assert "SMS to 13812345678" in printed and "20261123-00001-6" in printed
