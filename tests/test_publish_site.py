"""The catalogues users and harvesters read: DCAT-AP 3 JSON-LD checked with pyshacl against the
shared SHACL shapes, and the static HTML catalogue rendered in a real headless Chromium,
served over loopback, every link followed."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

import httpx
import pyshacl
import pytest
import rdflib

import publish
import warehouse
from publish.serve import serving

from publish_fixtures import batch, fill, obs

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib, thousands of times

SHAPES = Path(__file__).resolve().parents[2] / "shared" / "dcat-ap"
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def releases(tmp_path_factory):
    """Two releases, so that the catalogue has versions and the change notes something to say."""
    root = tmp_path_factory.mktemp("site")
    with warehouse.connect(root / "w.duckdb") as con:
        fill(con)
        publish.publish_release(con, root / "releases", {"code_revision": "abc1234"})
        warehouse.load_batch(con, batch(4, [obs(88e6, "chip_id_cards_issued", "2024-06-30")]))
        publish.publish_release(con, root / "releases", {"code_revision": "abc1234"})
    return root / "releases"


def _conforms(data: str, shapes: str) -> tuple[bool, str]:
    graph = rdflib.Graph().parse(data=data, format="json-ld")
    ok, _, text = pyshacl.validate(graph, shacl_graph=str(SHAPES / shapes), inference="none")
    return ok, text


@pytest.mark.parametrize("shapes", ["shapes.ttl", "range.ttl"])
def test_dcat_catalogue_conforms_to_dcat_ap_3(releases, shapes):
    ok, text = _conforms((releases / "catalog.jsonld").read_text(), shapes)
    assert ok, text[:3000]


def test_dcat_catalogue_describes_every_release_and_file(releases):
    graph = rdflib.Graph().parse(data=(releases / "catalog.jsonld").read_text(), format="json-ld")
    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    dct = rdflib.DCTERMS
    datasets = set(graph.subjects(rdflib.RDF.type, dcat.Dataset))
    assert len(datasets) == 2
    keywords = {(str(k), k.language) for k in graph.objects(None, dcat.keyword)}
    assert ("chuyển đổi số", "vi") in keywords and ("digital transformation", "en") in keywords
    for ds in datasets:
        assert graph.value(ds, dct.temporal) is not None and graph.value(ds, dct.spatial) is not None
        files = {str(graph.value(d, dcat.downloadURL)) for d in graph.objects(ds, dcat.distribution)}
        assert any(f.endswith("/data/observations.parquet") for f in files)
        assert any(f.endswith("/egov-data.duckdb") for f in files)


def test_shapes_catch_a_distribution_without_access_url(releases):
    """The check can fail: a distribution missing its mandatory accessURL is reported."""
    doc = json.loads((releases / "catalog.jsonld").read_text())
    del doc["@graph"][0]["dcat:dataset"][0]["dcat:distribution"][0]["dcat:accessURL"]
    ok, text = _conforms(json.dumps(doc), "shapes.ttl")
    assert not ok and "accessURL" in text


def test_release_page_lists_downloads_dictionary_and_changes(releases):
    page = (releases / "1.1.0" / "index.html").read_text()
    package = json.loads((releases / "1.1.0" / "datapackage.json").read_text())
    for res in package["resources"]:
        assert f'href="{res["path"]}"' in page and res["hash"][7:] in page
    assert "The number, fully scaled" in page  # a field description from the Table Schema
    assert "since 1.0.0" in page
    assert "<script" not in page and "https://cdn" not in page


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium "
                                                  "(apt-get install -y chromium)")
def test_html_catalogue_renders_in_chromium_every_link_resolves_charts_have_data(releases):
    from playwright.sync_api import sync_playwright

    with serving(releases) as base, sync_playwright() as pw, httpx.Client() as http:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            page = browser.new_page()
            failed = []
            page.on("requestfailed", lambda r: failed.append(r.url))
            local, checked = set(), set()
            for start in ("index.html", "latest/index.html", "1.0.0/index.html"):
                assert page.goto(base + start).status == 200
                assert page.locator("h1").first.is_visible()
                links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
                local |= {u for u in links if u.startswith(base)}
                if start == "latest/index.html":
                    assert page.locator("#version").inner_text() == "1.1.0"
                    charts = page.locator("svg.chart")
                    assert charts.count() == 3  # chip ID cards, eID accounts, online application rate
                    for i in range(charts.count()):
                        chart = charts.nth(i)
                        box = chart.bounding_box()
                        assert box and box["width"] > 100 and box["height"] > 100
                        assert chart.locator("circle.point").count() >= 1
                    chip = page.locator('svg.chart[data-indicator="chip_id_cards_issued"]')
                    assert chip.locator("circle.point").count() == 3  # 2023-06-30, 2023-12-31, 2024-06-30
                    assert "88 triệu" in chip.inner_html()
            for url in sorted(local):
                path = urllib.parse.urlsplit(url).path
                if path in checked:
                    continue
                checked.add(path)
                assert http.get(url).status_code == 200, url
            assert len(checked) > 30 and not failed
        finally:
            browser.close()
