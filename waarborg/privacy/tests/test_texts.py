"""Every text to a requester or to staff exists in Dutch and English and renders completely."""

import pytest
from django.conf import settings

from waarborg.core import clock
from waarborg.privacy import notices
from waarborg.privacy.intake import privacy_request_create
from waarborg.privacy.models import PrivacyRequest

pytestmark = pytest.mark.django_db

NAMES = ("verify_email", "id_upload", "extension", "refusal", "answer", "restriction_lift", "staff_warning")


@pytest.mark.promise("G9", "G10", "K3")
@pytest.mark.parametrize("lang", notices.LANGUAGES)
@pytest.mark.parametrize("type_", [t for t, _ in PrivacyRequest.Type.choices])
def test_it_renders_every_text_in_both_languages(personas, erin, lang, type_):
    request = privacy_request_create(
        actor=erin,
        type=type_,
        channel="email",
        received_at=clock.today(),
        email="alice.devries@example.nl",
        language=lang,
    )
    context = notices.base_context(request, lang) | {
        "url": "https://waarborg.example/privacyverzoek/bevestigen/x/y/",
        "link_hours": 72,
        "id_days": 7,
        "reason": "De reden.",
        "ground_label": notices.GROUND_LABELS["other"][notices.idx(lang)],
        "stage_label": notices.STAGE_LABELS["lead_21"][notices.idx(lang)],
        "day": 21,
        "approved": ["x"],
        "rejected": [{"field": "y", "reason": "z"}],
        "stopped": ["U10"],
        "kept": [{"purpose": "U12", "reason": "r"}],
        "kinds": ["k"],
        "recipients": ["Rekencentrum Noord B.V."],
        "transmit_to": "Nieuwe Host B.V.",
    }
    for name in NAMES:
        text = notices.render(name, lang, context)
        assert text.subject and request.number in text.subject, name
        assert "{{" not in text.body and "{%" not in text.body and "&amp;" not in text.body, name
        if name != "staff_warning":
            controller = settings.WAARBORG_CONTROLLER
            assert controller["name"] in text.body and controller["email"] in text.body, name
            assert "Autoriteit Persoonsgegevens" in text.body or name in ("verify_email", "id_upload"), name
