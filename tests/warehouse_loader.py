"""A writer process for the concurrency tests: `python -m tests.warehouse_loader PATH N [--hold S] [--per-batch]`.

Loads numbered batches 0..N-1 into the warehouse at PATH and prints "committed i" after each
commit. --per-batch opens a connection per batch (as the flow does); --hold keeps the writer
connection open S seconds before loading (to test who waits for whom).
"""

from __future__ import annotations

import argparse
import sys
import time

import warehouse
from tests.warehouse_batches import numbered_batch


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("batches", type=int)
    parser.add_argument("--hold", type=float, default=0.0)
    parser.add_argument("--per-batch", action="store_true")
    parser.add_argument("--wait", type=float, default=None)
    args = parser.parse_args()
    batches = [numbered_batch(i) for i in range(args.batches)]
    try:
        if args.per_batch:
            with warehouse.writer_lock(args.path, wait=args.wait or 30):
                for i, batch in enumerate(batches):
                    with warehouse.connect(args.path, wait=args.wait) as con:
                        warehouse.load_batch(con, batch)
                    print("committed", i, flush=True)
                    time.sleep(0.02)
            return 0
        with warehouse.connect(args.path, wait=args.wait) as con:
            print("open", flush=True)
            time.sleep(args.hold)
            for i, batch in enumerate(batches):
                warehouse.load_batch(con, batch)
                print("committed", i, flush=True)
    except warehouse.WarehouseLocked as exc:
        print("LOCKED", exc, flush=True)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
