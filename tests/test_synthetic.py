"""The synthetic corpus (mirror/synthetic.py): deterministic, its gold agrees with its pages,
the extractor reads it well, and a crawl through the registry's discovery finds every article."""

from __future__ import annotations

import asyncio
import re
from urllib.parse import urlsplit

import pytest

from extractors.clean import clean
from extractors.evaluate import score
from extractors.extract import extract
from extractors.fetch import crawl_site_sync
from extractors.registry import load_sites
from mirror.synthetic import SyntheticCorpus, SyntheticServer

SITES = {s["id"]: s for s in load_sites()}


def _get(corpus: SyntheticCorpus, url: str):
    parts = urlsplit(url)
    return corpus.page(parts.netloc, parts.path + (("?" + parts.query) if parts.query else ""))


@pytest.fixture(scope="module")
def corpus() -> SyntheticCorpus:
    return SyntheticCorpus(400, seed=7)


def test_same_seed_same_bytes_and_another_seed_differs():
    a, b, c = SyntheticCorpus(300, seed=11), SyntheticCorpus(300, seed=11), SyntheticCorpus(300, seed=12)
    for i in (0, 1, 150, 299):
        assert _get(a, a.url(i)) == _get(b, b.url(i))
        assert a.gold(i) == b.gold(i)
    assert a.page("thanhtra.com.vn", "/sitemaps/articles-1.xml") == b.page("thanhtra.com.vn", "/sitemaps/articles-1.xml")
    assert a.page("baochinhphu.vn", "/timelinelist/1027/1.htm") == b.page("baochinhphu.vn", "/timelinelist/1027/1.htm")
    assert [a.gold(i)["body"] for i in range(20)] != [c.gold(i)["body"] for i in range(20)]


def test_every_gold_figure_is_in_the_cleaned_article_body(corpus):
    for i in range(0, 400, 8):
        gold = corpus.gold(i)
        site = SITES[gold["site"]]
        assert re.match(site["article_url"], gold["url"]), gold["url"]
        status, headers, html = _get(corpus, gold["url"])
        assert status == 200 and headers["Content-Type"].startswith("text/html")
        article = clean(html, url=gold["url"], adapter=site["adapter"])
        assert article["is_article"] and article["body"] == gold["body"], gold["url"]
        assert gold["observations"], gold["id"]
        for obs in gold["observations"]:
            assert obs["text"] in article["body"], (gold["id"], obs["text"])
            assert obs["as_of"] <= gold["published"][:10]


def test_extractor_scores_high_on_generated_articles(corpus):
    golds = [corpus.gold(i) for i in range(50)]
    preds = [{"id": g["id"], **extract(g["body"], g["published"], default_area=SITES[g["site"]]["area"],
                                       title=g["title"])} for g in golds]
    result = score(preds, golds)
    obs, refs = result["observations"], result["legal_refs"]
    print(f"\nsynthetic, 50 articles, {result['gold']} gold figures: precision {obs['precision']:.3f} "
          f"recall {obs['recall']:.3f}; legal refs f1 {refs['f1']:.3f}; fields "
          + ", ".join(f"{k} {v:.3f}" for k, v in result["fields"].items()))
    assert result["gold"] > 150
    assert obs["precision"] >= 0.9 and obs["recall"] >= 0.9
    assert refs["f1"] >= 0.9


def test_a_crawl_through_the_registry_discovery_finds_every_article(tmp_path):
    corpus = SyntheticCorpus(60, seed=3)
    with SyntheticServer(corpus) as url:
        for site in SITES.values():
            fast = {**site, "requests_per_second": 1000.0, "concurrency": 16, "obey_crawl_delay": False}
            result = crawl_site_sync(fast, tmp_path, mirror=url)
            found = {p["url"] for p in result.pages if p["is_candidate"] and not p["error"]}
            wanted = {corpus.url(i) for i in range(60) if corpus.gold(i)["site"] == site["id"]}
            assert found == wanted, site["id"]
            assert not result.errors, result.errors


def test_memory_is_flat_a_huge_corpus_serves_its_last_article_at_once():
    huge = SyntheticCorpus(50_000_000, seed=1)
    last = huge.n - 1
    status, _, html = _get(huge, huge.url(last))
    assert status == 200 and huge.gold(last)["title"].encode() in html
    index = huge.page("mst.gov.vn", "/sitemap.xml")[2].decode()
    assert index.count("<sitemap>") == -(-huge.count(huge.by_host["mst.gov.vn"]) // 2000)


def test_unknown_pages_are_404_not_errors(corpus):
    url = corpus.url(5)
    assert _get(corpus, url.replace(corpus.article(5)["slug"], "wrong-slug"))[0] == 404
    assert corpus.page("baochinhphu.vn", "/no-such-page-10200000000099999999.htm")[0] == 404
    assert corpus.page("thanhtra.com.vn", "/sitemaps/articles-99.xml")[0] == 404
    assert corpus.page("example.org", "/")[0] == 404
    with pytest.raises(IndexError):
        corpus.article(400)


def test_server_answers_conditional_requests_with_304(corpus):
    import httpx

    with SyntheticServer(corpus) as url:
        gold = corpus.gold(9)
        parts = urlsplit(gold["url"])
        with httpx.Client(base_url=url, headers={"Host": parts.netloc}) as client:
            first = client.get(parts.path)
            again = client.get(parts.path, headers={"If-None-Match": first.headers["etag"]})
            browse = client.get(f"/{parts.netloc}{parts.path}", headers={"Host": "127.0.0.1"})
    assert first.status_code == 200 and again.status_code == 304 and browse.content == first.content


def test_a_big_crawl_keeps_a_fixed_set_of_fetch_tasks_and_hands_pages_over(tmp_path):
    """One asyncio task per URL held ~300 MB at 100,000 URLs before the first page came back; and
    a caller that takes the pages through `on_page` needs no copy of them in the result."""
    corpus = SyntheticCorpus(1200, seed=5)
    site = {**SITES["mst.gov.vn"], "requests_per_second": 1000.0, "concurrency": 4, "obey_crawl_delay": False,
            "max_articles": 10_000}
    tasks, taken, loop = [], [], []

    def on_discovered(n: int) -> None:   # on the crawl's loop; on_page runs on the store's thread
        loop.append(asyncio.get_running_loop())

    def on_page(page: dict) -> None:
        tasks.append(len(asyncio.all_tasks(loop[0])))
        taken.append(page["url"])

    with SyntheticServer(corpus) as url:
        result = crawl_site_sync(site, tmp_path, mirror=url, on_page=on_page, on_discovered=on_discovered,
                                 keep_pages=False)
    wanted = {corpus.url(i) for i in range(corpus.n) if corpus.gold(i)["site"] == "mst.gov.vn"}
    assert len(wanted) == 150 and wanted <= set(taken) and not result.errors
    assert result.pages == []                       # nothing kept: every page went to on_page
    assert max(tasks) < 4 + 64 + 10                 # the workers, the store and the loop's own
