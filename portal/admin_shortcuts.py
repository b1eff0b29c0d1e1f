"""Wagtail's keyboard-shortcuts dialog, rendered once per content and language.

Every admin page carries the dialog (hidden until a user presses "?"). Wagtail
renders its template on each page: forty translated rows, 3.8–4.2 ms of a staff
page's 33–43 ms of CPU. What it shows depends only on what Wagtail's own tag
gathers (the user's shortcut setting, the platform's key names, whether comments
are on) and on the language, so each web process keeps the HTML under exactly
that: Wagtail's tag still runs on every page, only its template is not rendered
again for the same content.
"""

from django.utils.functional import Promise
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from wagtail.admin.templatetags import wagtailadmin_tags

from portal.memo import Kept

TEMPLATE = "wagtailadmin/shared/keyboard_shortcuts_dialog.html"
#: Variants a process keeps: languages × platforms × the user's on/off setting.
MAX_KEPT = 32

gather = wagtailadmin_tags.keyboard_shortcuts_dialog
_kept = Kept(MAX_KEPT)


def settled(value):
    """The gathered content as a hashable value, translations resolved."""
    if isinstance(value, dict):
        return tuple((settled(key), settled(item)) for key, item in value.items())
    if isinstance(value, list | tuple):
        return tuple(settled(item) for item in value)
    if isinstance(value, Promise):
        return str(value)
    return value


def keyboard_shortcuts_dialog(context) -> str:
    """Wagtail's ``{% keyboard_shortcuts_dialog %}``, kept (see the docstring)."""
    content = gather(context)

    def render() -> str:
        template = context.template.engine.get_template(TEMPLATE)
        return template.render(context.new(content))

    html = _kept.get((get_language(), settled(content)), render)
    return mark_safe(html)  # noqa: S308 - Wagtail's template, rendered escaped


def install() -> None:
    """Serve ``{% keyboard_shortcuts_dialog %}`` from here."""
    wagtailadmin_tags.register.simple_tag(
        takes_context=True, name="keyboard_shortcuts_dialog"
    )(keyboard_shortcuts_dialog)
