"""Notification settings are checked at start-up, like every other setting."""
import os
import subprocess
import sys

from xinshao.notifications.checks import check_channels


def _boot(env: dict, tmp_path) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SMS_", "NOTIFY_", "EMAIL_"))}
    return subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='xinshao.settings'; "
                               "django.setup(); from django.conf import settings; "
                               "print(settings.NOTIFY_EXTERNAL_CHANNELS, settings.SMS_WEBHOOK_TIMEOUT)"],
        env={**clean, "XINSHAO_DATA_DIR": str(tmp_path), **env}, capture_output=True, text=True, timeout=60,
    )


def test_defaults_and_bad_values(tmp_path):
    assert _boot({}, tmp_path).stdout.split("\n")[0] == "['sms_webhook', 'email'] 5"
    assert _boot({"NOTIFY_EXTERNAL_CHANNELS": "none"}, tmp_path).stdout.startswith("[] 5")
    for env, message in [
        ({"SMS_WEBHOOK_URL": "sms.example.cn/send"}, "SMS_WEBHOOK_URL='sms.example.cn/send' must start with https://"),
        ({"SMS_WEBHOOK_TIMEOUT": "600"}, "SMS_WEBHOOK_TIMEOUT=600 is above the maximum 60"),
        ({"NOTIFY_MAX_ATTEMPTS": "0"}, "NOTIFY_MAX_ATTEMPTS=0 is below the minimum 1"),
        ({"NOTIFY_EXTERNAL_CHANNELS": "email,email"}, "names a channel twice"),
    ]:
        result = _boot(env, tmp_path)
        assert result.returncode != 0 and message in result.stderr, env


def test_an_unknown_channel_name_fails_the_system_check(settings):
    settings.NOTIFY_EXTERNAL_CHANNELS = ["sms_webhook", "pigeon"]
    [error] = check_channels(None)
    assert error.id == "notifications.E001" and "'pigeon'" in error.msg and "sms_webhook" in error.hint
    settings.NOTIFY_EXTERNAL_CHANNELS = ["email"]
    assert check_channels(None) == []
