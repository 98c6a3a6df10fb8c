"""Reads of webhooks: an endpoint's recent deliveries with their attempts (the delivery log)."""
from django.db.models import Prefetch, QuerySet

from xinshao.webhooks.models import Attempt, Delivery, Endpoint

LOG_LENGTH = 50


def delivery_log(endpoint: Endpoint) -> QuerySet[Delivery]:
    return endpoint.deliveries.prefetch_related(
        Prefetch("attempt_log", queryset=Attempt.objects.order_by("number", "id")))[:LOG_LENGTH]
