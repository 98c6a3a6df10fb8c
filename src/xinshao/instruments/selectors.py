"""Reads for the instrument library: built-in definitions plus uploaded custom ones."""
from xinshao.instruments.engine import Definition, Library, UnknownInstrument, builtin_library, compile_definition
from xinshao.instruments.models import CustomInstrument


def instrument_library() -> Library:
    """Every definition a campaign or command may use, built-in and custom."""
    library = builtin_library()
    for custom in CustomInstrument.objects.order_by("instrument_id", "version"):
        library.add(compile_definition(custom.definition, origin=f"custom instrument {custom}"))
    return library


def instrument_definition_get(*, instrument_id: str, version: str | None = None) -> Definition:
    """One definition; the highest version when none is given. Raises UnknownInstrument."""
    return instrument_library().get(instrument_id, version)


def custom_instrument_keys() -> set[tuple[str, str]]:
    """(id, version) of every uploaded definition, to tell them apart from built-in ones."""
    return set(CustomInstrument.objects.values_list("instrument_id", "version"))


def result_definition(*, instrument_id: str, version: str | None) -> Definition | None:
    """The definition a stored result was scored with, to word it; None when the library no longer
    has that version. A record naming no version (older ones) gets the highest. Built-in
    definitions are looked up without a query."""
    library = builtin_library()
    if instrument_id not in library:
        library = instrument_library()
    try:
        return library.get(instrument_id, version)
    except UnknownInstrument:
        return None


def band_labels(definition: Definition, band_id: str) -> dict | None:
    """The label, in each language, of the band `band_id` of whichever score or transformed score
    defines it; None when the definition has no such band."""
    for entry in (*definition.scores, *definition.transformed):
        if entry.bands and band_id in {band.id for band in (*entry.bands.ranges, *entry.bands.override_bands)}:
            return entry.bands.by_id(band_id).label
    return None
