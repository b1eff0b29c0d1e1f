"""The staff pages' select, written in Python, is the HTML Django's template writes."""

import re

import pytest
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from petitions.models import Unit
from petitions.workflow import Status
from portal.widgets import InlineSelect


def same_html(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


def both(field: forms.Field, value, attrs=None) -> tuple[str, str]:
    """(Django's select, ours) for the same field, value and attributes."""
    field.widget = forms.Select(choices=field.choices)
    theirs = field.widget.render("pick", value, attrs)
    field.widget = InlineSelect(choices=field.choices)
    return theirs, field.widget.render("pick", value, attrs)


@pytest.mark.parametrize("value", ["", "received", "closed", "nonsense", None])
def test_a_choice_and_the_selected_one_are_written_as_django_writes_them(value):
    field = forms.ChoiceField(choices=[("", "—"), *Status.choices], required=False)
    with override("zh-hans"):
        theirs, ours = both(field, value, {"id": "id_pick", "required": True})
    assert same_html(ours) == same_html(theirs)
    assert ("selected" in ours) == (value in Status.values or value in ("", None))


def test_groups_odd_characters_and_attributes_are_written_as_django_writes_them():
    choices = [
        ("", "—"),
        (_("Courts"), [("a&b", 'A "quoted" <court>'), ("2", _("received"))]),
        ("x'y", "x'y"),
    ]
    field = forms.ChoiceField(choices=choices, required=False)
    attrs = {"class": 'w "x"', "disabled": False, "data-on": True, "data-n": 3}
    for value in ("a&b", "x'y", "2"):
        theirs, ours = both(field, value, attrs)
        assert same_html(ours) == same_html(theirs)
    assert "<court>" not in ours and "&lt;court&gt;" in ours


@pytest.mark.django_db
def test_units_of_a_model_choice_are_written_as_django_writes_them():
    top = Unit.add_root(code="w-top", name="省法院 <一>")
    top.add_child(code="w-child", name="市法院 & 二")
    field = forms.ModelChoiceField(queryset=Unit.objects.all(), required=False)
    for value in (None, top.pk, Unit.objects.get(code="w-child")):
        theirs, ours = both(field, value)
        assert same_html(ours) == same_html(theirs)
        assert "市法院 &amp; 二" in ours
