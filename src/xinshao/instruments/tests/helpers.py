"""Building answer lists for tests."""


def answers_for_total(total: int, count: int, top: int, *, low: int = 0) -> list[int]:
    """`count` answers between low and top that add up to total, filled from the first item."""
    answers = []
    remaining = total - low * count
    assert 0 <= remaining <= (top - low) * count, f"{total} is out of reach"
    for _ in range(count):
        step = min(top - low, remaining)
        answers.append(low + step)
        remaining -= step
    return answers


def flag_ids(result: dict) -> list[str]:
    return [flag["id"] for flag in result["flags"]]


def critical_items(result: dict) -> set[str]:
    return {flag["item"] for flag in result["flags"] if flag["critical"]}
