"""Do two checkouts' extractors give the same output? The check behind every speed change.

Why: a speed-up of the extractor must not change a single observation. The gold scores cannot
show that (they round, and cover ~900 figures); this compares `extract()`'s whole output, byte
for byte, on several thousand inputs chosen to reach the rare paths: the gold texts with and
without their titles and tables, the benchmark's 5,000-character articles, synthetic articles,
and gold texts upper-cased, re-spaced, or carrying "İ", "ı", "ſ" (the letters whose case rules
differ between str.lower and the regex engine).

    .venv/bin/python bench/identity.py --against DIR [--synthetic 3000]

The inputs are built here, once, and written to a file; each tree's extractor reads that file in
its own process (`PYTHONPATH=tree`) and writes one JSON line per input. Prints how many inputs
differ and the first few differences; exits 1 if any does.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHOWN = 5   # differences printed in full


def inputs(n_synthetic: int) -> list[dict]:
    """The inputs, in a fixed order: the same for every tree and every run (built from this tree)."""
    sys.path.insert(0, str(ROOT))   # only here: a --run process must import the other tree's extractor
    from bench.extraction import corpus, gold_docs
    from mirror.synthetic import SyntheticCorpus
    out = []
    docs = gold_docs()
    for d in docs:
        out.append({"body": d["body"], "published": d.get("published"), "default_area": d.get("area") or "Việt Nam",
                    "title": d.get("title"), "tables": d.get("tables")})
        out.append({"body": d["body"], "published": d.get("published")})
    out += [{"body": a["body"], "published": a["published"], "title": a["title"]} for a in corpus(5000)]
    synthetic = SyntheticCorpus(max(1, n_synthetic), seed=7)
    out += [{"body": a["body"], "published": a["published"], "title": a["title"]}
            for a in map(synthetic.article, range(n_synthetic))]
    rng = random.Random(3)
    for d in docs[:60]:
        body, pub = d["body"], d.get("published")
        cut = rng.randrange(len(body) + 1)
        out += [{"body": body.upper(), "published": pub},
                {"body": body.replace(" ", "  ").replace(",", " ,"), "published": pub, "default_area": "Hà Nội"},
                {"body": body[:cut] + "İı ſ" + body[cut:], "published": pub}]
    return out


def run_extractor(in_path: str, out_path: str) -> None:
    """In the tree's own process: one output line per input line (an error is an output too)."""
    from extractors.extract import extract
    print(f"extractor of {Path(sys.modules[extract.__module__].__file__).parents[1]}", file=sys.stderr)
    with open(in_path, encoding="utf-8") as src, open(out_path, "w", encoding="utf-8") as dst:
        for line in src:
            try:
                result = extract(**json.loads(line))
            except Exception as e:  # noqa: BLE001 - a crash is an output to compare
                result = {"error": repr(e)}
            dst.write(json.dumps(result, ensure_ascii=False, sort_keys=True, default=str) + "\n")


def outputs(tree: Path, in_path: str, workdir: str) -> list[str]:
    out_path = os.path.join(workdir, f"{abs(hash(str(tree)))}.jsonl")
    env = {**os.environ, "PYTHONPATH": str(tree)}
    subprocess.run([sys.executable, __file__, "--run", in_path, out_path], env=env, check=True)
    return Path(out_path).read_text(encoding="utf-8").splitlines()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--against", type=Path, help="another checkout's root")
    ap.add_argument("--synthetic", type=int, default=3000, help="synthetic articles among the inputs")
    ap.add_argument("--run", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.run:
        run_extractor(*args.run)
        return
    if not args.against:
        ap.error("--against DIR is required: the checkout to compare this one with")
    items = inputs(args.synthetic)
    with tempfile.TemporaryDirectory() as workdir:
        in_path = os.path.join(workdir, "inputs.jsonl")
        Path(in_path).write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
        theirs = outputs(args.against.resolve(), in_path, workdir)
        ours = outputs(ROOT, in_path, workdir)
    differ = [k for k, (a, b) in enumerate(zip(theirs, ours)) if a != b]
    print(f"{len(items)} inputs; {len(differ)} differ between {args.against} and {ROOT}")
    for k in differ[:SHOWN]:
        at = next((i for i, (a, b) in enumerate(zip(theirs[k], ours[k])) if a != b), 0)
        window = slice(max(0, at - 120), at + 180)    # where the two outputs part
        print(f"\ninput {k} ({items[k]['body'][:60]!r}…), from output character {window.start}:\n"
              f"  theirs: {theirs[k][window]}\n  ours:   {ours[k][window]}")
    sys.exit(1 if differ or len(theirs) != len(ours) else 0)


if __name__ == "__main__":
    main()
