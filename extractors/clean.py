"""Clean stage: one fetched page → the article it carries (the Clean contract, docs/architecture.md).

Why two paths: a site adapter (selectors kept as data in `adapters.toml`) is exact when the
site's templates match it, and the generic cleaner is right often enough on any page. The adapter
is tried first; when its body selector finds nothing, or far too little text next to what the
generic cleaner finds, the page is read by the generic cleaner instead and `drift` says so, so a
run can report that a site changed its layout instead of silently publishing empty articles.
A listing or error page also lacks the adapter's body, but that is not drift: `drift` is set only
when the generic cleaner then finds an article.

The page is parsed once, with lxml.html (a BeautifulSoup tree cost more than all of trafilatura's
extraction; bench/cleaning.py measures it), and never mutated: drop lists are applied as sets of
elements to skip, so the fallback reads the same tree.
"""

from __future__ import annotations

from . import adapters, dates, generic
from .text import normalize, paragraphs, parse, text_of

MIN_BODY_CHARS = 200      # an adapter body shorter than this is drift
MIN_BODY_SHARE = 0.25     # … and so is one under this share of the generic cleaner's text
CHECK_BELOW_CHARS = 3000  # above this an adapter body is trusted without running the generic


def clean(html: str | bytes, url: str | None = None, adapter: str | None = None) -> dict:
    """The Clean contract: {is_article, title, published, author, canonical_url, lead, body,
    tables, adapter_used, drift}."""
    soup = parse(html)
    idx = generic.index(soup)
    if adapter in (None, "generic"):
        return _finish(generic.clean_generic(soup, idx), url, "generic", drift=False)
    site = adapters.get(adapter)
    found = _adapter_fields(soup, idx, site)
    if found is None:
        fallback = generic.clean_generic(soup, idx)
        fallback["lead"] = _strip_prefix(fallback["lead"], site)
        fallback["paragraphs"][:1] = [_strip_prefix(p, site) or p for p in fallback["paragraphs"][:1]]
        return _finish(fallback, url, "generic", drift=fallback["is_article"])
    return _finish(found, url, site.name, drift=False)


# ---------------------------------------------------------------- adapter path

def _first(soup, site: adapters.Adapter, field: str):
    selector = site.selectors.get(field)
    return selector.select_one(soup) if selector is not None else None


def _value(tag) -> str:
    """An element's text, or its `content` (meta) attribute."""
    if tag is None:
        return ""
    if tag.tag == "meta":
        return normalize(tag.get("content"))
    return normalize(text_of(tag))


def _strip_prefix(lead: str | None, site: adapters.Adapter) -> str | None:
    if lead and site.lead_prefix is not None:
        lead = site.lead_prefix.sub("", lead, count=1).strip()
    return lead or None


def _published(tag) -> str | None:
    if tag is None:
        return None
    return dates.parse(tag.get("datetime") or tag.get("content") or text_of(tag))


def _adapter_body(soup, idx: dict, site: adapters.Adapter, title: str | None):
    """Filtered body paragraphs and tables, or None when the selector finds too little."""
    node = _first(soup, site, "body")
    if node is None:
        return None
    complex_ids = site.drop.select_complex(node)
    paras, tables = paragraphs(node, lambda tag: site.drop.matches(tag) or tag in complex_ids)
    kept = [p.text for p in paras if generic.keep_paragraph(*p[:2], title, p.beside_image)]
    kept = generic.strip_trailer(kept)
    size = sum(map(len, kept))
    if size < MIN_BODY_CHARS:
        return None
    if size < CHECK_BELOW_CHARS and size < MIN_BODY_SHARE * _generic_size(soup, idx):
        return None
    return kept, tables


def _generic_size(soup, idx: dict) -> int:
    return sum(map(len, generic.clean_generic(soup, idx)["paragraphs"]))


def _adapter_fields(soup, idx: dict, site: adapters.Adapter) -> dict | None:
    title = _value(_first(soup, site, "title")) or None
    body = _adapter_body(soup, idx, site, title)
    if body is None:
        return None
    meta = generic.metadata(idx)
    author = _value(_first(soup, site, "author")) or meta["author"]
    return {
        "is_article": True,
        "title": title or meta["headline"] or meta["og_title"],
        "published": _published(_first(soup, site, "time")) or meta["published"],
        "author": author,
        "canonical_url": meta["canonical_url"],
        "lead": _strip_prefix(_value(_first(soup, site, "lead")), site),
        "paragraphs": [_strip_prefix(p, site) if i == 0 else p for i, p in enumerate(body[0])],
        "tables": body[1],
    }


# ---------------------------------------------------------------- assembly

def _finish(found: dict, url: str | None, adapter_used: str, drift: bool) -> dict:
    lead, paras = generic.assemble(found["lead"], found["paragraphs"])
    return {
        "is_article": bool(found["is_article"]),
        "title": found["title"],
        "published": found["published"],
        "author": found["author"] or None,
        "canonical_url": found["canonical_url"] or url,
        "lead": lead,
        "body": "\n\n".join(paras),
        "tables": found["tables"],
        "adapter_used": adapter_used,
        "drift": drift,
    }
