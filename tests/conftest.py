import pytest


@pytest.fixture(autouse=True)
def _dutch_by_default(settings):
    """Each test starts in the site's default language, whatever ran before."""
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield
