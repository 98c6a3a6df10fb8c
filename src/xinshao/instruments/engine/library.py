"""The instrument library: built-in definitions from ../definitions plus any added (custom) ones."""
import json
from functools import lru_cache
from pathlib import Path

from .errors import DefinitionError, UnknownInstrument
from .model import Definition, compile_definition

BUILTIN_DIRECTORY = Path(__file__).resolve().parent.parent / "definitions"


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def parse_definition(text: str | bytes, *, origin: str) -> Definition:
    """Parse JSON text and compile it; any problem comes back as one DefinitionError."""
    try:
        data = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DefinitionError([f"not valid JSON: {error}"], origin=origin) from None
    return compile_definition(data, origin=origin)


def load_definition_file(path: Path) -> Definition:
    definition = parse_definition(path.read_bytes(), origin=path.name)
    expected = f"{definition.id}-{definition.version}.json"
    if path.name != expected:
        raise DefinitionError([f"file name must be {expected}, the definition's id and version"], origin=path.name)
    return definition


class Library:
    """Definitions by (id, version). `get` without a version gives the highest version."""

    def __init__(self, definitions=()):
        self._definitions: dict[tuple[str, str], Definition] = {}
        for definition in definitions:
            self.add(definition)

    def add(self, definition: Definition) -> None:
        if definition.key in self._definitions:
            raise DefinitionError([f"duplicate definition: {definition.id} version {definition.version} is already "
                                   "in the library; give the changed definition a new version"],
                                  origin=f"{definition.id}-{definition.version}")
        self._definitions[definition.key] = definition

    def __iter__(self):
        return iter(sorted(self._definitions.values(), key=lambda d: (d.id, version_key(d.version))))

    def __len__(self) -> int:
        return len(self._definitions)

    def __contains__(self, instrument_id: str) -> bool:
        return any(key[0] == instrument_id for key in self._definitions)

    def get(self, instrument_id: str, version: str | None = None) -> Definition:
        if version is not None:
            try:
                return self._definitions[(instrument_id, version)]
            except KeyError:
                raise UnknownInstrument(f"no instrument {instrument_id} version {version} in the library") from None
        versions = [d for key, d in self._definitions.items() if key[0] == instrument_id]
        if not versions:
            known = ", ".join(sorted({key[0] for key in self._definitions}))
            raise UnknownInstrument(f"no instrument '{instrument_id}' in the library (known: {known})")
        return max(versions, key=lambda d: version_key(d.version))


@lru_cache(maxsize=1)
def builtin_definitions() -> tuple[Definition, ...]:
    """Every definition file shipped with the platform, compiled; a broken file stops start-up loudly."""
    return tuple(load_definition_file(path) for path in sorted(BUILTIN_DIRECTORY.glob("*.json")))


def builtin_library() -> Library:
    return Library(builtin_definitions())
