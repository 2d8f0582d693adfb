from django.conf import settings

from waarborg.auth_web.flow import PENDING_KEY
from waarborg.web import nav

AUTORITEIT_PERSOONSGEGEVENS_URL = "https://autoriteitpersoonsgegevens.nl/"


def controller(request):
    return {
        "controller": settings.WAARBORG_CONTROLLER,
        "regulator_url": AUTORITEIT_PERSOONSGEGEVENS_URL,
    }


def navigation(request):
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    match = getattr(request, "resolver_match", None)
    session = getattr(request, "session", None)
    pending = bool(session is not None and not signed_in and PENDING_KEY in session)
    return {
        "nav_links": [] if pending else nav.header_links(user),
        "sign_in_pending": pending,
        "nav_current": match.view_name if match else "",
        "signed_in": signed_in,
        "role_label": nav.role_label(user.role) if signed_in else "",
    }
