"""The reader's display mode: large text and high contrast, without JavaScript."""

DISPLAY_COOKIE = "display"
DISPLAY_MODES = ("standard", "large")


def display_mode_for(request) -> str:
    mode = request.COOKIES.get(DISPLAY_COOKIE, "standard")
    return mode if mode in DISPLAY_MODES else "standard"
