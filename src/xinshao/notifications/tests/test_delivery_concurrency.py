"""Two processes running the periodic job at the same moment send each delivery once."""
import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from xinshao.notifications.services import deliveries_attempt_due, notify


@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite's shared in-memory test database refuses "
                    "concurrent writers instead of queueing them; run with DATABASE_URL pointing to PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_jobs_at_once_send_every_delivery_exactly_once(liu, sms_gateway):
    # Due a minute from now, so the send queued when notify commits leaves them to the jobs.
    now = timezone.now() + timedelta(minutes=1)
    notify([liu], subject="红色预警", body="", link="/alerts/1/", urgent=True, now=now)
    notify([liu], subject="红色预警", body="", link="/alerts/2/", urgent=True, now=now)
    sms_gateway.delay = 0.3  # both jobs are inside their run while the first sends are on the wire
    start, tried = threading.Barrier(2), []

    def job():
        start.wait()
        try:
            tried.append(deliveries_attempt_due(now=now))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=job) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    sent = [request["json"]["delivery"] for request in sms_gateway.requests]
    assert sum(tried) == 2 and len(sent) == 2 and len(set(sent)) == 2
