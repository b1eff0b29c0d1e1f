"""The address a request really came from, also behind a reverse proxy.

Gunicorn does not rewrite REMOTE_ADDR from X-Forwarded-For, so behind nginx every
citizen would share the proxy's address: one per-address petition limit and one
sign-in lock-out for the whole city. Anyone can send an X-Forwarded-For header,
though, so it is believed only when the peer (REMOTE_ADDR) is one of our proxies,
the same FORWARDED_ALLOW_IPS gunicorn is given (Procfile). Reading the header from
the right, every hop that is itself a trusted proxy is skipped; the first address
that is not is the client (what a client wrote further left is not trusted).

The audit log, django-axes (AXES_CLIENT_IP_CALLABLE) and the petition limits all
ask `client_ip`, so they always agree on who the client is.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULT_TRUSTED_PROXIES = ("127.0.0.1",)


@lru_cache(maxsize=8)
def _trusted_networks(entries: tuple[str, ...]):
    """Parsed FORWARDED_ALLOW_IPS: None for "*" (every peer), else networks."""
    if "*" in entries:
        return None
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"FORWARDED_ALLOW_IPS: {entry!r} is not an IP address or network"
            ) from error
    return tuple(networks)


def check_trusted_proxies(entries) -> None:
    """Raise ImproperlyConfigured naming FORWARDED_ALLOW_IPS when an entry is bad."""
    _trusted_networks(tuple(entries))


def _parse(text: str):
    """An address as written in a header, or None (ports and brackets removed)."""
    text = text.strip().strip('"')
    if text.startswith("["):  # [2001:db8::1]:443
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:  # 203.0.113.9:51234
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def is_trusted_proxy(address) -> bool:
    networks = _trusted_networks(
        tuple(getattr(settings, "FORWARDED_ALLOW_IPS", DEFAULT_TRUSTED_PROXIES))
    )
    if networks is None:
        return True
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    return any(address in network for network in networks)


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or, when that is a trusted proxy, the
    right-most address in X-Forwarded-For that is not a trusted proxy."""
    if request is None:
        return None
    meta = request.META
    remote_text = meta.get("REMOTE_ADDR") or ""
    peer = _parse(remote_text)
    if peer is None:
        # A UNIX socket has no peer address; gunicorn trusts such connections too.
        if remote_text:
            return None
    elif not is_trusted_proxy(peer):
        return str(peer)
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    client = peer
    for hop in reversed(forwarded.split(",") if forwarded else []):
        address = _parse(hop)
        if address is None:
            break  # garbage from a proxy: keep the last address we could trust
        client = address
        if not is_trusted_proxy(address):
            break
    return str(client) if client is not None else None
