"""`{% load privacy_requests %}`: the labels of privacy-request codes in the visitor's language."""

from django import template

from waarborg.web import privacy_texts

register = template.Library()


@register.filter
def privacy_label(code, kind):
    """`{{ request.type|privacy_label:"request_type" }}`, `{{ "U10"|privacy_label:"purpose" }}`."""
    return privacy_texts.label(kind, code)


@register.filter
def get_item(mapping, key):
    """`{{ forms|get_item:"extend" }}`: a value of a dict by a key."""
    return mapping.get(key) if hasattr(mapping, "get") else None
