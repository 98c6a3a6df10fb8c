"""Webhook objects for the page matrix: per side an endpoint of the school's admin (bureau admins see their region's)."""
from xinshao.access.tests.matrix_objects import Thing
from xinshao.webhooks.models import Event
from xinshao.webhooks.services import endpoint_create


def matrix_side(city, side, objects):
    a = side == "A"
    endpoint = endpoint_create(owner=city.song_a if a else city.song_b, name=f"矩阵推送{side}",
                               url="http://127.0.0.1:9/hook", events=[Event.ALERT_RAISED],
                               covers=city.school_a if a else city.school_b).endpoint
    return {"endpoint_id": Thing(endpoint.pk)}
