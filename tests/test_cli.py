"""The `egov` command line, run as a user runs it: a subprocess, its stdout, stderr and exit."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import warehouse
from conftest import REPO, SHARED
from test_warehouse import _batch

EGOV = [sys.executable, "-m", "flows.cli"]
SEED_TEXT = SHARED / "seeds" / "000_739c3e5916d5396b.txt"
SEED_GOLD = SHARED / "gold" / "seeds" / "000_739c3e5916d5396b.json"


def egov(*args, input=None, home=None):
    cmd = EGOV + ([f"--home={home}"] if home else []) + list(args)
    return subprocess.run(cmd, capture_output=True, text=True, input=input, cwd=REPO, timeout=120)


def test_every_command_has_help():
    for command in ("demo", "refresh", "parse", "query", "serve", "mirror", "fanout", "sync"):
        out = egov(command, "--help")
        assert out.returncode == 0 and "usage: egov" in out.stdout, command


@pytest.mark.skipif(not SEED_GOLD.exists(), reason="shared/ not found beside the repository")
def test_parse_txt_follows_the_contract(tmp_path):
    body = json.loads(SEED_GOLD.read_text())["body"]
    path = tmp_path / "article.txt"
    path.write_text(body, encoding="utf-8")
    out = egov("parse", str(path), "--published", "2023-11-16T04:19:00+07:00")
    assert out.returncode == 0, out.stderr
    (line,) = out.stdout.splitlines()
    doc = json.loads(line)
    assert {"path", "is_article", "title", "published", "body", "observations", "legal_refs"} <= doc.keys()
    assert doc["is_article"] is True and doc["body"] == body
    first = doc["observations"][0]
    assert {"value", "denominator", "kind", "change", "qualifier", "indicator", "area", "as_of",
            "period_start", "text", "sentence", "start", "end"} <= first.keys()
    assert all(body[o["start"]:o["end"]] == o["text"] for o in doc["observations"] if o["start"] >= 0)
    assert {"76/NQ-CP", "13/2023/TT-BNV"} <= {r["symbol"] for r in doc["legal_refs"]}


def test_parse_html_pages_of_the_mirror():
    pages = sorted((REPO / "mirror" / "sites").rglob("*.gold.json"))[:3]
    if not pages:
        pytest.skip("mirror not built")
    files = [str(p.with_name(p.name.removesuffix(".gold.json"))) for p in pages]
    out = egov("parse", *files)
    assert out.returncode == 0, out.stderr
    docs = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(docs) == len(files)
    for doc, gold_path in zip(docs, pages):
        gold = json.loads(gold_path.read_text())
        assert doc["is_article"] and doc["title"] == gold["title"]
        assert doc["published"] == gold["published"]


def test_parse_missing_file_is_one_clear_line():
    out = egov("parse", "/nonexistent/page.html")
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0 and "no such file" in out.stderr


@pytest.fixture
def home(tmp_path):
    with warehouse.connect(tmp_path / "warehouse.duckdb") as con:
        warehouse.load_batch(con, _batch())
    return tmp_path


def test_query_prints_a_table_csv_and_json(home):
    out = egov("query", "SELECT kind, count(*) AS n FROM observations GROUP BY kind", home=home)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0].split() == ["kind", "n"] and "count" in out.stdout
    out = egov("query", "--format", "csv", "SELECT value FROM observations ORDER BY value", home=home)
    assert out.stdout.splitlines() == ["value", "1.0", "2.0", "3.0"]
    out = egov("query", "--format", "json", input="SELECT symbol FROM legal_refs", home=home)
    assert json.loads(out.stdout) == {"symbol": "76/NQ-CP"}


def test_refresh_today_must_be_a_date():
    out = egov("refresh", "--today", "2024-02-30")
    assert out.returncode == 2
    assert out.stderr.strip().splitlines()[-1] == "egov refresh: error: argument --today: not a date (YYYY-MM-DD): '2024-02-30'"
    assert "crawl as if today were DATE" in egov("refresh", "--help").stdout


def test_query_errors_show_duckdb_message_in_one_line(home):
    out = egov("query", "SELEC * FROM observations", home=home)
    assert out.returncode == 2
    assert len(out.stderr.strip().splitlines()) == 1 and "syntax error" in out.stderr.lower()


def test_query_is_read_only(home):
    out = egov("query", "DELETE FROM observations", home=home)
    assert out.returncode == 2 and "read-only" in out.stderr.lower()


def test_query_without_warehouse_says_what_to_do(tmp_path):
    out = egov("query", "SELECT 1", home=tmp_path / "nowhere")
    assert out.returncode == 2 and "egov demo" in out.stderr


def test_demo_publishes_a_release_and_says_where(tmp_path):
    out = subprocess.run(EGOV + ["demo", "--home", str(tmp_path)], capture_output=True, text=True,
                         cwd=REPO, timeout=600, env={**os.environ, "EGOV_PROGRESS": "1"})
    assert out.returncode == 0, out.stderr[-3000:]
    assert "release 1.0.0:" in out.stdout and "egov query" in out.stdout
    # the mirror is crawled as of its snapshot, not the calendar: mst.gov.vn's daily listing finds its pages
    assert re.search(r"^offline mirror \(snapshot of \d{4}-\d\d-\d\d\b", out.stdout, re.M), out.stdout[:500]
    assert "no page for any of" not in out.stdout + out.stderr, out.stderr[-3000:]
    # the per-site summary table, and the progress bars (forced on: stderr is not a terminal here)
    assert re.search(r"^baochinhphu\.vn\s+\d+\s+\d+", out.stdout, re.M), out.stdout
    done = re.search(r"pages cleaned \+ extracted\s.*?(\d+)/(\d+)", out.stderr)
    assert done and done.group(1) == done.group(2) != "0", out.stderr[-3000:]
    package = tmp_path / "releases" / "1.0.0" / "datapackage.json"
    assert str(package) in out.stdout
    check = subprocess.run([sys.executable, "-m", "frictionless", "validate", str(package)],
                           capture_output=True, text=True, timeout=300)
    assert check.returncode == 0, check.stdout[-2000:]
