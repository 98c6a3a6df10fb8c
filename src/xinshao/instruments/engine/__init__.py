"""The scoring engine: plain Python, no Django, usable from any process.

Typical use:
    from xinshao.instruments.engine import builtin_library
    phqa = builtin_library().get("phqa")
    result = phqa.score([0, 1, 2, 0, 0, 1, 0, 0, 1])
    result["total"], result["band"], result["flags"]

Everything here imports only the standard library and this package (relative imports), so it
also runs with this directory alone on sys.path.
"""
from .answers import parse_answer_text, score_csv
from .errors import DefinitionError, NormTableError, UnknownInstrument
from .library import Library, builtin_definitions, builtin_library, load_definition_file, parse_definition
from .model import Definition, compile_definition
from .norms import NormTable
from .schema import validate_definition

__all__ = [
    "Definition", "DefinitionError", "Library", "NormTable", "NormTableError", "UnknownInstrument",
    "builtin_definitions", "builtin_library", "compile_definition", "load_definition_file", "parse_answer_text",
    "parse_definition", "score_csv", "validate_definition",
]
