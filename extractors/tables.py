"""Observations from HTML tables (rows of cell strings, as `clean()["tables"]` returns them).

Why its own module: in a table the words that give a number its meaning are not around it but in
its column header ("Tỷ lệ hồ sơ trực tuyến (%)", "Số tiền (tỷ đồng)", "Quý I/2024") and its row
label ("Bắc Giang"). So each cell is read as the phrase "row label, header, cell" and the same
number grammar, period grammar, places and indicator catalogue as prose decide its fields.
Offsets do not exist for a cell: start = end = -1, `sentence` is the row joined with " | ", and
`rule` is "table".

Header rows are those before the first row with a figure; a cell that is a stretch of time ("6
tháng đầu năm 2025") is a header, so a period row over a unit row counts both. The indicator is the
measure the column header names, or, in a table whose columns are dates or years, the row label's.
Under "Xếp hạng" a cell is a rank ("21/63": of 63), elsewhere "X/Y" is a ratio; a signed cell keeps
its sign; a "lũy kế" row has no period_start. A cell restating a prose figure is dropped by
extract() (`restated`): the same fact stated twice is one observation (lexicon.yaml `tables:`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from extractors import areas, indicators, periods
from extractors.lexicon import load
from extractors.numbers import NUMBER_RE, SCALES, as_number, read_numeral

_LEX = load("lexicon")
_TABLE = _LEX["tables"]
_PERCENT_HEADER_RE = re.compile(_TABLE["percent_header"], re.IGNORECASE)
_MONEY_HEADER_RE = re.compile(_TABLE["money_header"], re.IGNORECASE)
_CHANGE_HEADER_RE = re.compile(_TABLE["change_header"], re.IGNORECASE)
_SCALE_HEADER_RE = re.compile(r"(?<!\w)(" + "|".join(sorted(map(re.escape, SCALES), key=len, reverse=True))
                              + r")(?!\w)", re.IGNORECASE)
_CELL_RE = re.compile(r"^\s*(?:(?P<q>khoảng|gần|trên|hơn|dưới)\s+)?(?P<sign>[+\-−–])?\s*(?P<num>[\d.,]+)\s*(?P<rest>.*?)\s*$",
                      re.IGNORECASE)
_OF_RE = re.compile(r"/\s*(?P<den>\d+)")          # "21/63": a position or a part out of a whole
_RANK_HEADER_RE = re.compile(_TABLE["rank_header"], re.IGNORECASE)
_CUMULATIVE_RE = re.compile(_TABLE["cumulative"], re.IGNORECASE)
_YEAR_ONLY_RE = re.compile(r"^\s*((?:19|20)\d{2})\s*$")
_FLOW_RE = re.compile(_LEX["flow_verbs"] + "|" + _TABLE["flow_nouns"], re.IGNORECASE)
_AS_YEAR = r"năm \1"
_UNIT_PARENS_RE = re.compile(r"\([^()]*\)")
_MEASURE_LEAD_RE = re.compile(_TABLE["measure_lead"], re.IGNORECASE)
_QUAL = {"khoảng": "approx", "gần": "approx", "trên": "at_least", "hơn": "at_least", "dưới": "at_most"}


def header_rows(table: list[list[str]]) -> int:
    """How many leading rows are headers: those before the first row with a number after its label.
    A cell that is a stretch of time ("6 tháng đầu năm 2025", "30/6/2025") is a header, not a figure."""
    for i, row in enumerate(table):
        if any(_is_figure(c) and not _is_time(c) for c in row[1:]):
            return max(i, 1)
    return len(table)


def _is_figure(cell: str) -> bool:
    m = _CELL_RE.match(cell or "")
    return bool(m and NUMBER_RE.fullmatch(m.group("num")))


def _is_time(cell: str) -> bool:
    """Whether a time expression covers the whole cell ("9 tháng năm 2025", "Quý III/2025")."""
    text = cell.strip()
    return any(e.start == 0 and e.end >= len(text) for e in periods.find_time_expressions(text, date.today()))


def observations(tables, pub: date | None, fallback_area: str, article: str) -> list[dict]:
    ref_day = pub or date.today()
    out = []
    for table in tables or []:
        rows = [[str(c or "").strip() for c in row] for row in table if row]
        if len(rows) < 2:
            continue
        n_head = header_rows(rows)
        width = max(len(r) for r in rows)
        headers = [" ".join(r[j] for r in rows[:n_head] if j < len(r) and r[j]) for j in range(width)]
        for row in rows[n_head:]:
            for j in range(1, len(row)):
                obs = _cell(row, j, headers[j] if j < len(headers) else "", headers[0], ref_day, pub,
                            fallback_area, article, " | ".join(h for h in headers if h))
                if obs is not None:
                    out.append(obs)
    return out


def _measure(text: str, ref_day: date) -> str:
    """What a header or row label names once its dates, bare years and bracketed unit are taken
    out ("Quý III/2025 Tỷ lệ hồ sơ trực tuyến (%)" -> "Tỷ lệ hồ sơ trực tuyến"); "" if nothing is left."""
    text = _UNIT_PARENS_RE.sub(" ", text)
    for e in sorted(periods.find_time_expressions(text, ref_day), key=lambda e: -e.start):
        text = text[:e.start] + " " + text[e.end:]
    text = re.sub(r"(?<!\w)(?:năm\s+)?(?:19|20)\d{2}(?!\w)", " ", text, flags=re.IGNORECASE)
    text = " ".join(text.split()).strip(" ,;:-")
    return text if re.search(r"[^\W\d_]", text) else ""


def _cell(row, j, header, label_header, ref_day, pub, fallback_area, article, all_headers="") -> dict | None:
    m = _CELL_RE.match(row[j])
    if not m or not NUMBER_RE.fullmatch(m.group("num")):
        return None
    label = row[0]
    of = _OF_RE.fullmatch(m.group("rest"))
    phrase = m.group("num") if of else f"{m.group('num')} {m.group('rest')}".strip()
    num = read_numeral(phrase, NUMBER_RE.match(phrase))
    value, kind, text = num.value, None, row[j]
    if m.group("sign") and m.group("sign") != "+":      # in a cell the sign is the only mark of direction
        value = -value
    denominator = int(of.group("den")) if of else None
    words = f"{header} {label}"      # the unit may head the column or label the row
    if num.unit_kind is None and _RANK_HEADER_RE.search(words):
        kind = "rank"               # "Xếp hạng": a position, "21/63" a position out of 63
    elif of and num.unit_kind is None:
        kind = "ratio"              # "11/25" of anything else: a part out of a whole
    elif num.unit_kind in ("percent", "money"):
        kind = num.unit_kind
    elif num.unit_kind == "percent_point":      # a difference of percentages, as in the text
        kind = "percent"
    elif _PERCENT_HEADER_RE.search(words):
        kind = "percent"
    if num.scale is None and kind != "percent":
        scale = _SCALE_HEADER_RE.search(words)
        if scale:
            value *= SCALES.get(scale.group(1).lower(), 1)
    if kind is None:
        kind = "money" if _MONEY_HEADER_RE.search(words) else "count"
    change = num.unit_kind == "percent_point" or bool(_CHANGE_HEADER_RE.search(words))
    # A column headed by a bare year ("2023") is that year; an event noun makes it the year's flow.
    period_text = _YEAR_ONLY_RE.sub(_AS_YEAR, header) + ". " + _YEAR_ONLY_RE.sub(_AS_YEAR, label)
    exprs = periods.find_time_expressions(period_text, ref_day)
    expr = next((e for e in exprs if not e.comparison), None)
    if expr is not None and expr.marker == "bare" and expr.kind == "year" and _FLOW_RE.search(words):
        expr = replace(expr, marker="period")
    as_of, period_start = periods.resolve(expr, ref_day, kind in ("count", "money") and not change)
    if _CUMULATIVE_RE.search(words):     # "lũy kế": a running total, dated by its column only
        period_start = None
    if expr is None and pub is None:
        as_of = None
    places = [name for _, _, name in areas.find_places(label)] or \
             [name for _, _, name in areas.find_places(header + " " + label_header)]
    # The measure is what the column header names, else (a column of dates or years) the row
    # label: read the cell as "<measure> <cell> <counted noun>", in the sentence of all the headers
    # (a bare "Số tiền" column beside "Số giao dịch thanh toán trực tuyến" is that payment's money).
    # The first column's header ("Chỉ tiêu", "Địa phương") names the labels, not this figure.
    measure = _measure(header, ref_day)
    before = f"{_measure(label, ref_day)} {measure}" if measure else _measure(label, ref_day)
    measure = measure or before
    noun = _MEASURE_LEAD_RE.sub("", measure)
    sentence = f"{all_headers or header} | " + " | ".join(row)
    ctx = indicators.Context(kind=kind, change=change, average=False, qualifier="exact",
                             texts={"before": before, "after": f" {noun}",
                                    "sentence": sentence, "paragraph": sentence, "prefix": "",
                                    "article": article})
    return {
        "value": as_number(value), "denominator": denominator, "kind": kind, "change": change,
        "qualifier": _QUAL.get((m.group("q") or "").lower(), "exact"),
        "indicator": indicators.own_indicator(ctx), "area": places[0] if places else fallback_area,
        "as_of": as_of, "period_start": period_start, "text": text,
        "sentence": " | ".join(row), "start": -1, "end": -1, "rule": "table",
    }


def restated(cell: dict, prose: list[dict]) -> bool:
    """Whether the article's prose already states this cell's fact: the same kind, direction,
    value and denominator, of the same place at the same date. The same fact stated twice is one
    observation, the prose's (it comes first and carries the words around the figure)."""
    key = _fact(cell)
    return any(_fact(o) == key for o in prose)


def _fact(o: dict) -> tuple:
    value = o.get("value")
    return (o.get("kind"), bool(o.get("change")), None if value is None else float(value),
            o.get("denominator"), o.get("area"), o.get("as_of"))
