"""The one validation layer for a new petition: the web form, the API, reception.

``PetitionForm`` holds every rule (required fields, anonymous only where the
category allows it, ID, phone and case number formats, consent, attachments).
``actions.submit`` and ``actions.register`` run it, so the web page, the JSON API
and the admin refuse the same input with the same messages.
"""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.security.personal_data import normalise_id_number, validate_national_id

from . import attachments, conf
from .models import Category, Channel
from .regions import region_choices
from .validators import check_case_number, check_phone

FILL_SALT = "petitions.form-started"


def validate_storable(value):
    """Lone surrogates (possible in JSON) cannot be stored or encrypted."""
    if isinstance(value, str) and any(0xD800 <= ord(char) <= 0xDFFF for char in value):
        raise ValidationError(
            _("This text contains characters that cannot be stored."), code="surrogate"
        )


class TextField(forms.CharField):
    default_validators = [validate_storable]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Up to PETITIONS_MAX_ATTACHMENTS files; checked together in the form."""

    widget = MultipleFileInput

    def to_python(self, data):
        if not data:
            return []
        return list(data) if isinstance(data, list | tuple) else [data]

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")

    def bound_data(self, data, initial):
        return data

    def has_changed(self, initial, data):
        return bool(data)


class PetitionForm(forms.Form):
    """What a petitioner (or reception on their behalf) tells us."""

    category = TextField(label=_("Category"), max_length=40)
    anonymous = forms.BooleanField(
        label=_("Submit anonymously"),
        required=False,
        help_text=_("Only for categories that allow it, such as integrity reports."),
    )
    name = TextField(label=_("Your name"), max_length=100, required=False)
    id_number = TextField(
        label=_("National ID number"),
        max_length=30,
        required=False,
        help_text=_("18 characters. Helps us find your earlier requests."),
    )
    phone = TextField(
        label=_("Mobile or phone number"),
        max_length=30,
        required=False,
        help_text=_("We send your tracking number and replies by SMS."),
    )
    email = forms.EmailField(label=_("E-mail (optional)"), required=False)
    address = TextField(label=_("Address (optional)"), max_length=300, required=False)
    subject = TextField(label=_("Subject"), max_length=200)
    description = TextField(
        label=_("What happened, and what do you ask for?"),
        max_length=5000,
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    case_number = TextField(
        label=_("Related case number (optional)"),
        max_length=60,
        required=False,
        help_text=_("For example （2023）浙1003执123号."),
    )
    complained_about = TextField(
        label=_("Party or office you complain about (optional)"),
        max_length=200,
        required=False,
    )
    region = forms.ChoiceField(
        label=_("Where did this happen? (optional)"),
        required=False,
        choices=[],
        error_messages={"invalid_choice": _("Choose one of the listed regions.")},
        help_text=_("Helps us send your request to the right office."),
    )
    co_signers = forms.IntegerField(
        label=_("Number of other people who sign this request"),
        min_value=0,
        max_value=100000,
        required=False,
        help_text=_("Leave empty or 0 if you write only for yourself."),
    )
    consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice and agree that my data is used to "
            "handle this request."
        ),
        error_messages={"required": _("Agree to the privacy notice to continue.")},
    )
    attachments = MultipleFileField(
        label=_("Photos or documents (optional)"),
        required=False,
        help_text=_("Up to 5 files, JPEG, PNG or PDF, at most 10 MB each."),
    )

    def __init__(self, *args, category=None, web=True, **kwargs):
        """``web``: only categories open for web submission may be chosen.

        ``category``: the category chosen on the page before; it wins over the
        posted value so the guidance shown matches what is saved.
        """
        super().__init__(*args, **kwargs)
        self.web = web
        self.phone_required = web
        # Required unless anonymous: marked as required on the page.
        self.named_fields = ("name", "phone") if web else ("name",)
        self.fixed_category = category
        self.checked_files = []
        self.fields["attachments"].widget.attrs["accept"] = ".jpg,.jpeg,.png,.pdf"
        self.fields["region"].choices = [("", "—"), *region_choices()]
        if category is not None:
            self.fields["category"].required = False
            self.fields["category"].widget = forms.HiddenInput()

    def categories(self):
        queryset = Category.objects.all()
        return queryset.filter(open_for_web=True) if self.web else queryset

    def clean_category(self):
        if self.fixed_category is not None:
            return self.fixed_category
        code = self.cleaned_data["category"].strip()
        category = self.categories().filter(code=code).first()
        if category is None:
            raise ValidationError(
                _("Choose one of the listed categories."), code="category"
            )
        return category

    def clean_id_number(self):
        value = self.cleaned_data["id_number"].strip()
        if not value:
            return ""
        validate_national_id(value)
        return normalise_id_number(value)

    def clean_phone(self):
        value = self.cleaned_data["phone"].strip()
        return check_phone(value) if value else ""

    def clean_case_number(self):
        value = self.cleaned_data["case_number"].strip()
        return check_case_number(value) if value else ""

    def clean_co_signers(self):
        return self.cleaned_data.get("co_signers") or 0

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        self.checked_files = attachments.check_uploads(files)
        return files

    def clean(self):
        data = super().clean()
        category = data.get("category")
        if data.get("anonymous"):
            if category is not None and not category.anonymous_allowed:
                self.add_error(
                    "anonymous",
                    ValidationError(
                        _(
                            "This category does not accept anonymous requests: "
                            "give your name and phone number."
                        ),
                        code="anonymous",
                    ),
                )
            # An anonymous petitioner stays anonymous: nothing identifying is kept.
            for field in ("name", "id_number", "phone", "email", "address"):
                data[field] = ""
        else:
            required = [
                ("name", _("Give your name, or choose anonymous where allowed."))
            ]
            if self.phone_required:
                required.append(
                    ("phone", _("Give a phone number so that we can reach you."))
                )
            for field, message in required:
                if field not in self.errors and not data.get(field):
                    self.add_error(field, ValidationError(message, code="required"))
        return data

    def petition_fields(self) -> dict:
        """The cleaned values the Petition model takes."""
        data = self.cleaned_data
        return {
            "category": data["category"],
            "anonymous": bool(data.get("anonymous")),
            **{
                field: data.get(field) or ""
                for field in (
                    "name",
                    "id_number",
                    "phone",
                    "email",
                    "address",
                    "subject",
                    "description",
                    "case_number",
                    "complained_about",
                    "region",
                )
            },
            "co_signers": data.get("co_signers") or 0,
        }


class WebPetitionForm(PetitionForm):
    """The public page's form: adds a honeypot and a signed start time."""

    # Named like a field robots love; hidden from people by CSS, skipped by readers.
    website = forms.CharField(required=False, label=_("Leave this field empty"))
    started = forms.CharField(required=False, widget=forms.HiddenInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update(
            {"autocomplete": "off", "tabindex": "-1"}
        )
        if not self.is_bound:
            self.initial["started"] = self.signer().sign(f"{time.time():.0f}")

    def looks_automated(self) -> str | None:
        """Why this post looks like a robot's (honeypot, too fast), or None."""
        if self.data.get("website"):
            return "honeypot"
        try:
            started = float(self.signer().unsign(self.data.get("started", "")))
        except (signing.BadSignature, ValueError):
            return "start_time"
        age = time.time() - started
        if age < conf.min_fill_seconds():
            return "too_fast"
        if age > conf.max_fill_seconds():
            return "expired"
        return None

    @staticmethod
    def signer():
        return signing.Signer(salt=FILL_SALT)

    @classmethod
    def again(cls, data, **kwargs):
        """The same answers with a fresh start time and a note to send them again.

        Said the same way whatever tripped the check, so a robot learns nothing.
        """
        data = data.copy()
        data["started"] = cls.signer().sign(f"{time.time():.0f}")
        form = cls(data, **kwargs)
        form.is_valid()
        form.add_error(
            None,
            _("Please check your answers, choose your files again, and send the form."),
        )
        return form


class RegistrationForm(PetitionForm):
    """Reception registers a request that came by letter, visit, phone or WeChat."""

    channel = forms.ChoiceField(
        label=_("Received by"),
        choices=[(value, label) for value, label in Channel.choices if value != "web"],
    )

    language = forms.ChoiceField(
        label=_("Language for notices"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
    )

    field_order = ["channel", "category"]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("web", False)
        super().__init__(*args, **kwargs)
        self.fields["category"].widget = forms.Select(
            choices=[("", "---------")]
            + [(c.code, str(c)) for c in Category.get_tree()]
        )
        self.fields["consent"].label = _(
            "The petitioner was told the privacy notice and agreed."
        )
        self.fields["name"].label = _("Petitioner's name")
