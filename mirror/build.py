"""Build the offline mirror: render ``mirror/articles/<site>/*.json`` into ``mirror/sites/<host>/``.

``python -m mirror.build``          write the generated tree (and delete stale files)
``python -m mirror.build --check``  exit 1 if the committed tree differs from a fresh build

The build is deterministic: no clock, no unseeded randomness. Every "random" choice (related
teasers, reader comments, visitor counters) is derived from a hash of the ids involved, so the
output depends only on ``articles/``, ``templates/`` and ``config/sources.toml``.

Besides the article pages (and their ``<page>.gold.json``) every site gets the discovery pages its
``[[site.discovery]]`` entries name (listing pages with pagination, RSS feeds, sitemaps, per-day
listings), a home page, ``robots.txt`` and a ``404.html`` page body.

Drifted pages (an article source with ``"layout"``, see ``LAYOUTS``) imitate a template change:
the same site's article rendered in a redesigned layout its cleaning adapter does not match. They
are evaluation pages — served at their own URLs with their gold beside them, but linked from no
listing, feed, sitemap, home page or teaser — so the default crawl never meets template drift.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import sys
import tomllib
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup, escape

MIRROR_DIR = Path(__file__).resolve().parent
REPO_DIR = MIRROR_DIR.parent
ARTICLES_DIR = MIRROR_DIR / "articles"
TEMPLATES_DIR = MIRROR_DIR / "templates"
SITES_DIR = MIRROR_DIR / "sites"
SOURCES_TOML = REPO_DIR / "config" / "sources.toml"

GOLD_FIELDS = ("id", "url", "site", "title", "published", "body", "observations", "legal_refs")
# Redesigned article layouts: source "layout" value -> template name under templates/<adapter>/.
LAYOUTS = {"redesign-2025": "article_redesign.html"}
# What a drifted source copies from the article it names in "same_as" (its own id/url stay).
SAME_AS_FIELDS = ("title", "published", "body", "observations", "legal_refs", "author", "section",
                  "captions", "source_line")
GOLD_SUFFIX = ".gold.json"
VN_TZ = timezone(timedelta(hours=7))
# Last-Modified of pages that are not articles, and "now" for the pages that need one.
FIXED_DATE = datetime(2025, 1, 1, 0, 0, tzinfo=timezone.utc)

WEEKDAYS_VI = ["Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật"]

SECTION_NAMES = {
    "chuyen-doi-so": "Chuyển đổi số",
    "chinh-tri-xa-hoi": "Chính trị - Xã hội",
    "chinh-sach-moi": "Chính sách mới",
    "tai-chinh-so": "Tài chính số",
    "tin-tuc-su-kien": "Tin tức - Sự kiện",
    "tin-tuc": "Tin tức",
    "kinh-te": "Kinh tế",
    "thoi-su": "Thời sự",
    "chinh-tri": "Chính trị",
    "xa-hoi": "Xã hội",
    "phap-luat": "Pháp luật",
    "tai-chinh": "Tài chính",
    "nghien-cuu-trao-doi": "Nghiên cứu - Trao đổi",
    "cai-cach-hanh-chinh": "Cải cách hành chính",
    "thanh-tra": "Thanh tra",
    "van-ban": "Văn bản",
}

# Reader comments: every article page shows one or two of these (chosen by hash of its id).
COMMENT_POOL = [
    ("Nguyễn Văn Hùng", "Tôi làm thủ tục đăng ký kinh doanh qua mạng chỉ mất 3 ngày thay vì 15 ngày như trước, "
     "tiết kiệm được gần 2 triệu đồng đi lại. Mong 100% thủ tục sớm làm được như vậy."),
    ("Trần Thị Mai", "Ở xã tôi mới có khoảng 40% người dân biết dùng dịch vụ công trực tuyến, cần thêm "
     "5-7 buổi tập huấn mỗi năm cho bà con."),
    ("Lê Minh Tuấn", "Năm 2023 tôi nộp 4 hồ sơ thì 1 hồ sơ vẫn phải bổ sung bản giấy. Đề nghị bỏ hẳn yêu cầu này."),
    ("Phạm Quốc Bảo", "Ứng dụng VNeID rất tiện, nhưng tuần trước có lúc phải chờ 20 phút mới đăng nhập được."),
    ("Hoàng Thu Hà", "Số liệu 70% nghe thì cao nhưng ở huyện tôi tỷ lệ hồ sơ trực tuyến chắc chỉ 25-30%."),
    ("Đỗ Văn Nam", "Cần công khai chi phí đầu tư: 1.000 tỷ đồng cho một hệ thống mà 2 năm sau lại làm lại."),
]

EXCHANGE_RATES = [
    ("USD", "25.150", "25.480"),
    ("EUR", "26.912,45", "28.389,12"),
    ("JPY", "162,35", "171,84"),
    ("CNY", "3.421", "3.566"),
    ("GBP", "31.502,77", "32.841,06"),
]


class BuildError(Exception):
    """An article source is malformed or does not fit the registry."""


# --------------------------------------------------------------------------------------- helpers
def stable_int(*parts: str) -> int:
    """A deterministic integer from strings (the build's only source of 'randomness')."""
    h = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return int(h[:12], 16)


def url_to_relpath(url: str) -> str:
    """``https://host/path?query`` → ``host/path[index.html][@query]`` (mirror/README.md)."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if path.endswith("/"):
        path += "index.html"
    rel = parts.netloc.lower() + path
    if parts.query:
        rel += "@" + parts.query
    return rel


def http_date(dt: datetime) -> str:
    return format_datetime(dt.astimezone(timezone.utc), usegmt=True)


def parse_published(value: str | None) -> datetime | None:
    if not value:
        return None
    dt = datetime.fromisoformat(value)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=VN_TZ)
    return dt.astimezone(VN_TZ)


def vntime(dt: datetime | None, style: str = "dmy_hm") -> str:
    """Dates as each real site shows them."""
    if dt is None:
        return ""
    if style == "dmy_hm":  # baochinhphu, tapchitaichinh, Liferay: 28/04/2022 08:31
        return dt.strftime("%d/%m/%Y %H:%M")
    if style == "dmy":
        return dt.strftime("%d/%m/%Y")
    if style == "thoidai":  # 06:52 | 11/03/2021 GMT+7
        return dt.strftime("%H:%M | %d/%m/%Y") + " GMT+7"
    if style == "thanhtra":  # Thứ tư, 24/04/2024 - 14:29
        return f"{WEEKDAYS_VI[dt.weekday()]}, {dt.strftime('%d/%m/%Y - %H:%M')}"
    if style == "moha":  # 16/11/2023 | 04:19 AM
        return f"{dt.strftime('%d/%m/%Y')} | {(dt.hour % 12) or 12:02d}:{dt.minute:02d} {'AM' if dt.hour < 12 else 'PM'}"
    if style == "mst":  # 12:14, 19/04/2023
        return dt.strftime("%H:%M, %d/%m/%Y")
    if style == "iso":
        return dt.isoformat()
    if style == "rfc822":
        return format_datetime(dt)
    if style == "w3c":
        return dt.isoformat()
    raise ValueError(style)


def legacy_text(text: str) -> Markup:
    """Text as a legacy CMS writes it: decomposed diacritics (NFD), each non-ASCII character a
    numeric character reference. Readers see the same words; the cleaner must give NFC back."""
    out = []
    for ch in unicodedata.normalize("NFD", str(escape(text))):
        out.append(ch if ord(ch) < 128 else f"&#{ord(ch)};")
    return Markup("".join(out))


def section_name(slug: str | None) -> str:
    if not slug:
        return "Tin tức"
    return SECTION_NAMES.get(slug, slug.replace("-", " ").capitalize())


# ------------------------------------------------------------------------------------ the model
@dataclass
class Article:
    data: dict
    site_id: str
    source_path: Path
    published: datetime | None
    paras: list[str]

    @property
    def id(self) -> str:
        return self.data["id"]

    @property
    def url(self) -> str:
        return self.data["url"]

    @property
    def title(self) -> str:
        return self.data["title"]

    @property
    def lead(self) -> str:
        return self.paras[0] if self.paras else ""

    @property
    def path(self) -> str:
        parts = urlsplit(self.url)
        return parts.path + (("?" + parts.query) if parts.query else "")

    @property
    def section(self) -> str | None:
        sec = self.data.get("section")
        if sec:
            return sec
        segs = [s for s in urlsplit(self.url).path.split("/") if s]
        if len(segs) >= 2 and segs[0] not in ("web", "tin-tuc"):
            return segs[0]
        return None

    def teaser(self) -> dict:
        n = stable_int(self.id)
        return {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "path": self.path,
            "lead": self.lead,
            "published": self.published,
            "thumb": f"/images/thumb/{n % 997:03d}/{hashlib.sha1(self.id.encode()).hexdigest()[:16]}.jpg",
            "site": self.site_id,
            "symbol": self.data.get("symbol") or self.data.get("doc_symbol")
            or ((self.data.get("legal_refs") or [{}])[0].get("symbol") or ""),
        }

    @property
    def layout(self) -> str | None:
        """The redesigned layout of a drifted (evaluation-only) page; None for a listed article."""
        return self.data.get("layout")

    def gold(self) -> dict:
        gold = {k: self.data.get(k) for k in GOLD_FIELDS}
        if self.layout:  # lets scorers report drifted pages apart
            gold["layout"] = self.layout
        return gold


@dataclass
class Site:
    conf: dict
    articles: list[Article] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.conf["id"]

    @property
    def base_url(self) -> str:
        return self.conf["base_url"].rstrip("/")

    @property
    def host(self) -> str:
        return urlsplit(self.conf["base_url"]).netloc.lower()

    @property
    def adapter(self) -> str:
        return self.conf.get("adapter", "generic")

    def sorted_articles(self) -> list[Article]:
        """The listed articles (drifted pages are never linked), newest first; ties broken by id."""
        return [a for a in self.all_pages() if not a.layout]

    def all_pages(self) -> list[Article]:
        """Every article page, drifted ones included, newest first; ties broken by id."""
        return sorted(self.articles, key=lambda a: (-(a.published.timestamp() if a.published else 0), a.id))


@dataclass
class Page:
    url: str
    rel: str  # path under sites/
    kind: str  # article | gold | listing | rss | sitemap | robots | home | 404
    content: bytes
    site_id: str
    last_modified: datetime = FIXED_DATE
    links: list[str] = field(default_factory=list)  # article URLs this discovery page links
    selector: str | None = None  # the registry's `links` selector for listing pages


# ------------------------------------------------------------------------------------- loading
def load_registry(path: Path = SOURCES_TOML) -> dict:
    with open(path, "rb") as fh:
        return tomllib.load(fh)


def load_sites(articles_dir: Path = ARTICLES_DIR, registry_path: Path = SOURCES_TOML) -> list[Site]:
    reg = load_registry(registry_path)
    sites = [Site(conf=dict(s)) for s in reg.get("site", [])]
    by_id = {s.id: s for s in sites}
    seen_urls: dict[str, Path] = {}
    seen_ids: dict[str, Path] = {}
    if articles_dir.is_dir():
        for site_dir in sorted(p for p in articles_dir.iterdir() if p.is_dir()):
            if site_dir.name.startswith((".", "_")):
                continue
            site = by_id.get(site_dir.name)
            if site is None:
                raise BuildError(f"{site_dir}: no [[site]] with id {site_dir.name!r} in {registry_path.name}")
            for src in sorted(site_dir.glob("*.json")):
                art = _load_article(src, site)
                if art.url in seen_urls:
                    raise BuildError(f"{src}: url {art.url} already used by {seen_urls[art.url]}")
                if art.id in seen_ids:
                    raise BuildError(f"{src}: id {art.id} already used by {seen_ids[art.id]}")
                seen_urls[art.url] = src
                seen_ids[art.id] = src
                site.articles.append(art)
    return sites


def _load_article(src: Path, site: Site) -> Article:
    try:
        data = json.loads(src.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise BuildError(f"{src}: not readable JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise BuildError(f"{src}: not a JSON object")
    if data.get("same_as"):
        data = _with_same_as(src, data)
    if data.get("layout") is not None and data["layout"] not in LAYOUTS:
        raise BuildError(f"{src}: unknown layout {data['layout']!r}; known: {', '.join(LAYOUTS)}")
    for key in ("id", "url", "title", "body"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise BuildError(f"{src}: missing or empty {key!r}")
    if data.get("site") not in (None, site.id):
        raise BuildError(f"{src}: site {data.get('site')!r} but the file is under {site.id}/")
    data["site"] = site.id
    data.setdefault("observations", [])
    data.setdefault("legal_refs", [])
    url = data["url"]
    if not re.search(site.conf["article_url"], url):
        raise BuildError(f"{src}: url {url} does not match article_url of {site.id}")
    if urlsplit(url).netloc.lower() != site.host:
        raise BuildError(f"{src}: url host is not {site.host}")
    try:
        published = parse_published(data.get("published"))
    except ValueError as exc:
        raise BuildError(f"{src}: bad published {data.get('published')!r}") from exc
    paras = [p.strip() for p in data["body"].split("\n\n") if p.strip()]
    return Article(data=data, site_id=site.id, source_path=src, published=published, paras=paras)


def _with_same_as(src: Path, data: dict) -> dict:
    """A drifted source's content, copied from the article it names (same site folder)."""
    base_path = src.with_name(f"{data['same_as']}.json")
    try:
        base = json.loads(base_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise BuildError(f"{src}: same_as {data['same_as']!r} not readable at {base_path}: {exc}") from exc
    copied = {k: base[k] for k in SAME_AS_FIELDS if k in base}
    return {**copied, **{k: v for k, v in data.items() if k != "same_as"}}


# ------------------------------------------------------------------------------------ rendering
def make_env(templates_dir: Path = TEMPLATES_DIR) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "xml", "rss"), default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    env.filters["vntime"] = vntime
    env.filters["http_date"] = http_date
    env.filters["section_name"] = section_name
    env.filters["thousands"] = lambda n: f"{n:,}".replace(",", ".")
    env.filters["legacy"] = legacy_text
    return env


def _template(env: jinja2.Environment, adapter: str, name: str) -> jinja2.Template:
    return env.select_template([f"{adapter}/{name}", f"generic/{name}"])


def _source_line(text: str | None) -> str | None:
    if not text:
        return None
    text = text.strip()
    if re.match(r"(?i)^(nguồn|theo)\b", text):
        return text
    return "Nguồn: " + text


def _body_blocks(art: Article) -> list[dict]:
    """Body paragraphs (lead excluded) with figures and one in-body related box interleaved."""
    rest = art.paras[1:]
    n = len(rest)
    captions = art.data.get("captions") or []
    inserts: dict[int, list[dict]] = {}
    for i, cap in enumerate(captions):
        if isinstance(cap, dict):
            text, pos = cap.get("text", ""), cap.get("after")
        else:
            text, pos = str(cap), None
        if pos is None:
            pos = 0 if i == 0 else max(1, round(i * n / len(captions)))
        pos = max(0, min(int(pos), n))
        digest = hashlib.sha1(f"{art.id}/{i}".encode()).hexdigest()[:12]
        inserts.setdefault(pos, []).append(
            {"type": "figure", "caption": text, "src": f"/images/{art.published.year if art.published else 2024}/{digest}.jpg",
             "alt": f"{i + 1}.jpg"}
        )
    blocks: list[dict] = []
    related_at = max(1, (n * 2) // 3) if n >= 2 else n
    for i in range(n + 1):
        for block in inserts.get(i, []):
            blocks.append(block)
        if i == related_at:
            blocks.append({"type": "related"})
        if i < n:
            blocks.append({"type": "p", "text": rest[i]})
    return blocks


def _related(art: Article, site: Site, all_articles: list[Article], k: int = 4) -> list[dict]:
    same = sorted((a for a in site.sorted_articles() if a.id != art.id), key=lambda a: stable_int(art.id, a.id))
    other = sorted((a for a in all_articles if a.site_id != site.id), key=lambda a: stable_int(art.id, a.id))
    return [a.teaser() for a in (same + other)[:k]]


def _latest(site: Site, exclude: str | None = None, k: int = 5) -> list[dict]:
    return [a.teaser() for a in site.sorted_articles() if a.id != exclude][:k]


def _comments(art: Article) -> list[dict]:
    n = stable_int("comments", art.id)
    picks = [COMMENT_POOL[n % len(COMMENT_POOL)]]
    if n % 3:
        picks.append(COMMENT_POOL[(n // 7 + 1 + n % len(COMMENT_POOL)) % len(COMMENT_POOL)])
    base = art.published or FIXED_DATE.astimezone(VN_TZ)
    out = []
    for i, (name, text) in enumerate(picks):
        if i and name == out[0]["name"]:
            continue
        out.append({"name": name, "text": text, "time": base + timedelta(hours=3 + 5 * i, minutes=n % 53)})
    return out


def _counter(seed: str) -> dict:
    n = stable_int("counter", seed)
    return {"online": 100 + n % 900, "today": 5_000 + n % 20_000, "total": 10_000_000 + n % 90_000_000}


def _site_ctx(site: Site, site_articles_teasers: list[dict] | None = None) -> dict:
    return {
        "id": site.id,
        "name": site.conf.get("name", site.id),
        "host": site.host,
        "base_url": site.base_url,
        "area": site.conf.get("area", "Việt Nam"),
        "adapter": site.adapter,
        "rates": EXCHANGE_RATES,
        "counter": _counter(site.id),
    }


def render_article(env: jinja2.Environment, site: Site, art: Article, all_articles: list[Article]) -> bytes:
    tpl = _template(env, site.adapter, LAYOUTS[art.layout] if art.layout else "article.html")
    related = _related(art, site, all_articles)
    legal = art.data.get("legal_refs") or []
    ctx = {
        "site": _site_ctx(site),
        "a": {
            "id": art.id,
            "url": art.url,
            "path": art.path,
            "title": art.title,
            "published": art.published,
            "lead": art.lead,
            "blocks": _body_blocks(art),
            "author": art.data.get("author"),
            "source_line": _source_line(art.data.get("source_line")),
            "section": art.section,
            "section_name": section_name(art.section),
            "legal_refs": legal,
            "symbol": art.data.get("symbol") or art.data.get("doc_symbol") or (legal[0]["symbol"] if legal else ""),
            "doc_type": art.data.get("doc_type") or (legal[0].get("type") if legal else "Văn bản"),
            "issuer": art.data.get("issuer") or "Chính phủ",
            "signer": art.data.get("signer") or "",
            "image": f"/images/{hashlib.sha1(art.id.encode()).hexdigest()[:16]}-og.jpg",
            "num": stable_int(art.id) % 100_000,
        },
        "related": related,
        "inline_related": related[:1],
        "latest": _latest(site, exclude=art.id),
        "comments": _comments(art),
        "counter": _counter(art.id),
    }
    return tpl.render(**ctx).encode("utf-8")


def render_listing(env: jinja2.Environment, site: Site, *, kind: str, title: str, url: str,
                   items: list[Article], pagination: list[dict], all_articles: list[Article],
                   section: str | None = None) -> bytes:
    tpl = _template(env, site.adapter, "listing.html")
    item_ids = {a.id for a in items}
    featured = [a.teaser() for a in sorted(all_articles, key=lambda a: stable_int(url, a.id))
                if a.site_id == site.id and a.id not in item_ids][:4]
    if len(featured) < 3:  # a small site: fill the "most read" box from the others
        featured += [a.teaser() for a in sorted(all_articles, key=lambda a: stable_int(url, a.id))
                     if a.site_id != site.id][: 4 - len(featured)]
    ctx = {
        "site": _site_ctx(site),
        "kind": kind,
        "title": title,
        "url": url,
        "path": urlsplit(url).path + (("?" + urlsplit(url).query) if urlsplit(url).query else ""),
        "items": [a.teaser() for a in items],
        "pagination": pagination,
        "featured": featured,
        "section": section,
        "section_name": section_name(section),
        "counter": _counter(url),
    }
    return tpl.render(**ctx).encode("utf-8")


# ------------------------------------------------------------------------------- per-site pages
def _page_size(n: int, max_pages: int) -> int:
    """Small pages so that every listing has at least two pages (when it has two articles)."""
    return max(1, math.ceil(n / max(1, max_pages)), math.ceil(n / 3))


def _listing_pages(env: jinja2.Environment, site: Site, disc: dict, all_articles: list[Article]) -> list[Page]:
    template_url = disc["url"]
    max_pages = int(disc.get("max_pages", 5))
    first = int(disc.get("first_page", 1))
    step = int(disc.get("step", 1))
    path = urlsplit(template_url.replace("{page}", "1").replace("{offset}", "0")).path
    fragment = "/timelinelist/" in path or path.endswith("/loadmore")
    arts = site.sorted_articles()
    section = None
    segs = [s for s in path.split("/") if s]
    if path.endswith("/loadmore") and segs:
        # A section's "load more" endpoint lists that section only (its URLs carry the section).
        section = segs[0]
        arts = [a for a in arts if a.section == section]
    elif segs:
        cand = re.sub(r"(\.html?|&BRSR=.*)$", "", segs[-1])
        if cand in SECTION_NAMES:
            section = cand
    size = _page_size(len(arts), max_pages)
    n_pages = max(1, math.ceil(len(arts) / size))
    urls = [template_url.format(page=first + k * step, offset=first + k * step) for k in range(max_pages)]
    pages = []
    for k in range(max_pages):
        chunk = arts[k * size:(k + 1) * size]
        pagination = [{"label": str(j + 1), "url": urls[j], "path": _path_q(urls[j]), "current": j == k}
                      for j in range(min(n_pages, max_pages))]
        title = section_name(section) if section else "Tin tức"
        content = render_listing(env, site, kind="fragment" if fragment else "listing", title=title,
                                 url=urls[k], items=chunk, pagination=pagination,
                                 all_articles=all_articles, section=section)
        pages.append(Page(url=urls[k], rel=url_to_relpath(urls[k]), kind="listing", content=content,
                          site_id=site.id, links=[a.url for a in chunk], selector=disc.get("links"),
                          last_modified=_newest(chunk)))
    return pages


def _daily_pages(env: jinja2.Environment, site: Site, disc: dict, all_articles: list[Article]) -> list[Page]:
    template_url = disc["url"]
    by_day: dict = {}
    for a in site.sorted_articles():
        if a.published:
            by_day.setdefault(a.published.date(), []).append(a)
    days = sorted(by_day, reverse=True)
    pages = []
    for i, day in enumerate(days):
        dt = datetime(day.year, day.month, day.day, tzinfo=VN_TZ)
        url = template_url.format(date=dt)
        nav = []
        if i + 1 < len(days):
            older = days[i + 1]
            u = template_url.format(date=datetime(older.year, older.month, older.day))
            nav.append({"label": "« Ngày trước", "url": u, "path": _path_q(u), "current": False})
        if i > 0:
            newer = days[i - 1]
            u = template_url.format(date=datetime(newer.year, newer.month, newer.day))
            nav.append({"label": "Ngày sau »", "url": u, "path": _path_q(u), "current": False})
        content = render_listing(env, site, kind="daily", title=f"Tin tức ngày {dt.strftime('%d/%m/%Y')}",
                                 url=url, items=by_day[day], pagination=nav, all_articles=all_articles)
        pages.append(Page(url=url, rel=url_to_relpath(url), kind="listing", content=content, site_id=site.id,
                          links=[a.url for a in by_day[day]], selector=disc.get("links"),
                          last_modified=_newest(by_day[day])))
    return pages


def _path_q(url: str) -> str:
    p = urlsplit(url)
    return p.path + (("?" + p.query) if p.query else "")


def _newest(arts: list[Article]) -> datetime:
    times = [a.published for a in arts if a.published]
    return max(times) if times else FIXED_DATE


def _feed_articles(site: Site, url: str) -> list[Article]:
    arts = site.sorted_articles()
    name = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
    name = re.sub(r"\.rss$", "", name)
    if name in ("rss", "home", "tin-moi-nhat", ""):
        return arts
    picked = [a for a in arts if a.section == name]
    if not picked:  # a policy feed: the articles that cite legal documents
        picked = [a for a in arts if a.data.get("legal_refs")]
    return picked or arts


def _rss_page(env: jinja2.Environment, site: Site, url: str) -> Page:
    arts = _feed_articles(site, url)
    name = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".rss")
    content = env.get_template("_shared/rss.xml").render(
        site=_site_ctx(site), url=url, items=[a.teaser() for a in arts],
        channel_title=site.conf.get("name", site.id) + ("" if name in ("rss", "home") else " - " + section_name(name)),
        build_date=_newest(arts),
    ).encode("utf-8")
    return Page(url=url, rel=url_to_relpath(url), kind="rss", content=content, site_id=site.id,
                links=[a.url for a in arts], last_modified=_newest(arts))


def _sitemap_page(env: jinja2.Environment, site: Site, url: str) -> Page:
    arts = site.sorted_articles()
    content = env.get_template("_shared/sitemap.xml").render(
        site=_site_ctx(site), items=[a.teaser() for a in arts], home_lastmod=_newest(arts),
    ).encode("utf-8")
    return Page(url=url, rel=url_to_relpath(url), kind="sitemap", content=content, site_id=site.id,
                links=[a.url for a in arts], last_modified=_newest(arts))


ROBOTS_EXTRA = {
    # One site asks for a crawl delay; the others only keep crawlers out of private sections.
    "tapchitaichinh.vn": ["Crawl-delay: 1"],
}
ROBOTS_DISALLOW = {
    "baochinhphu.vn": ["/admin/", "/search", "/tim-kiem.htm", "/api/"],
    "chinhphu.vn": ["/admin/", "/Pages/Search", "/upload/private/"],
    "thanhtra.com.vn": ["/admin/", "/search", "/tim-kiem", "/user/"],
    "thoidai.com.vn": ["/admin/", "/search", "/cms/"],
    "tapchitaichinh.vn": ["/admin/", "/search", "/tim-kiem.html"],
    "mst.gov.vn": ["/admin/", "/search", "/Pages/Login.aspx"],
    "bacgiang.gov.vn": ["/c/", "/group/", "/web/guest/tim-kiem", "/admin/"],
    "moha.gov.vn": ["/admin/", "/search", "/Uploads/private/"],
}


def _robots_page(site: Site, sitemap_urls: list[str]) -> Page:
    lines = ["# robots.txt for " + site.host, "User-agent: *"]
    for d in ROBOTS_DISALLOW.get(site.id, ["/admin/", "/search"]):
        lines.append("Disallow: " + d)
    lines.append("Allow: /")
    lines += ROBOTS_EXTRA.get(site.id, [])
    lines += ["", "User-agent: BadBot", "Disallow: /", ""]
    for u in sitemap_urls:
        lines.append("Sitemap: " + u)
    url = site.base_url + "/robots.txt"
    return Page(url=url, rel=url_to_relpath(url), kind="robots",
                content=("\n".join(lines) + "\n").encode("utf-8"), site_id=site.id)


def build_site(env: jinja2.Environment, site: Site, all_articles: list[Article]) -> list[Page]:
    pages: list[Page] = []
    for art in site.all_pages():
        rel = url_to_relpath(art.url)
        pages.append(Page(url=art.url, rel=rel, kind="article", site_id=site.id,
                          content=render_article(env, site, art, all_articles),
                          last_modified=art.published or FIXED_DATE))
        gold = json.dumps(art.gold(), ensure_ascii=False, indent=2) + "\n"
        pages.append(Page(url=art.url, rel=rel + GOLD_SUFFIX, kind="gold", site_id=site.id,
                          content=gold.encode("utf-8"), last_modified=art.published or FIXED_DATE))
    sitemap_urls: list[str] = []
    for disc in site.conf.get("discovery", []):
        kind = disc.get("kind")
        if kind == "listing":
            pages += _listing_pages(env, site, disc, all_articles)
        elif kind == "daily_listing":
            pages += _daily_pages(env, site, disc, all_articles)
        elif kind == "rss":
            pages += [_rss_page(env, site, u) for u in disc.get("urls", [])]
        elif kind == "sitemap":
            for u in disc.get("urls", []):
                pages.append(_sitemap_page(env, site, u))
                sitemap_urls.append(u)
        else:
            raise BuildError(f"{site.id}: unknown discovery kind {kind!r}")
    default_sitemap = site.base_url + "/sitemap.xml"
    if default_sitemap not in sitemap_urls:  # a sitemap is fine for every site
        pages.append(_sitemap_page(env, site, default_sitemap))
        sitemap_urls.append(default_sitemap)
    pages.append(_robots_page(site, sitemap_urls))
    home = site.base_url + "/"
    arts = site.sorted_articles()
    pages.append(Page(url=home, rel=url_to_relpath(home), kind="home", site_id=site.id,
                      content=render_listing(env, site, kind="home", title="Trang chủ", url=home,
                                             items=arts[:12], pagination=[], all_articles=all_articles),
                      links=[a.url for a in arts[:12]], last_modified=_newest(arts)))
    nf = site.base_url + "/404.html"
    pages.append(Page(url=nf, rel=url_to_relpath(nf), kind="404", site_id=site.id,
                      content=render_listing(env, site, kind="404", title="Không tìm thấy trang", url=nf,
                                             items=[], pagination=[], all_articles=all_articles)))
    return pages


def build_pages(articles_dir: Path = ARTICLES_DIR, templates_dir: Path = TEMPLATES_DIR,
                registry_path: Path = SOURCES_TOML) -> list[Page]:
    """Every generated file, in memory (the tests use this as the manifest of the mirror)."""
    sites = load_sites(articles_dir, registry_path)
    env = make_env(templates_dir)
    all_articles = [a for s in sites for a in s.sorted_articles()]
    pages: list[Page] = []
    for site in sites:
        pages += build_site(env, site, all_articles)
    rels: dict[str, str] = {}
    for p in pages:
        if p.rel in rels:
            raise BuildError(f"two pages at {p.rel}: {rels[p.rel]} and {p.url}")
        rels[p.rel] = p.url
    # A file cannot also be a directory.
    for rel in rels:
        parts = rel.split("/")
        for i in range(1, len(parts)):
            if "/".join(parts[:i]) in rels:
                raise BuildError(f"{'/'.join(parts[:i])} is both a page and a directory (of {rel})")
    return pages


# ------------------------------------------------------------------------------ write / check
def _existing_files(out_dir: Path) -> dict[str, Path]:
    if not out_dir.is_dir():
        return {}
    return {p.relative_to(out_dir).as_posix(): p for p in out_dir.rglob("*") if p.is_file()}


def diff(pages: list[Page], out_dir: Path = SITES_DIR) -> list[str]:
    """Human-readable differences between the pages and the tree on disk."""
    existing = _existing_files(out_dir)
    wanted = {p.rel: p for p in pages}
    problems = []
    for rel, page in sorted(wanted.items()):
        f = existing.get(rel)
        if f is None:
            problems.append(f"missing: {rel}")
        elif f.read_bytes() != page.content:
            problems.append(f"differs: {rel}")
    for rel in sorted(set(existing) - set(wanted)):
        problems.append(f"stale: {rel}")
    return problems


def write(pages: list[Page], out_dir: Path = SITES_DIR) -> tuple[int, int]:
    """Write changed pages, delete stale ones. Returns (written, deleted)."""
    existing = _existing_files(out_dir)
    wanted = {p.rel: p for p in pages}
    deleted = 0
    for rel in sorted(set(existing) - set(wanted)):
        existing[rel].unlink()
        deleted += 1
    written = 0
    for rel, page in sorted(wanted.items()):
        target = out_dir / rel
        if target.is_file() and target.read_bytes() == page.content:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(page.content)
        written += 1
    # remove empty directories left behind
    if out_dir.is_dir():
        for d in sorted((p for p in out_dir.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
            if not any(d.iterdir()):
                d.rmdir()
    return written, deleted


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m mirror.build", description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if mirror/sites is not up to date")
    ap.add_argument("--out", type=Path, default=SITES_DIR, help="output directory (default mirror/sites)")
    args = ap.parse_args(argv)
    try:
        pages = build_pages()
    except BuildError as exc:
        print(f"mirror.build: {exc}", file=sys.stderr)
        return 2
    if args.check:
        problems = diff(pages, args.out)
        if problems:
            print(f"mirror.build --check: {len(problems)} file(s) out of date "
                  f"(run python -m mirror.build):", file=sys.stderr)
            for line in problems[:50]:
                print("  " + line, file=sys.stderr)
            return 1
        print(f"mirror up to date: {len(pages)} files")
        return 0
    written, deleted = write(pages, args.out)
    counts: dict[str, dict[str, int]] = {}
    for p in pages:
        counts.setdefault(p.site_id, {}).setdefault(p.kind, 0)
        counts[p.site_id][p.kind] += 1
    for site_id, c in counts.items():
        print(f"{site_id:20s} " + " ".join(f"{k}={v}" for k, v in sorted(c.items())))
    print(f"{len(pages)} files; {written} written, {deleted} deleted")
    return 0


if __name__ == "__main__":
    sys.exit(main())
