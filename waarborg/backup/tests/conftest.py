import pytest

from waarborg.erasure.tests.world import files_in_a_fresh_directory  # noqa: F401
from waarborg.testing.fixtures import *  # noqa: F403


@pytest.fixture(autouse=True)
def _files_in_a_fresh_directory(files_in_a_fresh_directory):  # noqa: F811
    return files_in_a_fresh_directory
