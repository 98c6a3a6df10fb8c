"""心哨 Xinshao: a city education bureau's school mental-health service platform."""
from xinshao.celery import app as celery_app

__all__ = ["celery_app"]
