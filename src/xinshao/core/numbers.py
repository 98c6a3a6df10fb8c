"""Numbers as people read them."""


def plain_number(value: float | None):
    """21 rather than 21.0: totals are stored as floats, and most are whole."""
    return int(value) if value is not None and float(value).is_integer() else value
