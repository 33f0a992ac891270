"""The extractor against the seed gold annotations (shared/gold/seeds): the spec's worked
examples. Thresholds are the project's acceptance bar for the extraction stage."""

import json
from pathlib import Path

import pytest

from extractors.evaluate import format_report, score
from extractors.extract import extract

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "gold" / "seeds"

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed gold not found at {SEEDS} (shared/ sits beside the repo)")


@pytest.fixture(scope="module")
def result():
    golds = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.json"))]
    assert golds, "no seed gold files"
    preds = [{"id": g["id"], **extract(g["body"], g["published"], title=g.get("title"))} for g in golds]
    res = score(preds, golds)
    print(format_report(res, details=True))
    return res


def test_observation_precision_and_recall(result):
    assert result["observations"]["precision"] >= 0.97
    assert result["observations"]["recall"] >= 0.97


@pytest.mark.parametrize("field", ["indicator", "area", "qualifier", "change", "as_of", "period_start"])
def test_field_accuracy(result, field):
    assert result["fields"][field] >= 0.95


def test_legal_refs(result):
    assert result["legal_refs"]["f1"] >= 0.97


def test_offsets_point_into_the_body():
    for path in sorted(SEEDS.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        for o in extract(gold["body"], gold["published"])["observations"]:
            assert gold["body"][o["start"]:o["end"]] == o["text"]
