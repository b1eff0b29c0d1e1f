"""The portal's own pages in Wagtail's admin."""

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin


class AdminPageMixin(WagtailAdminTemplateMixin):
    """A page of ours in the admin, named in its header.

    Wagtail's mixin alone gives the header one breadcrumb, "Home", and the admin
    shows that breadcrumb in place of a title: every queue, the search and the
    register were headed "Home". The page's own title is the last breadcrumb."""

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": "", "label": self.get_page_title()},
        ]
