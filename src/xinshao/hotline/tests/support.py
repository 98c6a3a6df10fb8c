import datetime

from django.utils import timezone

from xinshao.hotline import services


def log(city, *, operator=None, **overrides):
    """A call as the operator Re logs it, with defaults for what a test does not care about."""
    fields = {"started_at": timezone.now() - datetime.timedelta(minutes=20), "duration_minutes": 15,
              "channel": "phone", "call_type": "help", "caller_type": "student", "risk": "none"}
    fields.update(overrides)
    return services.call_log(operator=operator or city.re, **fields)


def form_data(**overrides) -> dict:
    data = {"call_type": "help", "channel": "phone", "caller_type": "student", "duration_minutes": "12",
            "urgency": "routine", "risk": "low", "started_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "notes": "说最近考试压力大，睡不好"}
    data.update(overrides)
    return data
