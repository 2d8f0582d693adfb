import pytest

from waarborg.careers.selectors import application_get_for, application_list_for
from waarborg.core.errors import NotFound, PermissionDenied
from waarborg.testing import factories as f
from waarborg.testing.checks import unchanged

pytestmark = pytest.mark.django_db


@pytest.mark.promise("B2", "D8")
def test_it_shows_applications_to_the_privacy_officer_only(personas):
    application = f.JobApplicationFactory()
    assert list(application_list_for(viewer=personas.erin)) == [application]
    assert application_get_for(viewer=personas.erin, pk=application.pk) == application
    with unchanged(), pytest.raises(NotFound):
        application_get_for(viewer=personas.erin, pk=application.pk + 1)
    for viewer in (personas.alice, personas.carol, personas.dave, personas.frank):
        with unchanged(), pytest.raises(PermissionDenied):
            application_list_for(viewer=viewer)
