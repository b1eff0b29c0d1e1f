"""The regions a petition may name: the portal's one list, the Region snippets.

Editors keep regions (with a name per language) for service channels and guides;
a petition stores a region's slug, which every translation of it shares, so
routing rules and petitions need no second list.
"""

from django.utils.translation import get_language


def _names() -> dict[str, dict[str, str]]:
    """slug -> {language code: name}."""
    from home.models import Region

    names: dict[str, dict[str, str]] = {}
    for slug, language, name in Region.objects.values_list(
        "slug", "locale__language_code", "name"
    ):
        names.setdefault(slug, {})[language.lower()] = name
    return names


def _pick(names: dict[str, str]) -> str:
    language = (get_language() or "zh-hans").lower()
    return names.get(language) or names.get("zh-hans") or next(iter(names.values()))


def region_choices() -> list[tuple[str, str]]:
    """(slug, name in the reader's language) for every region, by slug."""
    return [(slug, _pick(names)) for slug, names in sorted(_names().items())]


def region_slugs() -> set[str]:
    from home.models import Region

    return set(Region.objects.values_list("slug", flat=True))


def region_name(slug: str) -> str:
    """The region's name in the reader's language; the slug itself if unknown."""
    if not slug:
        return ""
    names = _names().get(slug)
    return _pick(names) if names else slug
