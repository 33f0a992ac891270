"""The source registry loads, merges [defaults], and refuses a malformed file in one clear line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extractors.registry import REGISTRY_PATH, load_site, load_sites

GOOD = """
[defaults]
user_agent = "egov-data/0.1 (+https://example.org)"
requests_per_second = 1.0
concurrency = 2
timeout_s = 20.0
max_retries = 3
max_bytes = 5_000_000
max_pages = 200

[[site]]
id = "a.gov.vn"
name = "A"
base_url = "https://a.gov.vn"
adapter = "generic"
area = "Việt Nam"
article_url = '^https://a\\.gov\\.vn/[a-z0-9-]+-\\d+\\.htm$'
requests_per_second = 2.0
  [[site.discovery]]
  kind = "listing"
  url = "https://a.gov.vn/list/{page}.htm"
  links = "a.title"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------- the real registry


def test_the_real_registry_loads_with_defaults_merged():
    sites = load_sites()
    assert len(sites) == len({s["id"] for s in sites}) >= 8
    for site in sites:
        assert site["user_agent"].startswith("egov-data/") and site["timeout_s"] > 0
        assert site["article_url"].startswith("^") and site["article_url"].endswith("$")
    assert load_site("baochinhphu.vn")["requests_per_second"] == 2.0        # site beats default
    assert load_site("thoidai.com.vn")["requests_per_second"] == 1.0        # default fills in


@pytest.mark.parametrize("site_id, url", [
    ("baochinhphu.vn", "https://baochinhphu.vn/chinh-phu-dien-tu-102240424142900123.htm"),
    ("chinhphu.vn", "https://vanban.chinhphu.vn/?pageid=27160&docid=207416"),
    ("thanhtra.com.vn", "https://thanhtra.com.vn/chuyen-doi-so/chuyen-doi-so-quoc-gia-198111.html"),
    ("tapchitaichinh.vn", "https://tapchitaichinh.vn/tai-chinh-so/chuyen-doi-so-322575.html"),
    ("mst.gov.vn", "https://mst.gov.vn/chuyen-doi-so-quoc-gia-197240424142900.htm"),
])
def test_article_patterns_match_the_recorded_url_shapes(site_id, url):
    assert re.match(load_site(site_id)["article_url"], url)


def test_the_real_listing_templates_fill_in():
    from datetime import date

    from extractors.discovery import daily_listing_urls, listing_urls

    thoidai = load_site("thoidai.com.vn")["discovery"][0]
    assert listing_urls(thoidai, 200)[:2] == [
        "https://thoidai.com.vn/chinh-tri-xa-hoi&BRSR=0", "https://thoidai.com.vn/chinh-tri-xa-hoi&BRSR=16",
    ]
    mst = load_site("mst.gov.vn")["discovery"][0]
    assert daily_listing_urls(mst, date(2024, 4, 24))[0] == (
        "https://mst.gov.vn/tin-tuc-su-kien/xem-theo-ngay-24-04-2024.htm"
    )


# ---------------------------------------------------------------------------- malformed files


def test_a_good_file_loads(tmp_path):
    (site,) = load_sites(write(tmp_path, GOOD))
    assert site["requests_per_second"] == 2.0 and site["max_pages"] == 200


@pytest.mark.parametrize("broken, key", [
    (GOOD.replace("adapter = \"generic\"\n", ""), "adapter"),
    (GOOD.replace("concurrency = 2", "concurrency = \"two\""), "concurrency"),
    (GOOD.replace("concurrency = 2", "concurrency = 0"), "concurrency"),
    (GOOD.replace("'^https://a", "'^(https://a"), "article_url"),
    (GOOD.replace('base_url = "https://a.gov.vn"', 'base_url = "a.gov.vn"'), "base_url"),
    (GOOD.replace('kind = "listing"', 'kind = "atom"'), "discovery[1].kind"),
    (GOOD.replace("{page}", "1"), "discovery[1].url"),
    (GOOD.replace('  links = "a.title"\n', ""), "discovery[1].links"),
    (GOOD.split("  [[site.discovery]]")[0], "discovery"),
])
def test_a_malformed_site_is_one_line_naming_file_site_and_key(tmp_path, broken, key):
    path = write(tmp_path, broken)
    with pytest.raises(ValueError) as caught:
        load_sites(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: site 'a.gov.vn': key {key!r}: ")


def test_a_missing_id_names_the_site_by_position(tmp_path):
    with pytest.raises(ValueError, match=r"site '#1': key 'id': missing"):
        load_sites(write(tmp_path, GOOD.replace('id = "a.gov.vn"\n', "")))


def test_duplicate_ids_are_refused(tmp_path):
    twice = GOOD + GOOD[GOOD.index("[[site]]"):]
    with pytest.raises(ValueError, match=r"site 'a.gov.vn': key 'id': duplicate"):
        load_sites(write(tmp_path, twice))


def test_invalid_toml_is_one_line(tmp_path):
    path = write(tmp_path, GOOD.replace("max_pages = 200", "max_pages = "))
    with pytest.raises(ValueError) as caught:
        load_sites(path)
    assert str(caught.value).startswith(f"{path}: not valid TOML: ") and "\n" not in str(caught.value)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(ValueError, match="file not found"):
        load_sites(tmp_path / "nope.toml")


def test_the_default_path_is_the_repository_registry():
    assert REGISTRY_PATH == Path(__file__).resolve().parent.parent / "config" / "sources.toml"


def test_optional_crawl_limits_must_be_positive(tmp_path):
    from extractors.registry import load_sites as load

    text = REGISTRY_PATH.read_text(encoding="utf-8").replace(
        "max_connections = 16", "max_connections = 0")
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="key 'max_connections': must be a number > 0, got 0"):
        load(path)
    assert all(s["max_connections"] == 16 and s["total_timeout_s"] == 60.0 for s in load())
