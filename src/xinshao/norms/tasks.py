from celery import shared_task

from xinshao.norms.models import NormTable
from xinshao.norms.services import PLACE_STORED_RESULTS_TASK, stored_results_place


@shared_task(name=PLACE_STORED_RESULTS_TASK)
def place_stored_results(norm_table_id: int) -> int:
    """After a table is adopted: place the results already stored in it (safe to run twice)."""
    table = NormTable.objects.filter(pk=norm_table_id).first()
    return stored_results_place(table) if table is not None else 0
