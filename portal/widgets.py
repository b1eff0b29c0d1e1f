"""Form widgets for the pages staff open all day."""

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe


def _attrs(attrs: dict) -> str:
    """As ``django/forms/widgets/attrs.html``: False leaves an attribute out, True
    writes its name alone."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class InlineSelect(forms.Select):
    """Django's select, the same HTML written in Python.

    Django's template renders each option through two includes, about 40 µs an
    option: the filters and action forms of a queue and a petition (statuses,
    categories, every unit in scope) cost a staff page more than its queries."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        name = conditional_escape(widget["name"])
        parts = [f'<select name="{name}"{_attrs(widget["attrs"])}>']
        for group, options, _index in widget["optgroups"]:
            if group:
                parts.append(f'\n  <optgroup label="{conditional_escape(group)}">')
            for option in options:
                value = conditional_escape(str(option["value"]))
                label = conditional_escape(option["label"])
                parts.append(
                    f'\n  <option value="{value}"{_attrs(option["attrs"])}>'
                    f"{label}</option>"
                )
            if group:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))
