"""API objects for the page matrix: per side a token of the school's psych teacher (only its owner may revoke it)."""
import datetime

from django.utils import timezone

from xinshao.access.tests.matrix_objects import Thing
from xinshao.api.services import token_create


def matrix_side(city, side, objects):
    owner = city.liu_a if side == "A" else city.wang_b
    token = token_create(owner=owner, name=f"矩阵令牌{side}", scope="read",
                         expires_on=timezone.localdate() + datetime.timedelta(days=30)).token
    return {"token_id": Thing(token.pk, frozenset({owner.username}))}
