import pytest


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Pages render without collectstatic (the manifest storage needs a manifest).

    The lead may move this to tests/conftest.py for every page test.
    """
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
