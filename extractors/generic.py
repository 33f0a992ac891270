"""The generic cleaner: an article read from any news page, with no knowledge of the site.

Why: adapters break silently when a site changes its templates, and some sites (moha.gov.vn) have
none. The generic cleaner is the fallback that keeps the pipeline producing the same `body`
format, and the yardstick the adapter path is checked against (template drift).

How (readability / trafilatura ideas, one walk of the tree):
- metadata first: JSON-LD `NewsArticle` (headline, datePublished, author), OpenGraph and
  `article:published_time`, `description` — publishers fill these for search engines and they
  are more stable than markup;
- boilerplate is recognised by element (`nav`, `aside`, `footer`, …), by the project-wide
  `[common].drop` selectors and by class/id words (comment, related, share, menu, …);
- one bottom-up pass counts text, link text and commas per element; every paragraph-like block
  gives points to its parent and grandparent; the best-scoring container, discounted by its link
  density, holds the article, plus any sibling that scores nearly as well;
- paragraphs are filtered for what readers do not count as the article: link lists, photo
  captions, source and byline lines, date lines, the title repeated.
"""

from __future__ import annotations

import json
import re

from lxml import etree

from . import adapters, dates
from .text import SKIP_TAGS, classes_and_id, is_element, normalize, paragraphs, text_of

JUNK_TAGS = frozenset("nav aside footer header form figure figcaption menu dialog".split()) | SKIP_TAGS
_NEGATIVE = re.compile(
    r"comment|binh-?luan|related|lien-?quan|tinlienquan|relate|share|social|sharing|menu|navbar|"
    r"breadcrumb|sidebar|side-bar|widget|footer|banner|advert|ads?\b|ads-|quang-?cao|popup|"
    r"caption|byline|author|tags?\b|keyword|tu-?khoa|print|toolbar|font-size|rating|vote|"
    r"subscribe|newsletter|pagination|paging|other-news|tin-khac|most-view|xem-nhieu|"
    r"hot-news|lien-ket|weblink|ty-gia|exchange|counter|thong-ke|login|search|modal", re.I)
_POSITIVE = re.compile(r"article|body|content|entry|main|post|story|detail|noidung|chi-?tiet|"
                       r"news-text|text", re.I)
_LEAD_CLASS = re.compile(r"(?:^|[-_\s])(?:sapo|lead|summary|desc|description|intro|chapeau|"
                         r"tom-?tat|abstract)(?:$|[-_\s])", re.I)
_AUTHOR_CLASS = re.compile(r"author|byline|tac-?gia", re.I)
_DATE_CLASS = re.compile(r"date|time|publish|ngay|posted|created", re.I)
_PARA_TAGS = frozenset("p pre td blockquote li dd h2 h3 h4".split())
_CAPTION = re.compile(r"(^|[.\s(])(Ảnh|Nguồn ảnh|Video|Đồ họa|Clip|Photo)\s*:\s*[^.]{0,80}\.?\)?$", re.I)
_SOURCE = re.compile(r"^\(?\s*(Nguồn|Theo|Source)\s*[:\-]", re.I)
_SENTENCE_END = re.compile(r"[.!?…:;\"”’)»]$")
_ERROR = re.compile(r"\b404\b|không tìm thấy|not found|trang không tồn tại|lỗi truy cập|error",
                    re.I)


# ---------------------------------------------------------------- metadata

INDEXED = ("meta", "script", "link", "time", "h1", "title")


def index(root) -> dict[str, list]:
    """The few element kinds metadata comes from, gathered in one walk of the tree."""
    found: dict[str, list] = {name: [] for name in INDEXED}
    for tag in root.iter(*INDEXED):
        found[tag.tag].append(tag)
    return found


def _jsonld_article(idx: dict) -> dict:
    """The first JSON-LD object typed as an article (NewsArticle, Article, …), or {}."""
    for script in idx["script"]:
        if (script.get("type") or "").lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if not isinstance(item, dict):
                continue
            stack.extend(item.get("@graph", []))
            kind = item.get("@type", "")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(str(k).endswith("Article") or k == "BlogPosting" for k in kinds):
                return item
    return {}


def _metas(idx: dict) -> dict[str, str]:
    """meta property/name/itemprop → content (the first of each), plus link rel=canonical."""
    found: dict[str, str] = {}
    for meta in idx["meta"]:
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        if key and meta.get("content") is not None:
            found.setdefault(key.lower(), meta.get("content"))
    for link in idx["link"]:
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            found.setdefault("canonical", link.get("href"))
    return found


def _jsonld_author(item: dict) -> str | None:
    author = item.get("author")
    authors = author if isinstance(author, list) else [author]
    names = [a.get("name") if isinstance(a, dict) else a for a in authors if a]
    names = [normalize(n) for n in names if isinstance(n, str) and normalize(n)]
    return ", ".join(names) or None


def metadata(idx: dict) -> dict:
    """What the page declares about itself, normalised."""
    ld, metas = _jsonld_article(idx), _metas(idx)
    published = ld.get("datePublished") or metas.get("article:published_time") or \
        metas.get("datepublished") or metas.get("pubdate") or metas.get("dc.date.issued")
    return {
        "is_article_meta": bool(ld) or metas.get("og:type") == "article"
        or "article:published_time" in metas,
        "headline": normalize(ld.get("headline")) or None,
        "og_title": normalize(metas.get("og:title")) or None,
        "description": normalize(metas.get("og:description") or metas.get("description")) or None,
        "published": dates.parse(published) if isinstance(published, str) else None,
        "author": _jsonld_author(ld) or normalize(metas.get("author")) or None,
        "canonical_url": metas.get("canonical") or metas.get("og:url") or None,
    }


# ---------------------------------------------------------------- scoring

_attrs = classes_and_id


def is_boilerplate(tag) -> bool:
    """Boilerplate by element name or by class/id words (unless they also say 'content')."""
    if tag.tag in JUNK_TAGS:
        return True
    words = _attrs(tag)
    return bool(words) and bool(_NEGATIVE.search(words)) and not _POSITIVE.search(words)


class Scorer:
    """One bottom-up walk: text and link length per element, paragraph points per container.

    Elements are dict keys themselves (not their `id()`): an lxml element's Python proxy lives
    only as long as something refers to it, so an `id()` could be reused by another element.
    """

    def __init__(self, drop: adapters.DropMatcher, junk: set):
        self.drop = drop
        self.junk = junk
        self.size: dict = {}
        self.score: dict = {}
        self.leads: list = []
        self.order: dict = {}
        self.datelines: list = []
        self.author = None

    def walk(self, tag) -> tuple[int, int, int]:
        text = tag.text or ""
        direct = len(text.strip())
        chars, links, commas = direct, 0, text.count(",")
        for child in tag:
            if isinstance(child.tag, str) and child not in self.junk:
                if is_boilerplate(child) or self.drop.matches(child):
                    self.junk.add(child)
                    self._note_junk(child)
                else:
                    c, lk, k = self.walk(child)
                    chars, links, commas = chars + c, links + lk, commas + k
            tail = child.tail
            if tail:
                n = len(tail.strip())
                chars, direct, commas = chars + n, direct + n, commas + tail.count(",")
        if tag.tag == "a":
            links = chars
        self.size[tag] = (chars, links)
        self.order[tag] = len(self.order)
        self._note(tag, chars)
        if chars >= 25 and links < chars / 2 and (tag.tag in _PARA_TAGS or direct >= 25):
            self._credit(tag, 1 + commas + min(chars / 100, 3))
        return chars, links, commas

    def _note(self, tag, chars: int) -> None:
        """Remember lead-classed elements (sapo candidates) and date-classed ones."""
        words = _attrs(tag)
        if not words or not chars:
            return
        if _LEAD_CLASS.search(words) and 40 <= chars:
            self.leads.append(tag)
        if _DATE_CLASS.search(words) and chars < 120:
            self.datelines.append(tag)

    def _note_junk(self, tag) -> None:
        """Bylines are boilerplate for the body but still the author field."""
        if self.author is None and _AUTHOR_CLASS.search(_attrs(tag)):
            self.author = tag

    def _credit(self, tag, points: float) -> None:
        parent, share = tag.getparent(), 1.0
        for _ in range(3):
            if parent is None or parent.tag == "html":
                return
            self.score[parent] = self.score.get(parent, 0.0) + points * share
            parent, share = parent.getparent(), share / 2

    def best(self):
        def final(node) -> float:
            chars, links = self.size.get(node, (0, 0))
            bonus = 25 if _POSITIVE.search(_attrs(node)) else 0
            return (self.score[node] + bonus) * (1 - links / max(chars, 1))
        if not self.score:
            return None
        return max(self.score, key=final)


# ---------------------------------------------------------------- paragraphs

def _container_parts(scorer: Scorer, top) -> list:
    """The top container plus siblings that score nearly as well (split article bodies)."""
    parent = top.getparent()
    if parent is None:
        return [top]
    threshold = max(10.0, scorer.score.get(top, 0) * 0.3)
    parts = []
    for sib in parent:
        if not is_element(sib) or sib in scorer.junk:
            continue
        chars, links = scorer.size.get(sib, (0, 0))
        dense = links / max(chars, 1)
        if sib is top or (scorer.score.get(sib, 0) >= threshold and dense < 0.25) or \
                (sib.tag == "p" and chars >= 80 and dense < 0.2):
            parts.append(sib)
    return parts


def keep_paragraph(text: str, link_share: float, title: str | None,
                   beside_image: bool = False) -> bool:
    if link_share > 0.5:
        return False
    if beside_image and len(text) < 200:  # a caption written under the picture, no "Ảnh:"
        return False
    if title and text == title:
        return False
    if len(text) < 250 and (_CAPTION.search(text) or _SOURCE.match(text)):
        return False
    if len(text) < 60 and dates.parse_vietnamese(text) and len(re.findall(r"[^\W\d_]{2,}", text)) < 5:
        return False
    return True


def strip_trailer(paras: list[str]) -> list[str]:
    """Drop short closing lines without sentence punctuation: bylines, signatures, 'Tin liên quan'."""
    while paras and len(paras[-1]) < 60 and not _SENTENCE_END.search(paras[-1]):
        paras.pop()
    return paras


def body_paragraphs(parts: list, junk: set, title: str | None):
    """Filtered paragraphs and data tables of the chosen containers."""
    kept, tables = [], []
    for part in parts:
        paras, found = paragraphs(part, junk.__contains__)
        kept.extend(p.text for p in paras if keep_paragraph(*p[:2], title, p.beside_image))
        tables.extend(found)
    return strip_trailer(kept), tables


# ---------------------------------------------------------------- fields

def _title(idx: dict, meta: dict) -> str | None:
    if meta["headline"]:
        return meta["headline"]
    page_title = meta["og_title"] or normalize(idx["title"][0].text_content() if idx["title"] else "")
    for h1 in idx["h1"]:
        text = normalize(text_of(h1))
        if text and (not page_title or text in page_title or page_title in text):
            return text
    if page_title:
        return re.split(r"\s+[|\-–—]\s+(?=[^|\-–—]*$)", page_title)[0].strip() or page_title
    return None


def _near(tag, top, scorer: Scorer) -> bool:
    """`tag` comes before the article container (or in it) and shares its section of the page."""
    if scorer.order.get(tag, 0) > scorer.order.get(top, 0):
        return False
    parent = top.getparent()
    region = parent.getparent() if parent is not None and parent.getparent() is not None else top
    return any(ancestor is region for ancestor in tag.iterancestors())


def _lead(scorer: Scorer, top, meta: dict, body: list[str]) -> str | None:
    """The sapo: a lead-classed element next to the article (or the one the description quotes),
    else the description when the body starts with it."""
    desc = (meta["description"] or "").rstrip(".… ")
    texts = [(normalize(text_of(t)), t) for t in scorer.leads]
    for text, tag in texts:
        if (desc and text.startswith(desc[:50])) or (top is not None and _near(tag, top, scorer)):
            return text
    if desc and body and body[0].startswith(desc[:60]):
        return body[0]
    return None


def _published(idx: dict, scorer: Scorer, meta: dict) -> str | None:
    if meta["published"]:
        return meta["published"]
    for stamp in idx["time"][:1]:
        found = dates.parse(stamp.get("datetime") or text_of(stamp))
        if found:
            return found
    for line in scorer.datelines:  # "header__date" may say "Hà Nội": the first that parses
        found = dates.parse_vietnamese(normalize(text_of(line)))
        if found:
            return found
    return _date_near_title(idx)


_NEAR_BEFORE = etree.XPath("preceding::text()[position() <= 12]")
_NEAR_AFTER = etree.XPath("following::text()[position() <= 30]")


def _visible(text) -> bool:
    """A text node readers see: not inside a script, style, … (lxml text results know their
    parent; a tail's parent is the element it follows, so look one level up for tails)."""
    parent = text.getparent() if hasattr(text, "getparent") else None
    if parent is not None and getattr(text, "is_tail", False):
        parent = parent.getparent()
    return parent is None or parent.tag not in SKIP_TAGS


def _date_near_title(idx: dict) -> str | None:
    """The first date line in the few text nodes around the first h1 (bylines sit there)."""
    if not idx["h1"]:
        return None
    h1 = idx["h1"][0]  # its own text is not searched: titles often hold dates ("Đến ngày 30/6/2024")
    before = [s for s in _NEAR_BEFORE(h1) if _visible(s)][::-1]
    after = [s for s in _NEAR_AFTER(h1) if _visible(s)]
    for i in range(max(len(before), len(after))):  # nearest first, after before before
        for chunk in (after, before):
            text = normalize(chunk[i]) if i < len(chunk) else ""
            found = dates.parse_vietnamese(text) if 0 < len(text) < 80 else None
            if found:
                return found
    return None


def _author(scorer: Scorer, meta: dict) -> str | None:
    if meta["author"]:
        return meta["author"]
    text = normalize(text_of(scorer.author)) if scorer.author is not None else ""
    return text if 0 < len(text) < 80 else None


def _teaser_links(parts: list, junk: set) -> int:
    """Headline-sized links inside the chosen containers: a listing is made of them."""
    count = 0
    for part in parts:
        for link in part.iter("a"):
            if len("".join(link.itertext()).strip()) >= 15 and not any(
                    p in junk for p in link.iterancestors()):
                count += 1
    return count


def _looks_like_article(meta: dict, title: str | None, body: list[str], density: float,
                        teasers: int) -> bool:
    """Continuous prose under a title, not a list of teasers and not an error page."""
    prose = sum(len(p) for p in body)
    if not title or (_ERROR.search(title) and prose < 1500):
        return False
    truncated = sum(1 for p in body if p.endswith(("...", "…")))
    if density > 0.3 or (teasers and teasers * 2 >= len(body)) or truncated * 2 >= max(len(body), 1):
        return False
    long_paras = sum(1 for p in body if len(p) >= 100)
    return (prose >= 400 and long_paras >= 2) or (meta["is_article_meta"] and prose >= 250)


def same_paragraph(lead: str, para: str) -> bool:
    """The page repeats its sapo (whole, or cut short with an ellipsis) as a body paragraph."""
    a, b = lead.rstrip(".…  "), para.rstrip(".…  ")
    return a == b or (len(a) >= 40 and b.startswith(a)) or (len(b) >= 40 and a.startswith(b))


def assemble(lead: str | None, paras: list[str]) -> tuple[str | None, list[str]]:
    """The lead once (the longer form if the page repeats it), then the other paragraphs."""
    paras = list(paras)
    for i, para in enumerate(paras[:3]):
        if lead and same_paragraph(lead, para):
            lead = max(lead, para, key=len)
            del paras[i]
            break
    return lead, ([lead] if lead else []) + paras


def clean_generic(root, idx: dict | None = None) -> dict:
    """Every Clean-contract field but `adapter_used`/`drift`, from page structure alone.

    `paragraphs` is the whole body (lead first); `lead` is the sapo when one was found.
    """
    idx = idx if idx is not None else index(root)
    meta, drop = metadata(idx), adapters.common_drop()
    scorer = Scorer(drop, drop.select_complex(root))
    body_el = root.find("body")
    scorer.walk(body_el if body_el is not None else root)
    top = scorer.best()
    title = _title(idx, meta)
    parts = _container_parts(scorer, top) if top is not None else []
    body, tables = body_paragraphs(parts, scorer.junk, title)
    lead, body = assemble(_lead(scorer, top, meta, body), body)
    chars, links = scorer.size.get(top, (1, 0)) if top is not None else (1, 1)
    return {
        "is_article": _looks_like_article(meta, title, body, links / max(chars, 1),
                                          _teaser_links(parts, scorer.junk)),
        "title": title,
        "published": _published(idx, scorer, meta),
        "author": _author(scorer, meta),
        "canonical_url": meta["canonical_url"],
        "lead": lead,
        "paragraphs": body,
        "tables": tables,
    }
