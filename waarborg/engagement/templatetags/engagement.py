"""`{% cookie_banner %}`: the first layer of the cookie choice, until this browser has chosen."""

from django import template

from waarborg.engagement import cookies

register = template.Library()

# Pages that show no banner: the cookie policy holds the same choice itself; staff screens and
# the admin set no cookie that needs consent.
WITHOUT_BANNER = frozenset({"engagement:cookies", "engagement:unsubscribe", "web:backoffice"})
WITHOUT_BANNER_NAMESPACES = frozenset({"backoffice", "admin"})


def _wanted(context) -> bool:
    request = context.get("request")
    choice = getattr(request, "cookie_choice", None)
    if request is None or choice is None or context.get("sign_in_pending"):
        return False
    match = getattr(request, "resolver_match", None)
    if match is not None and (match.view_name in WITHOUT_BANNER or set(match.namespaces) & WITHOUT_BANNER_NAMESPACES):
        return False
    return bool(cookies.choice_kinds()) and not choice.decided


@register.inclusion_tag("engagement/_banner.html", takes_context=True)
def cookie_banner(context):
    if not _wanted(context):
        return {"show": False}
    request = context["request"]
    return {
        "show": True,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "categories": cookies.choice_categories(),
        "next": request.get_full_path(),
        "asked_again": request.cookie_choice.chose_earlier,
    }
