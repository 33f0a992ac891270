"""What a host's robots.txt allows us, decided the way Google decides it.

Why this module knows no HTTP: fetch.py loads robots.txt with the same client, limits and
retries as every other request and hands over what came back (status and body, or nothing when
the request failed); this module turns that into a policy. Keeping the rule table here, apart
from the network, makes the rules easy to read and to test:

- 2xx            → parse it (protego: groups, wildcards, Allow/Disallow precedence, Crawl-delay)
- 4xx (404, 403) → no restrictions: the site published no rules for us
- 5xx, 429       → disallow the whole host for this run: the server is struggling or hiding its
                   rules, and crawling on would be guessing
- failed to load (connection refused, timeout, redirect off-host) → allow all, as the brief asks
- 2xx but not a robots.txt (an HTML error page, binary, no directive at all) → allow all, as
  Google does with lines it cannot read, and say so in `warning` (the crawl records it)

Rules are matched for our product token (the part of the User-Agent before the first "/"), so a
robots.txt group "User-agent: egov-data" applies to us, as robots.txt groups are meant to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from protego import Protego


@dataclass
class RobotsPolicy:
    """The rules for one host. `reason` says in a few words why the policy is what it is."""

    rules: Protego | None = None
    disallow_all: bool = False
    reason: str = "no robots.txt rules"
    sitemaps: list[str] = field(default_factory=list)
    warning: str | None = None         # the file was there but not a usable robots.txt

    def allows(self, url: str, user_agent: str) -> bool:
        if self.disallow_all:
            return False
        if self.rules is None:
            return True
        return self.rules.can_fetch(url, product_token(user_agent))

    def crawl_delay(self, user_agent: str) -> float | None:
        """Seconds to wait between requests, if robots.txt asks for it (None otherwise)."""
        if self.rules is None:
            return None
        delay = self.rules.crawl_delay(product_token(user_agent))
        return float(delay) if delay else None


def robots_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


def product_token(user_agent: str) -> str:
    """`egov-data/0.1 (+https://…)` → `egov-data`: what robots.txt groups name."""
    return user_agent.split("/", 1)[0].split()[0] if user_agent.strip() else "*"


_DIRECTIVE = re.compile(r"^\s*(user-agent|disallow|allow|crawl-delay|sitemap|host|request-rate)\s*:", re.I | re.M)


def malformed(text: str, content_type: str | None = None) -> str | None:
    """Why a 2xx robots.txt body is not a robots file, or None."""
    if "\x00" in text or "\ufffd" in text[:2048]:
        return "binary content"
    if (content_type or "").lower().startswith("text/html") or text.lstrip()[:1] == "<":
        return "an HTML page"
    if text.strip() and not _DIRECTIVE.search(text):
        return "no robots.txt directive in it"
    return None


def policy_from_response(status: int | None, text: str | None, content_type: str | None = None) -> RobotsPolicy:
    """The policy for a robots.txt response; `status=None` means the request itself failed."""
    if status is None:
        return RobotsPolicy(reason="robots.txt could not be loaded: allow all")
    if 200 <= status < 300:
        problem = malformed(text or "", content_type)
        if problem:
            return RobotsPolicy(reason="robots.txt unreadable: allow all",
                                warning=f"robots.txt is {problem}, not robots rules: crawling as if allowed")
        rules = Protego.parse(text or "")
        return RobotsPolicy(rules=rules, reason="robots.txt rules", sitemaps=list(rules.sitemaps))
    if status >= 500 or status == 429:
        return RobotsPolicy(disallow_all=True, reason=f"robots.txt answered HTTP {status}: host skipped for this run")
    return RobotsPolicy(reason=f"robots.txt answered HTTP {status}: allow all")
