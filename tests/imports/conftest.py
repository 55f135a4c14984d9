import pytest


@pytest.fixture(autouse=True)
def own_data_dir(settings, tmp_path):
    """Each test's uploads and stored sheets in a directory of its own, so a test can say
    "no file is left" about its own files only."""
    settings.DATA_DIR = tmp_path
