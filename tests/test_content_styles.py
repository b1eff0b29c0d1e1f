"""Our stylesheets: logical properties only (so a right-to-left language lays out
mirrored), large-text mode covering the content components, a print stylesheet."""

import re
from pathlib import Path

CSS = Path(__file__).resolve().parent.parent / "static" / "css"
PHYSICAL = re.compile(
    r"(margin|padding|border)-(left|right)\b|(?<![-\w])(left|right)\s*:"
    r"|text-align:\s*(left|right)|float:\s*(left|right)"
)


def test_stylesheets_use_logical_properties_only():
    """No left/right in our CSS: inline-start/end mirror for right-to-left."""
    for sheet in ("portal.css", "print.css"):
        text = CSS.joinpath(sheet).read_text()
        assert not PHYSICAL.search(text), (sheet, PHYSICAL.search(text).group(0))


def test_large_text_mode_covers_the_content_components():
    """Boxes that carry colour in standard mode go black on white in large mode."""
    text = CSS.joinpath("portal.css").read_text()
    for selector in (".statute", ".callout", ".badge", ".site-notice", ".promise"):
        pattern = r"html\.display-large[^{]*" + re.escape(selector)
        assert re.search(pattern, text), selector


def test_print_stylesheet_drops_navigation_and_keeps_boxes_whole():
    """Printed guides and cases lose menus, filters and breadcrumbs."""
    text = CSS.joinpath("print.css").read_text()
    for selector in (".site-header", ".breadcrumbs", ".filters", ".pagination"):
        assert selector in text
    assert "break-inside: avoid" in text
