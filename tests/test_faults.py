"""The crawler against the mirror misbehaving on purpose (mirror/faults.py): one test per fault,
and a crawl with 20% random faults that must end with the articles of a fault-free crawl.

Every crawl here is a real crawl_site of a registry site against a real MirrorServer on
loopback; short timeouts and backoffs are set through the site's registry keys."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extractors.charset import decode
from extractors.fetch import crawl_site_sync
from extractors.registry import load_site
from mirror.faults import ALL, FaultPlan, encode_cp1258, request_kind
from mirror.server import MirrorServer

SITE = "thanhtra.com.vn"          # a listing and a sitemap: both kinds of discovery page
FAST = {"requests_per_second": 1000.0, "concurrency": 8, "obey_crawl_delay": False, "timeout_s": 0.5,
        "total_timeout_s": 1.0, "backoff_s": 0.01, "max_retries": 3}


def site(site_id: str = SITE, **overrides) -> dict:
    return {**load_site(site_id), **FAST, **overrides}


def crawl(tmp_path: Path, plan: FaultPlan | None, site_id: str = SITE, **overrides):
    server = MirrorServer(faults=plan)
    with server as base:
        result = crawl_site_sync(site(site_id, **overrides), tmp_path / "archive", mirror=base)
    return result, server


META_CHARSET = re.compile(r"<meta[^>]*charset[^>]*>", re.I)   # what the charset faults remove


def texts(result) -> dict[str, str]:
    """URL → decoded text of every article fetched (what the cleaner would read), without the
    <meta charset> a charset fault may have taken out."""
    return {p["url"]: META_CHARSET.sub("", decode(Path(p["archive_path"]).read_bytes(), p["encoding"]))
            for p in result.pages if p["status"] == 200 and not p["error"]}


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    result, _ = crawl(tmp_path_factory.mktemp("clean"), None)
    assert result.pages and not result.failed, result.errors
    return texts(result)


def only(fault: str, **kwargs) -> FaultPlan:
    return FaultPlan(rate=1.0, seed=1, only={fault}, **kwargs)


# ---------------------------------------------------------------------------- transient faults


@pytest.mark.parametrize("fault", ["server_error", "reset", "truncated"])
def test_transient_network_faults_are_retried_to_the_same_articles(tmp_path, clean, fault):
    result, server = crawl(tmp_path, only(fault))
    assert texts(result) == clean and not result.failed, result.errors
    assert any(r.status != 200 for r in server.log) or fault == "truncated"
    assert len(server.log) > len(clean)                       # the retries happened


def test_429_retry_after_is_honoured(tmp_path, clean):
    plan = FaultPlan(rate=0.2, seed=3, only={"rate_limited"}, max_burst=1, retry_after_s=1)
    result, server = crawl(tmp_path, plan, concurrency=1)     # one at a time: every gap is ours
    assert texts(result) == clean and not result.failed
    limited = [r for r in server.log if r.status == 429]
    assert limited
    for hit in limited:                                       # the next request waited ≥ Retry-After
        later = [r.t for r in server.log if r.t > hit.t]
        assert not later or min(later) - hit.t >= 0.95


def test_slow_responses_time_out_and_are_retried(tmp_path, clean):
    plan = FaultPlan(rate=0.3, seed=5, only={"slow"}, max_burst=1, slow_s=0.8)
    result, _ = crawl(tmp_path, plan, timeout_s=0.3, total_timeout_s=0.5)
    assert texts(result) == clean and not result.failed, result.errors


@pytest.mark.parametrize("fault", ["wrong_charset", "missing_charset", "legacy_charset"])
def test_charset_faults_decode_to_the_same_text(tmp_path, clean, fault):
    result, _ = crawl(tmp_path, only(fault))
    assert texts(result) == clean
    if fault == "legacy_charset":
        assert {p["encoding"] for p in result.pages} == {"cp1258"}


def test_windows_1258_is_detected_without_any_label():
    from extractors.charset import detect_encoding

    text = "<p>Đề án 06: hơn 87,5 triệu thẻ căn cước gắn chíp đã được cấp cho người dân.</p>" * 3
    body = encode_cp1258(text)
    assert detect_encoding("text/html", body) == "cp1258" and decode(body, "cp1258") == text


# ---------------------------------------------------------------------------- permanent faults


@pytest.mark.parametrize("fault, reason", [
    ("redirect_loop", "more than 5 redirects"),
    ("offsite_redirect", "host evil.example.net is not in the source registry, not requested"),
    ("loopback_redirect", "is a private/loopback address, not requested"),
    ("gzip_bomb", "exceeds max_decoded_bytes"),
    ("huge_page", "exceeds max_bytes"),
])
def test_unobtainable_pages_are_refused_and_recorded(tmp_path, clean, fault, reason):
    result, server = crawl(tmp_path, only(fault, bomb_mb=40))
    assert set(result.failed) == set(clean)                   # every article page, each with its reason
    assert all(reason in error for error in result.failed.values()), result.failed
    assert all(error in result.errors for error in result.failed.values())
    assert {r.host for r in server.log} == {SITE}             # nothing but the registry host was asked
    if fault == "huge_page":                                  # refused while streaming, not retried
        assert sum(1 for r in server.log if request_kind(r.path) == "html") <= 2 * len(clean)


def test_malformed_robots_is_a_warning_and_the_crawl_goes_on(tmp_path, clean):
    result, _ = crawl(tmp_path, only("malformed_robots"))
    assert texts(result) == clean
    assert any("robots.txt is an HTML page" in w for w in result.warnings)


def test_malformed_xml_is_recorded_and_its_links_salvaged(tmp_path, clean):
    result, _ = crawl(tmp_path, only("malformed_xml"))
    assert any("sitemap" in e and "malformed XML" in e for e in result.errors), result.errors
    assert set(texts(result)) == set(clean)                   # the listing found them anyway


def test_robots_disallowing_a_section_is_obeyed(tmp_path, clean):
    result, server = crawl(tmp_path, only("robots_disallow", disallow="/chuyen-doi-so/"))
    assert result.pages == []
    assert not [r for r in server.log if r.path.startswith("/chuyen-doi-so/")]
    assert any(f"robots.txt disallows {len(clean)} of {len(clean)}" in e for e in result.errors), result.errors


# ---------------------------------------------------------------------------- random faults


def _crawl_all(tmp_path: Path, plan: FaultPlan | None, site_ids: list[str]) -> tuple[dict, dict, MirrorServer]:
    server = MirrorServer(faults=plan)
    got, failed = {}, {}
    with server as base:
        for site_id in site_ids:
            result = crawl_site_sync(site(site_id, timeout_s=0.3, total_timeout_s=0.5), tmp_path / site_id, mirror=base)
            got.update(texts(result))
            failed.update(result.failed)
    return got, failed, server


SITES = ["thanhtra.com.vn", "baochinhphu.vn", "moha.gov.vn"]


def test_20_percent_random_faults_end_with_the_fault_free_articles(tmp_path):
    clean, clean_failed, _ = _crawl_all(tmp_path / "clean", None, SITES)
    plan = FaultPlan(rate=0.2, seed=11, retry_after_s=1, slow_s=0.6)
    faulty, failed, server = _crawl_all(tmp_path / "faulty", plan, SITES)
    assert plan.injected and not clean_failed
    assert faulty == clean and failed == {}


def test_20_percent_of_every_fault_lists_exactly_the_pages_it_could_not_get(tmp_path):
    clean, _, _ = _crawl_all(tmp_path / "clean", None, SITES)
    plan = FaultPlan(rate=0.2, seed=4, only=set(ALL) - {"robots_disallow", "malformed_robots"},
                     retry_after_s=1, slow_s=0.6, bomb_mb=40)
    faulty, failed, _ = _crawl_all(tmp_path / "faulty", plan, SITES)
    lost = {f"https://{host}{target}" for host, target in plan.faulty() if request_kind(target) == "html"}
    lost &= set(clean)
    assert lost, "seed 4 should make some article unobtainable"
    assert set(failed) == lost                                # listed, each with a reason
    assert {u: t for u, t in faulty.items()} == {u: t for u, t in clean.items() if u not in lost}
