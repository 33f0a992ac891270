"""Real-length synthetic articles (SyntheticCorpus(body_chars=N)): the bodies reach the length, the
background prose carries nothing the extractor could read as a fact, the gold is what it is
without the option, and the cleaner keeps the prose when the pages are served and cleaned the
way the flow does it. Real articles on these sites run ~6,200 characters; the generated bodies
~1,000, which hid a publish that ran out of memory on real-length text."""

from __future__ import annotations

import random
import re
from datetime import date

import pytest

from extractors import areas, legal, periods
from extractors.evaluate import score
from extractors.extract import extract
from extractors.fetch import crawl_site_sync
from extractors.registry import load_sites
from flows.batches import process_batch
from mirror.synthetic import SyntheticCorpus, SyntheticServer, _background_sentence, load_data

SITES = {s["id"]: s for s in load_sites()}
LENGTH = 6200
N = 240
OFFSETS = ("start", "end", "sentence")   # where a figure sits moves with the padding; nothing else


@pytest.fixture(scope="module")
def plain() -> SyntheticCorpus:
    return SyntheticCorpus(N, seed=7)


@pytest.fixture(scope="module")
def padded() -> SyntheticCorpus:
    return SyntheticCorpus(N, seed=7, body_chars=LENGTH)


def _padding(plain: SyntheticCorpus, padded: SyntheticCorpus, i: int) -> list[str]:
    own = set(plain.article(i)["paras"])
    return [p for p in padded.article(i)["paras"] if p not in own]


def _readings(facts: dict) -> tuple[list, list]:
    return ([{k: v for k, v in o.items() if k not in OFFSETS} for o in facts["observations"]],
            [r["symbol"] for r in facts["legal_refs"]])


def _extract(gold: dict) -> dict:
    return extract(gold["body"], gold["published"], default_area=SITES[gold["site"]]["area"], title=gold["title"])


def test_bodies_reach_the_length_with_the_figure_paragraphs_in_order_and_the_lead_first(plain, padded):
    interleaved = 0
    for i in range(0, N, 3):
        short, long = plain.article(i)["paras"], padded.article(i)["paras"]
        assert len(padded.article(i)["body"]) >= LENGTH
        assert len(padded.article(i)["body"]) < LENGTH + 1500, "one paragraph past the length at most"
        assert long[0] == short[0]
        assert [p for p in long if p in short] == short          # every original paragraph, in order
        interleaved += long.index(short[-1]) > short.index(short[-1])
    assert interleaved > 0.8 * len(range(0, N, 3)), "background paragraphs go between the figures, not at the end"


def test_the_gold_and_the_page_furniture_do_not_change_with_the_option(plain, padded):
    for i in range(N):
        a, b = plain.article(i), padded.article(i)
        assert {k: v for k, v in a.items() if k not in ("body", "paras")} == \
               {k: v for k, v in b.items() if k not in ("body", "paras")}
    default = SyntheticCorpus(N, seed=7, body_chars=None)
    assert [default.gold(i) for i in range(50)] == [plain.gold(i) for i in range(50)]


def test_no_background_paragraph_repeats_in_an_article_and_few_repeat_across_articles(plain, padded):
    seen: dict[str, int] = {}
    for i in range(N):
        paras = _padding(plain, padded, i)
        assert len(paras) == len(set(paras)), i
        for p in paras:
            seen[p] = seen.get(p, 0) + 1
    assert max(seen.values()) <= 2 and len(seen) > 0.99 * sum(seen.values())


def test_the_background_prose_holds_no_figure_time_place_or_legal_reference(plain, padded):
    bank = load_data()["background"]
    rng = random.Random(5)
    texts = [" ".join(v for values in bank["slots"].values() for v in values)]
    texts += [_background_sentence(bank["slots"], rng, t) for t in bank["sentences"] for _ in range(10)]
    texts += [p for i in range(0, N, 4) for p in _padding(plain, padded, i)]
    for text in texts:
        assert not re.search(r"\d", text), text
        assert areas.find_places(text) == [], text
        assert periods.find_time_expressions(text, date(2025, 6, 30)) == [], text
        assert legal.find_references(text) == [], text
        assert extract(text, "2025-06-30")["observations"] == [], text


def test_the_extractor_reads_a_padded_article_exactly_as_the_short_one(plain, padded):
    golds = [padded.gold(i) for i in range(60)]
    long = [{"id": g["id"], **_extract(g)} for g in golds]
    short = [{"id": plain.gold(i)["id"], **_extract(plain.gold(i))} for i in range(60)]
    for a, b in zip(short, long):
        assert _readings(a) == _readings(b), a["id"]
    on_long, on_short = score(long, golds), score(short, [plain.gold(i) for i in range(60)])
    assert on_long["gold"] > 200
    assert on_long["observations"] == on_short["observations"]
    assert on_long["legal_refs"] == on_short["legal_refs"] and on_long["fields"] == on_short["fields"]
    assert on_long["observations"]["precision"] >= 0.9 and on_long["observations"]["recall"] >= 0.9


@pytest.mark.parametrize("site_id", ["baochinhphu.vn", "thanhtra.com.vn", "moha.gov.vn"])
def test_served_and_cleaned_as_the_flow_does_the_padding_stays(tmp_path, site_id):
    """Crawled from the server, then cleaned and extracted by the flow's batch step: the article
    row's body is the padded gold body, and its figures are the gold's."""
    corpus = SyntheticCorpus(64, seed=3, body_chars=LENGTH)
    site = {**SITES[site_id], "requests_per_second": 1000.0, "concurrency": 8, "obey_crawl_delay": False}
    with SyntheticServer(corpus) as url:
        crawl = crawl_site_sync(site, tmp_path, mirror=url)
    pages = [p for p in crawl.pages if p["is_candidate"]]
    out = process_batch(site, pages, tmp_path, "run-length")
    assert not out["warnings"] and not crawl.errors
    golds = {corpus.url(i): corpus.gold(i) for i in range(corpus.n) if corpus.gold(i)["site"] == site_id}
    rows = {row["url"]: row for row in out["batch"]["articles"]}
    assert set(rows) == set(golds) and len(rows) == 8
    for url, row in rows.items():
        assert row["body"] == golds[url]["body"] and len(row["body"]) >= LENGTH, url
        assert not row["drift"], url
    found = {g["id"]: [o for o in out["batch"]["observations"] if o["article_id"] == rows[u]["article_id"]]
             for u, g in golds.items()}
    result = score([{"id": g["id"], "observations": found[g["id"]], "legal_refs": []} for g in golds.values()],
                   [{**g, "legal_refs": []} for g in golds.values()])
    short = SyntheticCorpus(64, seed=3)
    on_short = score([{"id": g["id"], **_extract(short.gold(int(g["id"][-8:])))} for g in golds.values()],
                     [{**short.gold(int(g["id"][-8:])), "legal_refs": []} for g in golds.values()])
    assert result["observations"] == on_short["observations"]
