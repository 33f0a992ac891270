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

from bs4 import BeautifulSoup, NavigableString, Tag

from . import adapters, dates
from .text import SKIP_TAGS, is_text_node, normalize, paragraphs

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


def index(soup: BeautifulSoup) -> dict[str, list[Tag]]:
    """The few element kinds metadata comes from, gathered in one walk of the tree."""
    found: dict[str, list[Tag]] = {name: [] for name in INDEXED}
    for tag in soup.find_all(INDEXED):
        found[tag.name].append(tag)
    return found


def _jsonld_article(idx: dict) -> dict:
    """The first JSON-LD object typed as an article (NewsArticle, Article, …), or {}."""
    for script in idx["script"]:
        if (script.get("type") or "").lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.string or "")
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
            found.setdefault(key.lower(), meta["content"])
    for link in idx["link"]:
        if "canonical" in (link.get("rel") or ()) and link.get("href"):
            found.setdefault("canonical", link["href"])
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

def _attrs(tag: Tag) -> str:
    classes = tag.get("class") or []
    return " ".join([*classes, tag.get("id") or ""])


def is_boilerplate(tag: Tag) -> bool:
    """Boilerplate by element name or by class/id words (unless they also say 'content')."""
    if tag.name in JUNK_TAGS:
        return True
    words = _attrs(tag)
    return bool(words) and bool(_NEGATIVE.search(words)) and not _POSITIVE.search(words)


class Scorer:
    """One bottom-up walk: text and link length per element, paragraph points per container."""

    def __init__(self, drop: adapters.DropMatcher, junk: set[int]):
        self.drop = drop
        self.junk = junk
        self.size: dict[int, tuple[int, int]] = {}
        self.score: dict[int, float] = {}
        self.nodes: dict[int, Tag] = {}
        self.leads: list[Tag] = []
        self.order: dict[int, int] = {}
        self.dateline: Tag | None = None
        self.author: Tag | None = None

    def walk(self, tag: Tag) -> tuple[int, int, int]:
        chars = links = commas = direct = 0
        for child in tag.children:
            if type(child) is NavigableString:
                n = len(child.strip())
                chars, direct, commas = chars + n, direct + n, commas + child.count(",")
            elif isinstance(child, Tag) and id(child) not in self.junk:
                if is_boilerplate(child) or self.drop.matches(child):
                    self.junk.add(id(child))
                    self._note_junk(child)
                    continue
                c, lk, k = self.walk(child)
                chars, links, commas = chars + c, links + lk, commas + k
        if tag.name == "a":
            links = chars
        self.size[id(tag)] = (chars, links)
        self.order[id(tag)] = len(self.order)
        self._note(tag, chars)
        if chars >= 25 and links < chars / 2 and (tag.name in _PARA_TAGS or direct >= 25):
            self._credit(tag, 1 + commas + min(chars / 100, 3))
        return chars, links, commas

    def _note(self, tag: Tag, chars: int) -> None:
        """Remember lead-classed elements (sapo candidates) and the first date-like element."""
        words = _attrs(tag)
        if not words or not chars:
            return
        if _LEAD_CLASS.search(words) and 40 <= chars:
            self.leads.append(tag)
        if self.dateline is None and _DATE_CLASS.search(words) and chars < 120:
            self.dateline = tag

    def _note_junk(self, tag: Tag) -> None:
        """Bylines are boilerplate for the body but still the author field."""
        if self.author is None and _AUTHOR_CLASS.search(_attrs(tag)):
            self.author = tag

    def _credit(self, tag: Tag, points: float) -> None:
        parent, share = tag.parent, 1.0
        for _ in range(3):
            if parent is None or parent.name in ("html", "[document]"):
                return
            self.score[id(parent)] = self.score.get(id(parent), 0.0) + points * share
            self.nodes[id(parent)] = parent
            parent, share = parent.parent, share / 2

    def best(self) -> Tag | None:
        def final(key: int) -> float:
            chars, links = self.size.get(key, (0, 0))
            node = self.nodes[key]
            bonus = 25 if _POSITIVE.search(_attrs(node)) else 0
            return (self.score[key] + bonus) * (1 - links / max(chars, 1))
        if not self.score:
            return None
        return self.nodes[max(self.score, key=final)]


# ---------------------------------------------------------------- paragraphs

def _container_parts(scorer: Scorer, top: Tag) -> list[Tag]:
    """The top container plus siblings that score nearly as well (split article bodies)."""
    parent = top.parent
    if parent is None:
        return [top]
    threshold = max(10.0, scorer.score.get(id(top), 0) * 0.3)
    parts = []
    for sib in parent.children:
        if not isinstance(sib, Tag) or id(sib) in scorer.junk:
            continue
        chars, links = scorer.size.get(id(sib), (0, 0))
        dense = links / max(chars, 1)
        if sib is top or (scorer.score.get(id(sib), 0) >= threshold and dense < 0.25) or \
                (sib.name == "p" and chars >= 80 and dense < 0.2):
            parts.append(sib)
    return parts


def keep_paragraph(text: str, link_share: float, title: str | None) -> bool:
    if link_share > 0.5:
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


def body_paragraphs(parts: list[Tag], junk: set[int], title: str | None):
    """Filtered paragraphs and data tables of the chosen containers."""
    kept, tables = [], []
    for part in parts:
        paras, found = paragraphs(part, lambda tag: id(tag) in junk)
        kept.extend(t for t, share in paras if keep_paragraph(t, share, title))
        tables.extend(found)
    return strip_trailer(kept), tables


# ---------------------------------------------------------------- fields

def _title(idx: dict, meta: dict) -> str | None:
    if meta["headline"]:
        return meta["headline"]
    page_title = meta["og_title"] or normalize(idx["title"][0].get_text() if idx["title"] else "")
    for h1 in idx["h1"]:
        text = normalize(h1.get_text(" "))
        if text and (not page_title or text in page_title or page_title in text):
            return text
    if page_title:
        return re.split(r"\s+[|\-–—]\s+(?=[^|\-–—]*$)", page_title)[0].strip() or page_title
    return None


def _near(tag: Tag, top: Tag, scorer: Scorer) -> bool:
    """`tag` comes before the article container (or in it) and shares its section of the page."""
    if scorer.order.get(id(tag), 0) > scorer.order.get(id(top), 0):
        return False
    region = top.parent.parent if top.parent is not None and top.parent.parent is not None else top
    return any(parent is region for parent in tag.parents)


def _lead(scorer: Scorer, top: Tag | None, meta: dict, body: list[str]) -> str | None:
    """The sapo: a lead-classed element next to the article (or the one the description quotes),
    else the description when the body starts with it."""
    desc = (meta["description"] or "").rstrip(".… ")
    texts = [(normalize(t.get_text(" ")), t) for t in scorer.leads]
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
        found = dates.parse(stamp.get("datetime") or stamp.get_text(" "))
        if found:
            return found
    if scorer.dateline is not None:
        found = dates.parse_vietnamese(normalize(scorer.dateline.get_text(" ")))
        if found:
            return found
    return _date_near_title(idx)


def _date_near_title(idx: dict) -> str | None:
    """The first date line in the few text nodes around the first h1 (bylines sit there)."""
    if not idx["h1"]:
        return None
    h1 = idx["h1"][0]
    before = [s for s, _ in zip(h1.find_all_previous(string=True), range(12))][::-1]
    after = [s for s, _ in zip(h1.find_all_next(string=True), range(30))]
    for chunk in (after, before):
        for text in (normalize(s) for s in chunk if is_text_node(s)):
            found = dates.parse_vietnamese(text) if len(text) < 80 else None
            if found:
                return found
    return None


def _author(scorer: Scorer, meta: dict) -> str | None:
    if meta["author"]:
        return meta["author"]
    text = normalize(scorer.author.get_text(" ")) if scorer.author is not None else ""
    return text if 0 < len(text) < 80 else None


def _teaser_links(parts: list[Tag], junk: set[int]) -> int:
    """Headline-sized links inside the chosen containers: a listing is made of them."""
    count = 0
    for part in parts:
        for link in part.find_all("a"):
            if len(link.get_text(strip=True)) >= 15 and not any(
                    id(p) in junk for p in link.parents):
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


def clean_generic(soup: BeautifulSoup, idx: dict | None = None) -> dict:
    """Every Clean-contract field but `adapter_used`/`drift`, from page structure alone.

    `paragraphs` is the whole body (lead first); `lead` is the sapo when one was found.
    """
    idx = idx if idx is not None else index(soup)
    meta, drop = metadata(idx), adapters.common_drop()
    scorer = Scorer(drop, drop.select_complex(soup))
    scorer.walk(soup.body or soup)
    top = scorer.best()
    title = _title(idx, meta)
    parts = _container_parts(scorer, top) if top else []
    body, tables = body_paragraphs(parts, scorer.junk, title)
    lead, body = assemble(_lead(scorer, top, meta, body), body)
    chars, links = scorer.size.get(id(top), (1, 0)) if top else (1, 1)
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
