from urllib.parse import urlencode

from django import template

from apps.common.navigation import SECTIONS

register = template.Library()


@register.simple_tag
def sections():
    return SECTIONS


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def covers(section, namespace: str) -> bool:
    return section.covers(namespace or "")


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (None removes one); keeps URLs shareable."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(sorted(params.lists()), doseq=True) if params else "?"
