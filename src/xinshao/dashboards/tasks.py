from celery import shared_task

from xinshao.dashboards.services import live_tallies_refresh


@shared_task(name="xinshao.dashboards.tasks.count_live_tallies")
def count_live_tallies() -> int:
    """Every DASHBOARD_TALLY_MINUTES: count the screening figures of the terms under way again."""
    return live_tallies_refresh()
