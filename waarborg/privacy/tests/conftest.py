import datetime as dt

import pytest

from waarborg.core import clock

PRIVACY_MODELS = (
    "privacy.PrivacyRequest",
    "privacy.VerificationLink",
    "privacy.IdDocument",
    "privacy.RectificationProposal",
    "privacy.RecipientNotice",
    "privacy.DeadlineWarning",
    "privacy.ProcessingStop",
    "privacy.Restriction",
    "privacy.DownloadLink",
    "privacy.PackagePush",
)


@pytest.fixture(autouse=True)
def mail(smtp_server):
    """Every mail of these tests goes through a real local SMTP server."""
    return smtp_server


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    settings.FILES_DIR = tmp_path / "files"
    return settings.FILES_DIR


@pytest.fixture
def on():
    """Run as of a day: `with on(date): ...` (clock.now() is noon in Amsterdam that day)."""
    return clock.as_of


D = dt.date
