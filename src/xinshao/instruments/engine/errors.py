"""Errors the engine raises. Answer problems are never raised: they come back in a result's `errors`."""


class DefinitionError(ValueError):
    """A definition breaks the schema. `problems` lists every reason found, each saying where."""

    def __init__(self, problems: list[str], *, origin: str = "definition"):
        self.problems = list(problems)
        self.origin = origin
        listing = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(f"{origin} is not a valid instrument definition:\n{listing}")


class NormTableError(ValueError):
    """A norm table breaks its format; `problems` lists every reason found."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("norm table is not valid: " + "; ".join(self.problems))


class UnknownInstrument(LookupError):
    """No definition with this id (and version) is in the library."""
