"""The Celery application: every background and periodic job is a Celery task.

With CELERY_BROKER_URL set, `celery -A xinshao worker --beat` runs them. Without a broker
(the embedded default) tasks run in-process when queued, and `xinshao serve` runs the
periodic schedule (app.conf.beat_schedule) in a thread of the server process, or with
--workers > 1 in one `xinshao run-periodic-jobs` process beside the server processes.
"""
import os

from celery import Celery
from celery.schedules import crontab
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinshao.settings")

app = Celery("xinshao")
app.config_from_object("django.conf:settings", namespace="CELERY")
if not app.conf.broker_url:
    # In-process tasks still take a producer from a (never connected) pool: name an in-memory one
    # rather than let kombu fall back to an AMQP server on localhost, with a warning on every start.
    app.conf.broker_url = "memory://localhost/"
app.autodiscover_tasks()

# Periodic jobs, by name. Later parts add theirs here (e.g. follow-up reminders).
app.conf.beat_schedule = {
    "heartbeat": {"task": "xinshao.core.tasks.heartbeat", "schedule": 60.0},
    # Chains the audit entries committed since the last run; writers take no lock (audit/models.py).
    "audit-seal": {"task": "xinshao.audit.tasks.seal_entries", "schedule": 5.0},
    "audit-verify-nightly": {"task": "xinshao.audit.tasks.verify_chain", "schedule": crontab(hour=2, minute=30)},
    # Retries urgent notifications' SMS/e-mail whose pause is over (notifications/services.py).
    # Unacknowledged alerts past their deadline climb the chain (alerts/services.py).
    "alerts-escalate-overdue": {"task": "xinshao.alerts.tasks.escalate_overdue", "schedule": 60.0},
    # Pending screening results become signals: bands, rises between terms, and any critical
    # result whose alert the submission's own task did not raise (alerts/screening.py).
    "alerts-sweep-screening": {"task": "xinshao.alerts.tasks.sweep_screening_results", "schedule": 60.0},
    "notifications-deliver-due": {"task": "xinshao.notifications.tasks.deliver_due", "schedule": 30.0},
    # Alert and referral events to the endpoints other systems registered, with retries (webhooks/sending.py).
    "webhooks-deliver-due": {"task": "xinshao.webhooks.tasks.deliver_due", "schedule": 15.0},
    # Case owners hear once about each follow-up due today or overdue (cases/followups.py).
    "cases-remind-follow-ups": {"task": "xinshao.cases.tasks.remind_follow_ups", "schedule": 900.0},
    # Operators hear once about each of their call-backs that is overdue (hotline/services.py).
    "hotline-remind-overdue-callbacks": {"task": "xinshao.hotline.tasks.remind_overdue_callbacks", "schedule": 900.0},
    # Booker and counselor hear once, a day before each counseling booking (counseling/services.py).
    "counseling-send-reminders": {"task": "xinshao.counseling.tasks.send_reminders", "schedule": 600.0},
    # Each overdue rectification item is told to its school once (governance/services.py).
    "governance-notify-overdue": {"task": "xinshao.governance.tasks.notify_overdue_rectifications",
                                  "schedule": crontab(hour=8, minute=0)},
    # Agreements past their end date are marked ended (partners/services.py).
    "partners-end-expired-agreements": {"task": "xinshao.partners.tasks.end_expired_agreements",
                                        "schedule": crontab(hour=0, minute=10)},
    # The dashboards' screening figures of the terms under way are counted again (dashboards/services.py).
    "dashboards-count-tallies": {"task": "xinshao.dashboards.tasks.count_live_tallies",
                                 "schedule": settings.DASHBOARD_TALLY_MINUTES * 60.0},
    # Finished exports' files are kept a day (exports/services.py).
    "exports-expire": {"task": "xinshao.exports.tasks.expire_exports", "schedule": 3600.0},
    # The bureau hears each morning about yesterday's unusual access and break-glass (accounts/services.py).
    "accounts-report-unusual-access": {"task": "xinshao.accounts.tasks.report_unusual_access",
                                       "schedule": crontab(hour=7, minute=0)},
    # What is past its time under the bureau's retention policy is deleted or anonymised (retention/services.py).
    "retention-run-nightly": {"task": "xinshao.retention.tasks.run_retention", "schedule": crontab(hour=3, minute=15)},
    # Bureau admins hear once about each incident past its reporting deadline (compliance/services.py).
    "compliance-notify-overdue-incidents": {"task": "xinshao.compliance.tasks.notify_overdue_incidents",
                                            "schedule": 600.0},
}
if settings.CELERY_BROKER_URL:
    # Critical answers' red alerts leave by this relay, not by a message per submission; without a
    # broker the submission raises them in its own request (campaigns/submissions.py).
    app.conf.beat_schedule["alerts-relay-critical"] = {"task": "xinshao.alerts.tasks.relay_critical_results",
                                                       "schedule": settings.ALERTS_CRITICAL_RELAY_SECONDS}
