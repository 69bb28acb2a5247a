from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` or ``""``: reads a dict by a variable key in templates."""
    return (mapping or {}).get(key, "")
