"""Admin menu items shown only to the staff a page's own gate lets in."""

from wagtail.admin.menu import MenuItem


class GatedMenuItem(MenuItem):
    """A menu item shown when ``shown_to(user)`` is true: the same question the
    page it links to asks before it answers."""

    def __init__(self, *args, shown_to, **kwargs):
        super().__init__(*args, **kwargs)
        self.shown_to = shown_to

    def is_shown(self, request):
        return self.shown_to(request.user)
