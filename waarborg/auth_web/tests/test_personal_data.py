import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from waarborg.core import datamap
from waarborg.core.checks import check_entry


@pytest.mark.promise("D5")
def test_the_second_factor_is_in_the_personal_data_map():
    entry = datamap.entry_for("otp_totp.TOTPDevice")
    assert entry is not None
    assert check_entry(TOTPDevice, entry) == []
    key = entry.fields["key"]
    assert (key.category, key.key, key.purposes) == ("D5", "user.authorization.second_factor", ("U2", "U12"))
    assert key.basis == "contract" and key.erasure == "delete" and key.portability == "excluded"
    assert [(link.path, link.target) for link in entry.links] == [("user", "accounts.Account")]
