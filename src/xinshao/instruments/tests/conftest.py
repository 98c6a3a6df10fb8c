import pytest

from xinshao.instruments.engine import builtin_library


@pytest.fixture(scope="session")
def library():
    return builtin_library()


@pytest.fixture(scope="session")
def score(library):
    """score("phq9", [0, 1, ...], seconds=...) -> result dict."""
    def run(instrument_id: str, answers, **options):
        return library.get(instrument_id).score(answers, **options)
    return run
