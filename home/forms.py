"""Editor forms for pages whose rules span a page and its inline rows.

A model's clean() cannot see inline rows being added in the same submission (they
reach the instance only when the form saves), so checks that need both live here,
and their messages land next to the field the editor has to change.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm


def kept_rows(formset) -> list:
    """The inline forms that will be saved: every row not marked for deletion.

    Validating each row first fills its cleaned_data (the deletion flag among it).
    """
    for form in formset.forms:
        form.is_valid()
    return [form for form in formset.forms if not formset._should_delete_form(form)]


class QuestionAnswerPageForm(WagtailAdminPageForm):
    """Each answer's anchor is its link: two alike on one page would send a reader
    to the wrong answer (and make the page's ids clash)."""

    def clean(self):
        cleaned_data = super().clean()
        seen = set()
        for form in kept_rows(self.formsets["questions"]):
            anchor = (form.cleaned_data.get("anchor") or "").casefold()
            if not anchor:
                continue
            if anchor in seen:
                form.add_error(
                    "anchor",
                    _(
                        "Another question on this page already uses this anchor; "
                        "give each answer its own."
                    ),
                )
            seen.add(anchor)
        return cleaned_data


class ServiceChannelPageForm(WagtailAdminPageForm):
    """A hotline or a direct line is its phone number: refuse one without."""

    def clean(self):
        from home.models import ChannelKind

        cleaned_data = super().clean()
        if cleaned_data.get("kind") in (ChannelKind.HOTLINE, ChannelKind.DIRECT_LINE):
            # A row with a mistyped number has its own message; it still counts.
            numbered = [
                form
                for form in kept_rows(self.formsets["phones"])
                if form.cleaned_data.get("number") or form.has_error("number")
            ]
            if not numbered:
                self.add_error(
                    "kind",
                    _(
                        "A hotline or direct line needs at least one phone number: "
                        "add it under “Phone numbers”."
                    ),
                )
        return cleaned_data
