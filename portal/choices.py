"""Choice labels looked up in a table made once, not rebuilt on every call."""

from django.utils.encoding import force_str


def quick_choice_labels(model):
    """Give ``model`` a ``get_<field>_display`` for each field with a fixed list of
    choices that looks the value up in a table made when the class is defined.

    Django's own rebuilds that table on every call and, to do so, asks for the
    translation of every label (a status in a list of fifty rows: about 50 µs each
    time). The labels stay lazy, so each reader still gets their own language; a
    value that is not among the choices shows as itself, as with Django's."""
    for field in model._meta.fields:
        if not isinstance(field.choices, list | tuple) or not field.choices:
            continue
        labels = dict(field.flatchoices)

        def display(self, field=field, labels=labels):
            value = getattr(self, field.attname)
            return force_str(labels.get(value, value), strings_only=True)

        setattr(model, f"get_{field.name}_display", display)
    return model
