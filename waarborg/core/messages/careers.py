"""Job applications (U13): what an applicant sends in, and the end of the procedure."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "careers.application_not_found": _("careers.jobapplication %(id)s not found"),
    "careers.birth_in_future": _("the date of birth lies in the future"),
    "careers.age_band_mismatch": _("the age band does not match the date of birth"),
    "careers.under_16": _("under 16, an application needs a parent's or guardian's recorded consent"),
    "careers.closed_already": _("the procedure is already closed"),
}
