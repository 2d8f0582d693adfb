import json

from django import template

from waarborg.backoffice import labels, purposes

register = template.Library()


@register.filter
def label(code, kind):
    """`{{ customer.status|label:"customer_status" }}`: the code's label in the current language."""
    return labels.label(kind, code)


@register.filter
def compact_json(value):
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "), default=str)


@register.filter
def purpose_label(code):
    return purposes.label(code)
