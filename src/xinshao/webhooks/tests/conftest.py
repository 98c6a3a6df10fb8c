import pytest

from xinshao.webhooks.tests.receiver import Receiver


@pytest.fixture
def receiver():
    """receiver(*statuses) -> a started Receiver answering those statuses in turn (the last repeats)."""
    started = []

    def start(*statuses):
        started.append(Receiver(list(statuses)).start())
        return started[-1]
    yield start
    for one in started:
        one.stop()
