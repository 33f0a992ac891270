"""Scores extracted observations and legal references against gold annotations.

Why: the spec is the contract and the gold files are its worked examples; every change to a
rule or lexicon is judged by these numbers on the seeds and on the mirror corpus.

Matching (per article, one-to-one): a predicted observation can match a gold one with the same
kind and value (and denominator). Among several candidates the one with the same `text`, then
the one nearest in reading order, is preferred — gold has no offsets, so order is the proxy.
Precision / recall / F1 count matched pairs; field accuracies are measured on matched pairs.
Legal references are scored by F1 on their symbols.
"""

from __future__ import annotations

import math

FIELDS = ("indicator", "area", "qualifier", "change", "as_of", "period_start")


def _same_value(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)


def _compatible(pred: dict, gold: dict) -> bool:
    return (pred.get("kind") == gold.get("kind") and _same_value(pred.get("value"), gold.get("value"))
            and _same_value(pred.get("denominator"), gold.get("denominator")))


def match_observations(pred: list[dict], gold: list[dict]) -> list[tuple[int, int]]:
    """(pred index, gold index) pairs of a one-to-one matching."""
    used: set[int] = set()
    pairs = []
    n_pred, n_gold = max(len(pred), 1), max(len(gold), 1)
    for gi, g in enumerate(gold):
        best, best_key = None, None
        for pi, p in enumerate(pred):
            if pi in used or not _compatible(p, g):
                continue
            key = (p.get("text") != g.get("text"), abs(pi / n_pred - gi / n_gold))
            if best_key is None or key < best_key:
                best, best_key = pi, key
        if best is not None:
            used.add(best)
            pairs.append((best, gi))
    return pairs


def _prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f}


def _as_list(docs) -> list[dict]:
    return list(docs.values()) if isinstance(docs, dict) else list(docs)


def _pair_docs(pred_docs, gold_docs):
    if isinstance(pred_docs, dict) and isinstance(gold_docs, dict):
        return [(pred_docs.get(k, {}), g, k) for k, g in gold_docs.items()]
    preds, golds = _as_list(pred_docs), _as_list(gold_docs)
    by_id = {p.get("id"): p for p in preds if p.get("id") is not None}
    if by_id and all(g.get("id") in by_id for g in golds):
        return [(by_id[g["id"]], g, g["id"]) for g in golds]
    return [(p, g, g.get("id", i)) for i, (p, g) in enumerate(zip(preds, golds))]


def score(pred_docs, gold_docs) -> dict:
    """Scores a corpus. Docs are dicts with `observations` and `legal_refs` (as `extract`
    returns, or gold files); pass two lists in the same order or with matching `id`s, or two
    dicts keyed by article id.

    Returns precision/recall/f1 for observations, per-field accuracy on matched pairs,
    legal-reference precision/recall/f1, counts, and per-article details with the mismatches.
    """
    tp = n_pred = n_gold = 0
    field_hits = {f: 0 for f in FIELDS}
    l_tp = l_pred = l_gold = 0
    articles = []
    for pred, gold, doc_id in _pair_docs(pred_docs, gold_docs):
        p_obs, g_obs = pred.get("observations", []), gold.get("observations", [])
        pairs = match_observations(p_obs, g_obs)
        tp, n_pred, n_gold = tp + len(pairs), n_pred + len(p_obs), n_gold + len(g_obs)
        wrong = []
        for pi, gi in pairs:
            for f in FIELDS:
                if p_obs[pi].get(f) == g_obs[gi].get(f):
                    field_hits[f] += 1
                else:
                    wrong.append((f, g_obs[gi].get("text"), p_obs[pi].get(f), g_obs[gi].get(f)))
        matched_p, matched_g = {p for p, _ in pairs}, {g for _, g in pairs}
        p_sym = {r.get("symbol") for r in pred.get("legal_refs", [])}
        g_sym = {r.get("symbol") for r in gold.get("legal_refs", [])}
        l_tp, l_pred, l_gold = l_tp + len(p_sym & g_sym), l_pred + len(p_sym), l_gold + len(g_sym)
        articles.append({
            "id": doc_id, "tp": len(pairs), "pred": len(p_obs), "gold": len(g_obs),
            "spurious": [p_obs[i] for i in range(len(p_obs)) if i not in matched_p],
            "missed": [g_obs[i] for i in range(len(g_obs)) if i not in matched_g],
            "field_errors": wrong,
            "legal_spurious": sorted(p_sym - g_sym), "legal_missed": sorted(g_sym - p_sym),
        })
    result = {"observations": _prf(tp, n_pred, n_gold), "matched": tp, "predicted": n_pred, "gold": n_gold,
              "fields": {f: (field_hits[f] / tp if tp else 1.0) for f in FIELDS},
              "legal_refs": _prf(l_tp, l_pred, l_gold), "articles": articles}
    return result


def format_report(result: dict, details: bool = False) -> str:
    """A small plain-text table of a `score` result (with mismatches when `details`)."""
    o, lg = result["observations"], result["legal_refs"]
    lines = [f"{result['files']} gold files" + (f", {len(result['skipped'])} skipped" if result.get("skipped") else "")
             ] if "files" in result else []
    lines += [f"skipped {line}" for line in result.get("skipped", [])]
    lines += [
        f"{'':<22}{'precision':>10}{'recall':>10}{'f1':>10}",
        f"{'observations':<22}{o['precision']:>10.3f}{o['recall']:>10.3f}{o['f1']:>10.3f}",
        f"{'legal references':<22}{lg['precision']:>10.3f}{lg['recall']:>10.3f}{lg['f1']:>10.3f}",
        f"matched {result['matched']} of {result['gold']} gold, {result['predicted']} predicted",
        "",
        f"{'field (matched pairs)':<22}{'accuracy':>10}",
    ]
    lines += [f"{f:<22}{acc:>10.3f}" for f, acc in result["fields"].items()]
    if details:
        for art in result["articles"]:
            lines.append(f"\n[{art['id']}] tp={art['tp']} pred={art['pred']} gold={art['gold']}")
            lines += [f"  spurious {o.get('text')!r} {o.get('kind')} ({o.get('rule')})" for o in art["spurious"]]
            lines += [f"  missed   {o.get('text')!r} {o.get('kind')}" for o in art["missed"]]
            lines += [f"  field    {f}: {t!r} got {p!r} want {g!r}" for f, t, p, g in art["field_errors"]]
            if art["legal_spurious"] or art["legal_missed"]:
                lines.append(f"  legal spurious={art['legal_spurious']} missed={art['legal_missed']}")
    return "\n".join(lines)


def evaluate_files(paths, extract_fn=None) -> dict:
    """Runs the extractor over gold JSON files and scores it (for the CLI and tests)."""
    import json

    from extractors.extract import extract

    extract_fn = extract_fn or extract
    golds, preds = [], []
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            gold = json.load(fh)
        golds.append(gold)
        preds.append({"id": gold.get("id"), **_extracted(extract_fn, gold)})
    return score(preds, golds)


def run(paths) -> dict:
    """Scores the extractor on gold JSON files (files, or folders searched for *.json): each
    gold's body is extracted with its `published`, `title` and `tables`. A file that is not a gold
    annotation (no `body` string, unreadable JSON) is skipped and reported in `skipped` as one
    line saying what and where; it never stops the rest. For `egov eval`."""
    import json
    from pathlib import Path

    from extractors.extract import extract

    golds, preds, skipped = [], [], []
    for path in _gold_paths(paths):
        try:
            gold = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            skipped.append(f"{path}: not readable JSON ({type(exc).__name__}: {exc})".splitlines()[0])
            continue
        if not isinstance(gold, dict) or not isinstance(gold.get("body"), str):
            skipped.append(f"{path}: not a gold annotation (no 'body' text)")
            continue
        gold.setdefault("id", Path(path).stem)
        golds.append(gold)
        preds.append({"id": gold["id"], **_extracted(extract, gold)})
    result = score(preds, golds)
    result.update(files=len(golds), skipped=skipped)
    return result


def _extracted(extract_fn, gold: dict) -> dict:
    """What the extractor reads of a gold article: its body, publication time and title, and its
    tables when it has some (`tables`: rows of cell strings, header rows first, as `clean()`
    returns them), so table figures are scored like the text's."""
    kwargs = {"title": gold.get("title")}
    if gold.get("tables"):
        kwargs["tables"] = gold["tables"]
    return extract_fn(gold["body"], gold.get("published"), **kwargs)


def _gold_paths(paths) -> list:
    from pathlib import Path

    out = []
    for p in map(Path, paths):
        out.extend(sorted(p.rglob("*.json")) if p.is_dir() else [p])
    return out


if __name__ == "__main__":  # python -m extractors.evaluate GOLD.json|FOLDER … [-v]
    import sys

    args = [a for a in sys.argv[1:] if a != "-v"]
    print(format_report(run(args), details="-v" in sys.argv))
