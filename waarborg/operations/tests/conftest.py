from waarborg.testing.fixtures import *  # noqa: F403
