"""Template filters that mask identifiers in lists, search results and notices."""

from django import template

from ..personal_data import mask_id_number, mask_phone

register = template.Library()

register.filter("mask_id_number", mask_id_number)
register.filter("mask_phone", mask_phone)
