"""Retention for the access matrix: a data kind's policy page (the same on both sides: it belongs to no school)."""
from xinshao.access.tests.matrix_objects import Thing


def matrix_side(city, side, objects):
    return {"data_kind": Thing("answers")}
