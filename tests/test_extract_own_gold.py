"""The extractor against the hard-case gold texts in tests/gold/ (number notations, scale words,
ranges, ranks, multiples, "so với", periods, places, cumulative vs period, identifiers, legal
symbols), the mirror gold and the three held-out rounds (tests/gold_blind, gold_blind2,
gold_blind3: articles annotated without looking at the extractor), held to issue 3's targets, through `extractors.evaluate.run` — what `egov eval` prints."""

import json
from pathlib import Path

import pytest

from extractors.evaluate import format_report, run

ROOT = Path(__file__).resolve().parents[1]
OWN_GOLD = ROOT / "tests" / "gold"
MIRROR_GOLD = ROOT / "mirror" / "articles"
BLIND_GOLD = ROOT / "tests" / "gold_blind"
GOLD = {"own": OWN_GOLD, "mirror": MIRROR_GOLD, "blind": BLIND_GOLD,
        "blind2": ROOT / "tests" / "gold_blind2", "blind3": ROOT / "tests" / "gold_blind3"}


@pytest.fixture(scope="module", params=sorted(GOLD))
def result(request):
    res = run([GOLD[request.param]])
    print(format_report(res, details=True))
    return res


def test_at_least_thirty_hard_cases():
    assert len(list(OWN_GOLD.glob("*.json"))) >= 30


def test_precision_and_recall(result):
    assert result["files"] >= 24
    assert result["observations"]["precision"] >= 0.95
    assert result["observations"]["recall"] >= 0.93


def test_legal_refs_and_fields(result):
    assert result["legal_refs"]["f1"] >= 0.97
    for field in ("indicator", "area", "as_of", "period_start", "qualifier"):
        assert result["fields"][field] >= 0.95, field


def test_run_skips_what_is_not_gold_and_reports_it(tmp_path):
    good = json.loads((OWN_GOLD / "hc01_decimal_dot.json").read_text(encoding="utf-8"))
    (tmp_path / "a.json").write_text(json.dumps(good, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "pointer.json").write_text('{"id": "x", "same_as": "y"}', encoding="utf-8")
    res = run([tmp_path])
    assert res["files"] == 1 and res["matched"] == len(good["observations"])
    assert len(res["skipped"]) == 2 and all("\n" not in s for s in res["skipped"])
    assert any("broken.json" in s and "JSON" in s for s in res["skipped"])
    report = format_report(res)
    assert "1 gold files, 2 skipped" in report and "precision" in report
