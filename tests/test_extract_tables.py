"""Figures in HTML tables: unit, scale and period from the headers and row labels."""

from extractors.clean import clean
from extractors.extract import extract

from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "clean"


def _by_text(out):
    return {o["text"]: o for o in out["observations"]}


def test_units_periods_places_and_indicators_from_headers():
    table = [["Địa phương", "Tỷ lệ hồ sơ nộp trực tuyến 6 tháng đầu năm 2024 (%)",
              "Số hồ sơ tiếp nhận quý I/2024", "Thanh toán trực tuyến (tỷ đồng)"],
             ["Bắc Giang", "86,4", "91.230", "12,5"],
             ["Hà Nội", "70", "1.200.000", "300"]]
    out = extract("Kết quả của hai địa phương như sau.", "2024-07-10", tables=[table])
    obs = [o for o in out["observations"] if o["rule"] == "table"]
    assert len(obs) == 6
    rate = obs[0]
    assert (rate["kind"], rate["value"], rate["indicator"], rate["area"], rate["as_of"]) == (
        "percent", 86.4, "online_application_rate", "Bắc Giang", "2024-06-30")
    assert (rate["start"], rate["end"], rate["sentence"]) == (-1, -1, "Bắc Giang | 86,4 | 91.230 | 12,5")
    count = obs[1]
    assert (count["value"], count["as_of"], count["period_start"]) == (91230, "2024-03-31", "2024-01-01")
    money = obs[5]
    assert (money["kind"], money["value"], money["indicator"], money["area"]) == (
        "money", 300_000_000_000, "online_payment_value", "Hà Nội")


def test_cleaner_tables_with_years_as_columns():
    html = (FIXTURES / "tapchitaichinh_table.html").read_text(encoding="utf-8")
    page = clean(html, "https://tapchitaichinh.vn/tai-chinh-so/x-1.html", None)
    out = extract(page["body"], page["published"], title=page["title"], tables=page["tables"])
    table_obs = [o for o in out["observations"] if o["rule"] == "table"]
    assert table_obs, page["tables"]
    money_2023 = [o for o in table_obs if o["kind"] == "money" and o["as_of"] == "2023-12-31"]
    assert money_2023 and money_2023[0]["value"] == 4_800_000_000_000
    assert money_2023[0]["period_start"] == "2023-01-01"


def test_odd_tables_do_not_crash():
    odd = [[], [[]], [["a"]], [["", ""], ["x", ""]], [["h", "h2"], ["r", "9" * 5000]], [["1", "2"], ["3"]]]
    out = extract("Không có số.", None, tables=odd)
    assert isinstance(out["observations"], list)


def test_a_cell_in_percentage_points_is_a_percent_change():
    table = [["Địa phương", "Hồ sơ trực tuyến"],
             ["Bắc Giang", "2,1 điểm phần trăm"], ["Hà Nội", "3,5%"]]
    out = extract("Kết quả như sau.", "2024-07-10", tables=[table])
    cells = {o["text"]: o for o in out["observations"] if o["rule"] == "table"}
    assert (cells["2,1 điểm phần trăm"]["kind"], cells["2,1 điểm phần trăm"]["change"]) == ("percent", True)
    assert (cells["3,5%"]["kind"], cells["3,5%"]["change"]) == ("percent", False)


def test_eval_scores_the_figures_of_a_gold_articles_tables(tmp_path):
    """`egov eval` hands a gold article's `tables` to the extractor: their figures are matched
    and scored like the text's, and a gold without tables is read as before."""
    import json

    from extractors.evaluate import run

    gold = {"id": "t1", "title": None, "published": "2024-07-10T08:00:00+07:00",
            "body": "Kết quả của địa phương như sau.",
            "tables": [[["Địa phương", "Tỷ lệ hồ sơ nộp trực tuyến 6 tháng đầu năm 2024 (%)"],
                        ["Bắc Giang", "86,4"]]],
            "observations": [{"value": 86.4, "denominator": None, "kind": "percent", "change": False,
                              "qualifier": "exact", "indicator": "online_application_rate",
                              "area": "Bắc Giang", "as_of": "2024-06-30", "period_start": None,
                              "text": "86,4"}],
            "legal_refs": []}
    (tmp_path / "t1.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    result = run([tmp_path])
    assert result["observations"]["recall"] == 1.0 and result["observations"]["precision"] == 1.0
    assert result["fields"]["indicator"] == 1.0 and result["fields"]["area"] == 1.0
