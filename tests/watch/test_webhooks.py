"""Standard Webhooks signing, and delivery with retries to a receiver that verifies on its own."""

import time

import pytest

from apps.watch import webhooks
from apps.watch.webhooks import WebhookVerificationError, deliver, event_payload, sign, signed_headers, verify
from tests.watch.conftest import NOW, WEBHOOK_SECRET

SIGNAL = {
    "source": "hf:Qwen",
    "kind": "license_change",
    "subject": "Qwen/Qwen3-8B",
    "vendor": "alibaba",
    "severity": "critical",
    "observed_at": "2026-11-29T10:00:00Z",
    "detail": {"from": "apache-2.0", "to": "other"},
}


def test_it_matches_the_standard_webhooks_reference_signature():
    # The example from the Standard Webhooks specification's reference libraries.
    signature = sign(
        WEBHOOK_SECRET,
        msg_id="msg_p5jXN8AQM9LWM0D4loKWxJek",
        timestamp=1614265330,
        body=b'{"test": 2432232314}',
    )

    assert signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_a_signature_verifies_and_tampering_or_staleness_does_not():
    body = b'{"type":"signal"}'
    headers = signed_headers(WEBHOOK_SECRET, msg_id="msg_1", body=body)

    verify(WEBHOOK_SECRET, headers, body)
    with pytest.raises(WebhookVerificationError, match="no signature matches"):
        verify(WEBHOOK_SECRET, headers, body + b" ")
    with pytest.raises(WebhookVerificationError, match="too old"):
        verify(WEBHOOK_SECRET, headers, body, now=time.time() + 3600)
    with pytest.raises(WebhookVerificationError, match="no signature matches"):
        verify(webhooks.generate_secret(), headers, body)


def test_any_of_several_signatures_may_match_during_a_secret_rotation():
    body = b"{}"
    headers = signed_headers(WEBHOOK_SECRET, msg_id="msg_2", body=body)
    old = sign(
        webhooks.generate_secret(), msg_id="msg_2", timestamp=int(headers["webhook-timestamp"]), body=body
    )
    headers["webhook-signature"] = f"{old} {headers['webhook-signature']}"

    verify(WEBHOOK_SECRET, headers, body)


def test_the_receiver_verifies_the_signature_and_gets_each_alert_once(webhook_receiver):
    payload = event_payload("riskboard.signal", SIGNAL, now=NOW)

    result = deliver(webhook_receiver.url, payload, secret=WEBHOOK_SECRET, msg_id="notification-1")

    assert (result.delivered, result.attempts, result.status_code) == (True, 1, 204)
    assert webhook_receiver.rejections == []
    [delivery] = webhook_receiver.deliveries
    assert delivery.msg_id == "notification-1"
    assert delivery.payload == {
        "type": "riskboard.signal",
        "timestamp": "2026-11-29T10:00:00Z",
        "data": SIGNAL,
    }


def test_failed_deliveries_are_retried_with_backoff_under_the_same_message_id(webhook_receiver):
    webhook_receiver.fail_next(503, times=2)
    waits = []

    result = deliver(webhook_receiver.url, {"data": SIGNAL}, secret=WEBHOOK_SECRET, sleep=waits.append)

    assert (result.delivered, result.attempts) == (True, 3)
    assert waits == [1.0, 2.0]
    assert len(webhook_receiver.unique_messages()) == 1


def test_a_receiver_that_refuses_is_not_retried_and_a_wrong_secret_is_refused(webhook_receiver):
    waits = []

    result = deliver(
        webhook_receiver.url, {"data": SIGNAL}, secret=webhooks.generate_secret(), sleep=waits.append
    )

    assert (result.delivered, result.attempts, result.status_code) == (False, 1, 401)
    assert webhook_receiver.rejections == ["bad signature"]
    assert waits == []


def test_an_unreachable_receiver_gives_up_after_the_last_attempt():
    waits = []

    result = deliver(
        "http://127.0.0.1:9/hooks", {}, secret=WEBHOOK_SECRET, max_attempts=3, sleep=waits.append
    )

    assert (result.delivered, result.attempts, result.status_code) == (False, 3, None)
    assert result.error == "could not connect"
    assert waits == [1.0, 2.0]
