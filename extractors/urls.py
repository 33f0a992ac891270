"""URLs: one canonical spelling per page, and the rule for which URLs we may request at all.

Why canonical URLs matter: the same article reached from a feed, a sitemap and a listing must be
fetched once and stored once, and a link with `?utm_source=facebook` is the same page as the
bare one. So scheme and host are lower-cased, default ports and fragments dropped, tracking
parameters (utm_*, fbclid, gclid, …: the list is data, TRACKING_PARAMS) removed; path and the
remaining query are kept as they are (a CMS may well treat `?ID=1` and `?id=1` differently).

Why the safety rule lives here, apart from HTTP: "which hosts may this crawler ever contact" is
a policy worth reading in one place — only the hosts the source registry names, only http(s),
never a private, loopback or link-local address unless it is the explicitly configured mirror
or literally written in the registry — and `refusal()` returns the one-line reason a URL is
refused, so every refusal is recorded the same way.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
WEB_SCHEMES = ("http", "https")
TRACKING_PARAMS = re.compile(
    r"^(utm_[a-z_]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|mc_cid|mc_eid|igshid|_ga|_gl|zarsrc|zalo_source)$",
    re.I,
)


def canonical_url(url: str) -> str:
    """Lowercase scheme and host, no default port, no fragment, no tracking parameters."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if ":" in host:                                   # IPv6 literal
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}{':' + parts.password if parts.password else ''}@{netloc}"
    return urlunsplit((scheme, netloc, parts.path or "/", _without_tracking(parts.query), ""))


def _without_tracking(query: str) -> str:
    if not query:
        return query
    pairs = parse_qsl(query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not TRACKING_PARAMS.match(k)]
    return urlencode(kept, doseq=True) if len(kept) < len(pairs) else query   # untouched otherwise


def host_of(url: str) -> str:
    """host[:port] as canonical_url writes it (the key of per-host limits)."""
    return urlsplit(canonical_url(url)).netloc.rsplit("@", 1)[-1]


def hostname_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().rstrip(".")


def ip_literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def is_internal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Addresses a public-web crawler has no business with (the SSRF targets)."""
    return (address.is_private or address.is_loopback or address.is_link_local or address.is_multicast
            or address.is_reserved or address.is_unspecified)


def refusal(url: str, allowed_hosts: set[str]) -> str | None:
    """Why `url` may not be requested (None: it may). `allowed_hosts` are host[:port] keys."""
    scheme = urlsplit(url).scheme.lower()
    if scheme not in WEB_SCHEMES:
        return f"scheme {scheme or '(none)'!r} is not http(s)"
    host = host_of(url)
    if host in allowed_hosts:
        return None
    address = ip_literal(hostname_of(url))
    if address is not None and is_internal(address):
        return f"host {host} is a private/loopback address"
    return f"host {host} is not in the source registry"


def registry_hosts(site: dict) -> set[str]:
    """The hosts one registry site names: its base_url and every discovery URL."""
    urls = [site["base_url"]]
    for entry in site.get("discovery", []):
        urls += entry.get("urls", [])
        if "url" in entry:
            urls.append(entry["url"])
    urls += site.get("extra_hosts", [])
    return {host_of(u if "://" in u else f"https://{u}") for u in urls}
