"""The app's personal data is in the map, with retention and a path to the subject."""

import pytest
from django.apps import apps

from waarborg.core import datamap
from waarborg.core.checks import check_personal_data_map


@pytest.mark.promise("G9", "B4")
def test_every_model_of_the_app_is_declared_and_passes_the_check():
    models = list(apps.get_app_config("privacy").get_models())
    assert check_personal_data_map(models=models) == []
    for model in models:
        label = model._meta.label
        assert datamap.entry_for(label) is not None or label in datamap.EXEMPT, label
    request = datamap.entry_for("privacy.PrivacyRequest")
    assert {request.fields[k].identifier for k in ("email", "phone", "customer_number", "name", "postcode")} == {
        "email",
        "phone",
        "customer_number",
        "name",
        "postcode",
    }
    assert request.fields["details"].retention.key == "privacy_request_2y"
    assert datamap.entry_for("privacy.IdDocument").fields["stored_name"].retention.key == "id_check"
    assert not any(link.up for link in request.links)  # an unverified request never leads to someone's data
