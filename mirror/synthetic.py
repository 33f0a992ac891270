"""A synthetic corpus for scale: any number of realistic articles, rendered on request.

Why it exists: the hand-written mirror has a few dozen articles; benchmarks and scale tests need
thousands to millions, and they need to know the right answer for every one of them. So the
generator writes each figure itself (from the phrase bank in ``mirror/synthetic.yaml``) and keeps
what it wrote as the gold answer (shared/spec/observations.md): value, kind, qualifier,
indicator, area, as_of, period_start, text, plus the legal references it cited.

Why nothing is stored: article ``i`` is a pure function of ``(seed, i, n_articles, body_chars)``
(its own ``random.Random``), so memory stays flat whatever ``n`` (a small LRU cache keeps the pages a
crawler asks for together). URLs encode the index, so a request maps back to ``(site, i)``
without a table; listings, RSS feeds, a sitemap index with child sitemaps and daily listings are
computed from index arithmetic. Pages are rendered through the real mirror's Jinja2 templates
(``mirror.build``), so the cleaner meets the same page furniture as on the mirror.

Discovery follows ``config/sources.toml`` exactly: every registry discovery entry of a site is
served (listing pages hold ``ceil(articles / max_pages)`` links each, so a site's listing alone
finds all of its articles), and ``/sitemap.xml`` (plus any sitemap the registry names) is a
sitemap index over ``/sitemaps/articles-<k>.xml`` of ``sitemap_chunk`` URLs each.

    with SyntheticServer(SyntheticCorpus(10_000, seed=1)) as url:   # egov refresh --mirror url
        ...

Why ``body_chars``: the generated bodies are short (~950 characters: the figures and a few
fillers), real articles on these sites ~6,200. Storage, cleaning, extraction and publishing cost
with the text, so a benchmark of short bodies understates a real corpus (a publish that ran out
of memory on real-length text was found only by hand). ``SyntheticCorpus(n, seed,
body_chars=6200)`` inserts background paragraphs (``background`` in the YAML: context, officials'
words, aims; no figure, time, place or legal reference) between the figure paragraphs until the
body reaches the length. They come from a random stream of their own, so the gold
(observations, legal references) and everything else of the article are what they are without
the option; only ``body`` grows. With ``body_chars=None`` the corpus is byte for byte the short one.

CLI: ``python -m mirror.synthetic --articles 10000 --seed 1 --port 8766 [--body-chars 6200]``.
"""
from __future__ import annotations

import argparse
import calendar
import functools
import hashlib
import math
import random
import re
import threading
import unicodedata
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from mirror import build

DATA_PATH = Path(__file__).resolve().parent / "synthetic.yaml"
ROMAN = ["I", "II", "III", "IV"]
QUALIFIER_WORDS = {"exact": [""], "at_least": ["hơn ", "trên "], "approx": ["khoảng ", "gần "],
                   "at_most": ["dưới "]}
HTML = "text/html; charset=utf-8"
XML = "application/xml; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"
TEXT = "text/plain; charset=utf-8"


@functools.cache
def load_data(path: Path = DATA_PATH) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# ------------------------------------------------------------------------------- writing numbers
def _decimal(x: float, places: int, dot: bool = False) -> str:
    """Vietnamese decimal: "87,5" (or "87.5" on a site that writes a decimal dot)."""
    text = f"{x:.{places}f}".rstrip("0").rstrip(".") if places else f"{x:.0f}"
    return text.replace(".", "." if dot else ",")


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def _figure(rng: random.Random, spec: dict, scope: str, dot: bool) -> dict:
    """(text as written, value, denominator) of one figure, drawn from its spec."""
    style = rng.choice(spec["style"])
    lo, hi = spec.get(scope) or spec.get("national") or spec.get("province") or [0, 0]
    x = rng.uniform(float(lo), float(hi))  # PyYAML reads "70e6" as a string
    den = None
    if style in ("million", "thousand"):  # nobody writes "0,81 triệu" or "5978 nghìn"
        style = "million" if x >= 1e6 else "thousand" if x >= 1e4 else "exact"
    if style == "million":
        m = round(x / 1e6, rng.choice([1, 2]))
        text, value = _decimal(m, 2, dot) + " triệu", round(m * 1e6)
    elif style == "billion":
        m = round(x / 1e9, rng.choice([1, 2]))
        text, value = _decimal(m, 2, dot) + " tỷ", round(m * 1e9)
    elif style == "exact":
        value = int(x)
        text = _thousands(value)
    elif style == "thousand":
        k = max(1, round(x / 1e3))
        text, value = f"{k} {rng.choice(['nghìn', 'ngàn'])}", k * 1000
    elif style == "small":
        value = max(1, int(x))
        text = str(value)
    elif style == "percent":
        p = min(round(x, rng.choice([0, 1, 1, 2])), 100)
        text, value = _decimal(p, 2, dot) + "%", _number(p)
    elif style == "money_ty":
        ty = x / 1e9
        if ty >= 1000:
            ty = round(ty, -1)
            text = _thousands(int(ty)) + " tỷ đồng"
        else:
            ty = round(ty, 1)
            text = _decimal(ty, 1, dot) + " tỷ đồng"
        value = round(ty * 1e9)
    elif style == "money_nghin_ty":
        t = round(x / 1e12, 1)
        text, value = _decimal(t, 1, dot) + " nghìn tỷ đồng", round(t * 1e12)
    elif style in ("ratio", "rank"):
        den = rng.choice(spec["den"])
        if style == "ratio":
            share = rng.uniform(*spec["share"])
            value = min(den, max(1, round(den * share)))
        else:
            value = int(x)
        text = f"{value}/{den}"
    elif style == "steps":
        value = int(x)
        text = f"{value} bậc"
    elif style == "multiple":
        m = round(x, 1)
        text, value = _decimal(m, 1, dot) + " lần", _number(m)
    else:
        raise ValueError(f"mirror/synthetic.yaml: unknown figure style {style!r}")
    return {"text": text, "value": _number(value), "denominator": den}


# ------------------------------------------------------------------------------- time phrases
def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _prev_month(d: date) -> tuple[int, int]:
    return (d.year, d.month - 1) if d.month > 1 else (d.year - 1, 12)


def _last_quarter(d: date) -> tuple[int, int]:
    q = (d.month - 1) // 3  # quarters completed this year
    return (d.year, q) if q else (d.year - 1, 4)


def _time_phrase(rng: random.Random, cls: str, pub: date) -> tuple[str, date | None, date | None]:
    """(phrase, as_of, period_start) of a time expression ending before `pub` (spec rules 1-4)."""
    if cls == "year_flow":  # "Năm 2024, tỉnh tiếp nhận …": a bare year before a flow verb
        y = pub.year - 1
        return f"Năm {y}", date(y, 12, 31), date(y, 1, 1)
    if cls == "point":
        pick = rng.randrange(3)
        if pick == 0:
            d = pub - timedelta(days=rng.randint(1, 45))
            word = rng.choice(["Đến ngày", "Tính đến ngày", "Tính đến hết ngày"])
            return f"{word} {d.day}/{d.month}/{d.year}", d, None
        if pick == 1:
            y, q = _last_quarter(pub)
            return f"Tính đến hết quý {ROMAN[q - 1]} năm {y}", _month_end(y, 3 * q), None
        y, m = _prev_month(pub)
        return f"Đến hết tháng {m}/{y}", _month_end(y, m), None
    pick = rng.randrange(4)
    y, m = _prev_month(pub)
    if pick == 0 and y == pub.year and m >= 2:
        return f"Trong {m} tháng đầu năm {y}", _month_end(y, m), date(y, 1, 1)
    if pick == 1:
        return f"Riêng tháng {m}/{y}", _month_end(y, m), date(y, m, 1)
    if pick == 2:
        y, q = _last_quarter(pub)
        return f"Trong quý {ROMAN[q - 1]} năm {y}", _month_end(y, 3 * q), date(y, 3 * q - 2, 1)
    return f"Trong năm {pub.year - 1}", date(pub.year - 1, 12, 31), date(pub.year - 1, 1, 1)


# ------------------------------------------------------------------------------- text helpers
def slugify(text: str, limit: int = 90) -> str:
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _low(s: str) -> str:
    return s[:1].lower() + s[1:]


def _vn_date(d: date) -> str:
    return f"{d.day}/{d.month}/{d.year}"


# ------------------------------------------------------------------------------- one article
class _Writer:
    """Writes one article and records every figure it writes (the gold)."""

    def __init__(self, data: dict, rng: random.Random, pub: datetime, place: tuple[str, str] | None,
                 dot: bool):
        self.data, self.rng, self.pub, self.place, self.dot = data, rng, pub, place, dot
        self.observations: list[dict] = []
        self.legal: list[dict] = []

    @property
    def area(self) -> str:
        return self.place[0] if self.place else "Việt Nam"

    def fact(self, fact: dict, scope: str, place: tuple[str, str] | None) -> tuple[str, dict]:
        """One fact sentence (no final stop) and its figures' rendered pieces."""
        rng = self.rng
        template = rng.choice(fact[scope])
        cls = rng.choice(fact["time"])
        phrase, as_of, start = _time_phrase(rng, cls, self.pub.date()) if cls != "none" else ("", None, None)
        if "{t}" in template:  # the time phrase comes after the figures: it governs none (rule 5)
            phrase, as_of, start = _low(phrase), None, None
        figures = {}
        for key in ("X", "Y"):
            if "{" + key + "}" in template:
                spec = fact[key]
                fig = _figure(rng, spec, scope, self.dot)
                qual = rng.choice(spec["qual"])
                fig["qualifier"] = qual
                fig["written"] = rng.choice(QUALIFIER_WORDS[qual]) + fig["text"]
                figures[key] = (spec, fig)
        other = self._other_province(place)
        pp = f"{place[1]} {place[0]}" if place else ""
        text = template.format(T=phrase or "{T}", t=phrase, P=place[0] if place else "", PP=pp, Q=other[0],
                               **{k: f["written"] for k, (_, f) in figures.items()})
        if not phrase:
            text = _cap(text.replace("{T}, ", ""))
        if scope == "national" and self.place:  # a province article: say the figure is national
            text = "Trên phạm vi toàn quốc, " + _low(text)
        for spec, fig in figures.values():
            area = other[0] if spec.get("area") == "second" else place[0] if scope == "province" else "Việt Nam"
            self._observe(spec, fig, area, as_of, start, text)
        return text, {k: f for k, (_, f) in figures.items()}

    def _other_province(self, place: tuple[str, str] | None) -> tuple[str, str]:
        choices = [tuple(p) for p in self.data["provinces"] if not place or p[0] != place[0]]
        return self.rng.choice(choices)

    def _observe(self, spec: dict, fig: dict, area: str, as_of: date | None, start: date | None,
                 sentence: str) -> None:
        change, average = bool(spec.get("change")), bool(spec.get("average"))
        flow = spec["kind"] in ("count", "money") and not change and not average
        self.observations.append({
            "value": fig["value"], "denominator": fig["denominator"], "kind": spec["kind"],
            "change": change, "qualifier": fig["qualifier"],
            "indicator": None if average else spec.get("indicator"), "area": area,
            "as_of": (as_of or self.pub.date()).isoformat(),
            "period_start": start.isoformat() if start and flow else None, "text": fig["text"],
            "_sentence": sentence,
        })

    def filler(self) -> str:
        rng = self.rng
        pool = self.data["fillers"] + (self.data["province_fillers"] if self.place else [])
        day = self.pub.date() - timedelta(days=rng.randint(1, 5))
        pp = f"{self.place[1]} {self.place[0]}" if self.place else ""
        return rng.choice(pool).format(D=f"{day.day}/{day.month}", K=rng.randint(3, 12), PP=pp,
                                       CITY=self.place[0] if self.place else "Hà Nội")

    def legal_sentence(self) -> str | None:
        docs = [d for d in self.data["legal"] if not d["issued"] or date.fromisoformat(d["issued"]) < self.pub.date()]
        docs = [d for d in docs if d["symbol"] not in {r["symbol"] for r in self.legal}]
        if not docs:
            return None
        doc = self.rng.choice(docs)
        self.legal.append({"symbol": doc["symbol"], "type": doc["type"], "issued": doc["issued"]})
        forms = self.data["legal_sentences"]
        if doc["issued"]:
            return forms["dated"].format(type=doc["type"], symbol=doc["symbol"], by=doc["by"],
                                         issued=_vn_date(date.fromisoformat(doc["issued"])))
        return forms["undated"].format(name=doc["name"], symbol=doc["symbol"])


def _facts_for(data: dict, place: tuple[str, str] | None) -> list[tuple[dict, str]]:
    """(fact, scope) pairs an article about `place` (None: the whole country) may state."""
    out = []
    for fact in data["facts"]:
        if place is not None and "province" in fact:
            out.append((fact, "province"))
        elif place is None and "national" in fact:
            out.append((fact, "national"))
    return out


def write_article(data: dict, rng: random.Random, pub: datetime, place: tuple[str, str] | None,
                  dot: bool, document: dict | None = None) -> dict:
    """Title, body (lead + paragraphs), observations and legal references of one article."""
    w = _Writer(data, rng, pub, place, dot)
    own = _facts_for(data, place)
    rng.shuffle(own)
    extra = [(f, "national") for f in data["facts"] if "national" in f] if place else \
        [(f, "province") for f in data["facts"] if "province" in f]
    n_facts = rng.randint(3, 6)
    chosen = own[:n_facts]
    if rng.random() < 0.5:  # a figure about somewhere else: the country, or another province
        used = {f["id"] for f, _ in chosen}
        others = [x for x in extra if x[0]["id"] not in used]
        if others:
            chosen.append(rng.choice(others))
    sentences = []
    for fact, scope in chosen:
        where = place
        if scope == "province" and place is None:
            where = tuple(rng.choice(data["provinces"]))
        text, figs = w.fact(fact, scope, where)
        sentences.append((text, fact, figs))
    lead_text, lead_fact, lead_figs = sentences[0]
    title = _title(data, rng, place, lead_fact, lead_figs, document)
    lead = lead_text + ". " + w.filler()
    if document:
        lead = (f"{document['type']} số {document['symbol']} ngày {_vn_date(pub.date())} của Thủ tướng "
                f"Chính phủ {document['topic']}. " + lead_text + ".")
        w.legal.append({"symbol": document["symbol"], "type": document["type"], "issued": pub.date().isoformat()})
    paras = [lead]
    body_sentences = [s for s, _, _ in sentences[1:]]
    fillers = [f for f in dict.fromkeys(w.filler() for _ in range(rng.randint(1, 3))) if f not in lead]
    legal = [s for s in (w.legal_sentence() for _ in range(rng.randint(0, 2))) if s]
    pieces = [s + "." for s in body_sentences] + fillers + legal
    rng.shuffle(pieces)
    while pieces:
        k = rng.randint(1, 2)
        paras.append(" ".join(pieces[:k]))
        pieces = pieces[k:]
    if lead_text.startswith(("Đến", "Tính", "Trong", "Riêng")) and rng.random() < 0.4:
        paras.append("Như vậy, " + _low(lead_text) + ".")  # the lead's fact restated: one observation
    body = "\n\n".join(paras)
    return {"title": title, "paras": paras, "observations": _reading_order(body, w.observations),
            "legal_refs": w.legal}


def _reading_order(body: str, observations: list[dict]) -> list[dict]:
    """Gold in the order a reader meets the figures (scorers use order to break ties)."""
    def where(obs: dict) -> tuple[int, int]:
        at = body.find(obs.pop("_sentence"))
        return at, body.find(obs["text"], max(at, 0))
    keyed = [(where(o), n, o) for n, o in enumerate(observations)]
    return [o for _, _, o in sorted(keyed, key=lambda t: (t[0], t[1]))]


def _title(data: dict, rng: random.Random, place, fact: dict, figs: dict, document: dict | None) -> str:
    where = place[0] if place else "Cả nước"
    if document:
        return f"{document['type']} {document['symbol']} {document['topic']}"
    if fact.get("title") and "X" in figs and rng.random() < 0.6:
        written, text = figs["X"]["written"], figs["X"]["text"]
        millions = figs["X"]["value"] / 1e6
        if text.endswith(" triệu") and millions >= 2 and not millions.is_integer() and rng.random() < 0.5:
            written = f"hơn {int(millions)} triệu"  # a headline rounds: "Hơn 87 triệu" for 87,52 triệu
        title = rng.choice(fact["title"]).format(X=written, Pt=where)
        return _cap(title)
    return _cap(rng.choice(data["plain_titles"]).format(Pt=place[0] if place else "các bộ, ngành, địa phương"))


# ------------------------------------------------------------------------------- real length
_SLOT = re.compile(r"\{(\w+)\}")


def _background_sentence(slots: dict, rng: random.Random, template: str) -> str:
    """A template with its slots filled; a slot written capitalised ({Who}) is capitalised."""
    def fill(m: re.Match) -> str:
        value = rng.choice(slots[m.group(1).lower()])
        return _cap(value) if m.group(1)[0].isupper() else value
    return _SLOT.sub(fill, template)


def pad_paragraphs(data: dict, rng: random.Random, paras: list[str], body_chars: int) -> list[str]:
    """`paras` with background paragraphs inserted after the lead, among the figure paragraphs, until
    the body ("\n\n"-joined) holds at least `body_chars` characters. A paragraph is 3-4 templates
    no other paragraph of the article uses (until the bank runs out), so no paragraph repeats."""
    bank = data["background"]
    templates, unused = bank["sentences"], []
    size, extra = len("\n\n".join(paras)), []
    while size < body_chars:
        k = rng.randint(3, 4)  # two would do, but two template sentences without slots repeat
        if len(unused) < k:
            unused += rng.sample(templates, len(templates))
        picked, unused = unused[:k], unused[k:]
        extra.append(" ".join(_background_sentence(bank["slots"], rng, t) for t in picked))
        size += len(extra[-1]) + 2
    at = sorted(rng.randint(1, len(paras)) for _ in extra)  # before paras[at]; the lead stays first
    out, j = [], 0
    for n, para in enumerate(paras):
        while j < len(extra) and at[j] == n:
            out.append(extra[j])
            j += 1
        out.append(para)
    return out + extra[j:]


# ------------------------------------------------------------------------------- the corpus
class SyntheticCorpus:
    """`n_articles` articles spread over the registry's sites, round robin (article i belongs to
    site i % sites). Everything is derived from `(seed, i)`; nothing is stored. `body_chars`:
    lengthen every body to at least that many characters with background prose (module docstring)."""

    def __init__(self, n_articles: int, seed: int = 0, registry: Path | None = None, data: Path = DATA_PATH,
                 body_chars: int | None = None):
        if n_articles < 0 or n_articles >= 10**8:
            raise ValueError(f"SyntheticCorpus: n_articles must be in [0, 1e8), got {n_articles}")
        if body_chars is not None and not 0 < body_chars <= 1_000_000:
            raise ValueError(f"SyntheticCorpus: body_chars must be in (0, 1e6], got {body_chars}")
        self.n, self.seed, self.body_chars = n_articles, seed, body_chars
        self.data = load_data(data)
        reg = build.load_registry(registry or build.SOURCES_TOML)
        confs = [s for s in reg["site"] if s["id"] in self.data["sites"]]
        self.sites = [build.Site(conf=dict(c)) for c in confs]
        self.site_conf = [self.data["sites"][c["id"]] for c in confs]
        self.by_host = {s.host: k for k, s in enumerate(self.sites)}
        self.env = build.make_env()
        self.newest = datetime.fromisoformat(self.data["newest"])
        self._path_re = [_path_regex(c["path"]) for c in self.site_conf]
        self._routes = [_discovery_routes(s.conf, self.count(k)) for k, s in enumerate(self.sites)]
        self._article = functools.lru_cache(maxsize=4096)(self._make_article)

    # -- index arithmetic
    def count(self, k: int) -> int:
        """Articles of site k."""
        s = len(self.sites)
        return max(0, (self.n - k + s - 1) // s)

    def site_of(self, i: int) -> int:
        return i % len(self.sites)

    def index(self, k: int, j: int) -> int:
        """Global index of site k's j-th newest article."""
        return j * len(self.sites) + k

    def _spacing(self, k: int) -> timedelta:
        return timedelta(days=self.data["span_days"]) / max(1, self.count(k))

    def published(self, i: int) -> datetime:
        k, j = self.site_of(i), i // len(self.sites)
        spacing = self._spacing(k)
        jitter = (_stable(self.seed, "jitter", i) % 1000) / 2000  # < half a spacing: order is kept
        t = self.newest - spacing * (j + jitter)
        return t.replace(second=0, microsecond=0)

    def on_day(self, k: int, day: date) -> list[int]:
        """Site k's articles published on `day` (local time), newest first."""
        spacing = self._spacing(k).total_seconds()
        start = datetime(day.year, day.month, day.day, tzinfo=self.newest.tzinfo)
        lo = max(0, int((self.newest - (start + timedelta(days=1))).total_seconds() // spacing) - 1)
        hi = min(self.count(k), int((self.newest - start).total_seconds() // spacing) + 2)
        out = [self.index(k, j) for j in range(lo, hi)]
        return [i for i in out if self.published(i).date() == day]

    # -- articles
    def article(self, i: int) -> dict:
        if not 0 <= i < self.n:
            raise IndexError(f"article {i} outside the corpus of {self.n}")
        return self._article(i)

    def _make_article(self, i: int) -> dict:
        k = self.site_of(i)
        site, conf = self.sites[k], self.site_conf[k]
        rng = random.Random(f"{self.seed}:{i}")
        pub = self.published(i)
        home = site.conf.get("area", "Việt Nam")
        if home != "Việt Nam" and rng.random() < conf.get("home_share", 0):
            place = next((tuple(p) for p in self.data["provinces"] if p[0] == home), (home, "tỉnh"))
        elif rng.random() < self.data["province_share"]:
            place = tuple(rng.choice(self.data["provinces"]))
        else:
            place = None
        document = None
        if conf.get("document"):
            document = {"type": "Quyết định", "symbol": f"{1000 + i % 9000}/QĐ-TTg",
                        "topic": rng.choice(self.data["document_topics"])}
        art = write_article(self.data, rng, pub, place, bool(conf.get("decimal_dot")), document)
        if self.body_chars:  # a stream of its own: the article's other draws stay as they were
            pad = random.Random(f"{self.seed}:{i}:body:{self.body_chars}")
            art["paras"] = pad_paragraphs(self.data, pad, art["paras"], self.body_chars)
        slug = slugify(art["title"])
        path = conf["path"].format(slug=slug, n=f"{i:08d}", stamp=pub.strftime("%y%m%d%H%M"))
        author = rng.choice(self.data["authors"])
        captions = [rng.choice(self.data["captions"]).format(A=author)] if rng.random() < 0.6 else []
        return {
            "id": f"syn_{self.seed}_{i:08d}", "url": site.base_url + path, "site": site.id,
            "title": art["title"], "published": pub.isoformat(), "body": "\n\n".join(art["paras"]),
            "observations": art["observations"], "legal_refs": art["legal_refs"], "author": author,
            "section": conf.get("section"), "captions": captions, "source_line": conf.get("source"),
            "symbol": document["symbol"] if document else None, "slug": slug, "paras": art["paras"],
            "doc_type": document["type"] if document else None,
        }

    def gold(self, i: int) -> dict:
        """The gold answer of article i, in the format of the mirror's `.gold.json` files."""
        art = self.article(i)
        return {key: art[key] for key in build.GOLD_FIELDS}

    def url(self, i: int) -> str:
        return self.article(i)["url"]

    def _model(self, i: int) -> build.Article:
        art = self.article(i)
        data = {key: value for key, value in art.items() if value is not None and key != "paras"}
        return build.Article(data=data, site_id=art["site"], source_path=DATA_PATH,
                             published=build.parse_published(art["published"]), paras=art["paras"])

    def _newest(self, k: int, start: int, count: int) -> list[build.Article]:
        return [self._model(self.index(k, j)) for j in range(start, min(self.count(k), start + count))]

    def _neighbours(self, i: int) -> tuple[build.Site, list[build.Article]]:
        """A small world around article i, for related teasers and 'latest' boxes (never all n)."""
        k, j = self.site_of(i), i // len(self.sites)
        same = self._newest(k, max(0, j - 3), 7)
        others = [self._model(x) for x in (i - 1, i + 1) if 0 <= x < self.n and self.site_of(x) != k]
        return build.Site(conf=self.sites[k].conf, articles=same), same + others

    # -- pages
    def page(self, host: str, path: str) -> tuple[int, dict[str, str], bytes]:
        """(status, headers, body) for a GET of `path` (with its query) on `host`."""
        k = self.by_host.get(host.lower())
        if k is None:
            return 404, {"Content-Type": HTML}, b"<!DOCTYPE html><title>404</title><h1>404</h1>\n"
        try:
            found = self._route(k, path)
        except (ValueError, IndexError):
            found = None
        if found is None:
            return 404, {"Content-Type": HTML}, self._not_found(k)
        ctype, body, modified = found
        return 200, {"Content-Type": ctype, "ETag": '"' + hashlib.sha256(body).hexdigest() + '"',
                     "Last-Modified": build.http_date(modified)}, body

    def _route(self, k: int, path: str):
        site = self.sites[k]
        m = self._path_re[k].fullmatch(path)
        if m:
            i = int(m.group("n"))
            if i >= self.n or self.site_of(i) != k or ("slug" in m.groupdict() and m.group("slug") != self.article(i)["slug"]):
                return None
            site_model, world = self._neighbours(i)
            art = self._model(i)
            return HTML, build.render_article(self.env, site_model, art, world), art.published
        if path == "/robots.txt":
            sitemaps = list(dict.fromkeys([site.base_url + "/sitemap.xml"] + self._routes[k]["sitemaps"]))
            page = build._robots_page(site, sitemaps)
            return TEXT, page.content, build.FIXED_DATE
        if path == "/":
            items = self._newest(k, 0, self.data["home_items"])
            return HTML, self._listing(k, "home", "Trang chủ", site.base_url + "/", items, []), _newest(items)
        if path == "/sitemap.xml" or site.base_url + path in self._routes[k]["sitemaps"]:
            return XML, self._sitemap_index(k), self.newest
        m = re.fullmatch(r"/sitemaps/articles-(\d+)\.xml", path)
        if m:
            return self._sitemap(k, int(m.group(1)))
        return self._discovery_page(k, site.base_url + path)

    def _discovery_page(self, k: int, url: str):
        routes = self._routes[k]
        if url in routes["feeds"]:
            items = self._newest(k, 0, self.data["feed_items"])
            body = self.env.get_template("_shared/rss.xml").render(
                site=build._site_ctx(self.sites[k]), url=url, items=[a.teaser() for a in items],
                channel_title=self.sites[k].conf.get("name", self.sites[k].id), build_date=_newest(items))
            return RSS, body.encode("utf-8"), _newest(items)
        if url in routes["listings"]:
            entry, page_no, size = routes["listings"][url]
            items = self._newest(k, page_no * size, size)
            path = urlsplit(url).path
            kind = "fragment" if "/timelinelist/" in path or path.endswith("/loadmore") else "listing"
            pages = [{"label": str(p + 1), "url": u, "path": _path_q(u), "current": p == page_no}
                     for u, (e, p, _size) in routes["listings"].items() if e is entry]
            return HTML, self._listing(k, kind, "Tin tức", url, items, pages,
                                       section=self.site_conf[k].get("section")), _newest(items)
        for template in routes["daily"]:
            day = _daily_date(template, url)
            if day is not None:
                items = [self._model(i) for i in self.on_day(k, day)]
                title = f"Tin tức ngày {day.strftime('%d/%m/%Y')}"
                return HTML, self._listing(k, "daily", title, url, items, []), _newest(items)
        return None

    def _listing(self, k: int, kind: str, title: str, url: str, items: list, pagination: list,
                 section: str | None = None) -> bytes:
        world = self._newest(k, 0, 4) + [self._model(i) for i in range(min(self.n, 3)) if self.site_of(i) != k]
        return build.render_listing(self.env, self.sites[k], kind=kind, title=title, url=url, items=items,
                                    pagination=pagination, all_articles=world, section=section)

    def _sitemap_index(self, k: int) -> bytes:
        chunk, base = self.data["sitemap_chunk"], self.sites[k].base_url
        parts = max(1, math.ceil(self.count(k) / chunk))
        lastmod = self.newest.isoformat()
        entries = "".join(f"  <sitemap>\n    <loc>{base}/sitemaps/articles-{p + 1}.xml</loc>\n"
                          f"    <lastmod>{lastmod}</lastmod>\n  </sitemap>\n" for p in range(parts))
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                f"{entries}</sitemapindex>\n").encode("utf-8")

    def _sitemap(self, k: int, part: int):
        chunk = self.data["sitemap_chunk"]
        if part < 1 or (part - 1) * chunk >= max(1, self.count(k)):
            return None
        items = self._newest(k, (part - 1) * chunk, chunk)
        body = self.env.get_template("_shared/sitemap.xml").render(
            site=build._site_ctx(self.sites[k]), items=[a.teaser() for a in items], home_lastmod=self.newest)
        return XML, body.encode("utf-8"), _newest(items)

    @functools.cache
    def _not_found(self, k: int) -> bytes:
        url = self.sites[k].base_url + "/404.html"
        return self._listing(k, "404", "Không tìm thấy trang", url, [], [])


def _stable(*parts) -> int:
    return int(hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:12], 16)


def _newest(items: list[build.Article]) -> datetime:
    return max((a.published for a in items if a.published), default=build.FIXED_DATE)


def _path_q(url: str) -> str:
    p = urlsplit(url)
    return p.path + (("?" + p.query) if p.query else "")


def _path_regex(fmt: str) -> re.Pattern:
    """`/{slug}-102{stamp}{n}.htm` → a regex with groups `slug` and `n`."""
    out, pos = [], 0
    for m in re.finditer(r"\{(slug|stamp|n)\}", fmt):
        out.append(re.escape(fmt[pos:m.start()]))
        out.append({"slug": r"(?P<slug>[a-z0-9-]+?)", "stamp": r"\d{10}", "n": r"(?P<n>\d{8})"}[m.group(1)])
        pos = m.end()
    out.append(re.escape(fmt[pos:]))
    return re.compile("".join(out))


def _discovery_routes(conf: dict, count: int) -> dict:
    """The URLs a site's registry discovery entries will ask for, and what each one shows."""
    routes: dict = {"feeds": set(), "listings": {}, "daily": [], "sitemaps": []}
    for entry in conf.get("discovery", []):
        kind = entry["kind"]
        if kind == "rss":
            routes["feeds"].update(entry["urls"])
        elif kind == "sitemap":
            routes["sitemaps"] += entry["urls"]
        elif kind == "daily_listing":
            routes["daily"].append(entry["url"])
        elif kind == "listing":
            pages = min(entry.get("max_pages", 5), conf.get("max_pages", 200))
            size = max(1, math.ceil(count / pages))
            first, step = entry.get("first_page", 1), entry.get("step", 1)
            for p in range(pages):
                url = entry["url"].format(page=first + p * step, offset=first + p * step)
                routes["listings"][url] = (entry, p, size)
    return routes


def _daily_date(template: str, url: str) -> date | None:
    m = re.search(r"\{date:([^}]*)\}", template)
    if not m:
        return None
    prefix, suffix = template[:m.start()], template[m.end():]
    if not (url.startswith(prefix) and url.endswith(suffix)) or len(url) <= len(prefix) + len(suffix):
        return None
    try:
        return datetime.strptime(url[len(prefix):len(url) - len(suffix)], m.group(1)).date()
    except ValueError:
        return None


# ------------------------------------------------------------------------------- the server
class _Handler(BaseHTTPRequestHandler):
    server_version = "egov-synthetic/1.0"
    sys_version = ""
    protocol_version = "HTTP/1.1"      # keep-alive: one connection serves many pages
    disable_nagle_algorithm = True     # headers and body are separate writes (see mirror/server.py)
    server: "_HTTPServer"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - quiet
        return

    def do_GET(self) -> None:  # noqa: N802
        self._serve(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(head=True)

    def _serve(self, head: bool) -> None:
        host = (self.headers.get("Host") or "").strip().lower().rsplit(":", 1)[0]
        target = self.path.split("#", 1)[0]
        if host not in self.server.corpus.by_host:  # a browser: /<host>/<path>
            first, _, rest = target.lstrip("/").partition("/")
            host, target = unquote(first).lower(), "/" + rest
        status, headers, body = self.server.corpus.page(host, target)
        self.server.count()
        if status == 200 and self._not_modified(headers):
            status, body = 304, b""
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head and body:
            self.wfile.write(body)

    def _not_modified(self, headers: dict) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            return headers.get("ETag") in [t.strip().removeprefix("W/") for t in inm.split(",")]
        ims = self.headers.get("If-Modified-Since")
        if not ims or "Last-Modified" not in headers:
            return False
        try:
            return parsedate_to_datetime(headers["Last-Modified"]) <= parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, corpus: SyntheticCorpus):
        super().__init__(address, _Handler)
        self.corpus = corpus
        self.requests = 0
        self._lock = threading.Lock()

    def count(self) -> None:
        with self._lock:
            self.requests += 1


class SyntheticServer:
    """The corpus on 127.0.0.1 in a background thread; `with SyntheticServer(c) as url:`."""

    def __init__(self, corpus: SyntheticCorpus, port: int = 0, host: str = "127.0.0.1"):
        self.corpus, self.host, self.port = corpus, host, port
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def requests(self) -> int:
        return self._httpd.requests if self._httpd else 0

    def start(self) -> str:
        self._httpd = _HTTPServer((self.host, self.port), self.corpus)
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.1},
                                        name=f"synthetic-mirror:{self.port}", daemon=True)
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is not None:
            httpd.shutdown()
            httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m mirror.synthetic", description="Serve a synthetic corpus.")
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--port", type=int, default=8766)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--body-chars", type=int, default=None,
                    help="lengthen every body to at least N characters (real articles: ~6,200)")
    args = ap.parse_args(argv)
    corpus = SyntheticCorpus(args.articles, args.seed, body_chars=args.body_chars)
    httpd = _HTTPServer((args.host, args.port), corpus)
    length = f", bodies of {args.body_chars}+ characters" if args.body_chars else ""
    print(f"synthetic mirror: {args.articles} articles (seed {args.seed}{length}) on "
          f"http://{args.host}:{httpd.server_address[1]}/", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()


if __name__ == "__main__":
    main()
