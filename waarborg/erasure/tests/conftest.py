import pytest


@pytest.fixture(autouse=True)
def _files_in_a_fresh_directory(files_in_a_fresh_directory):
    return files_in_a_fresh_directory
