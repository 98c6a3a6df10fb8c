import pytest

from xinshao.partners.tests.support import PDF


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded agreements go to a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


__all__ = ["PDF"]
