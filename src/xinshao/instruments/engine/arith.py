"""Exact arithmetic for scores: results must not depend on float rounding.

A score is kept as an exact fraction (numerator, denominator) until it is reported; it is
then rounded half up to the score's number of decimals, and the band is looked up from the
rounded value, so the band always agrees with the score a person sees.
"""
from fractions import Fraction


def exact(number: int | float | str) -> Fraction:
    """The decimal a person wrote in a definition (49.9, 0.5), as an exact fraction."""
    return Fraction(str(number)) if isinstance(number, float) else Fraction(number)


def round_half_up(numerator: int, denominator: int, decimals: int) -> int:
    """numerator/denominator rounded half up, counted in steps of 10**-decimals."""
    scale = 10**decimals
    return (2 * numerator * scale + denominator) // (2 * denominator)


def steps(number: int | float, decimals: int) -> int | None:
    """A bound written in a definition, counted in steps of 10**-decimals; None if off that grid."""
    scaled = exact(number) * 10**decimals
    return int(scaled) if scaled.denominator == 1 else None


def reported(step_count: int, decimals: int) -> int | float:
    """How a rounded score is shown: an int when it has no decimals."""
    return step_count if decimals == 0 else step_count / 10**decimals
