"""The petition register: units, categories, and later petitions and events."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node


class BilingualName(models.Model):
    """A name in Chinese with its English rendering; readers see their language."""

    name = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=160, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name


class Unit(BilingualName, MP_Node):
    """A court, bureau, office or station; the unit tree scopes what staff see."""

    class Kind(models.TextChoices):
        SUPREME = "supreme", _("Supreme court")
        HIGH = "high", _("High court")
        INTERMEDIATE = "intermediate", _("Intermediate court")
        BASIC = "basic", _("Basic court")
        BUREAU = "bureau", _("Justice bureau")
        OFFICE = "office", _("Office")
        STATION = "station", _("Justice station")
        GENERIC = "generic", _("Other unit")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.GENERIC
    )
    phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)

    node_order_by = ["code"]

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")


class Category(BilingualName, MP_Node):
    """What a request is about; decides guidance, routing and deadlines."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    handling_unit = models.ForeignKey(
        Unit,
        verbose_name=_("handling unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="categories",
    )

    node_order_by = ["code"]

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
