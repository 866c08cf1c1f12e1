#!/usr/bin/env python3
"""accord's copy grouping side by side with datasketch's MinHash LSH on the same reports.

Runs the `compare_synthetic` example of accord-osint (release build), which generates the
synthetic reports of the grouping bench (70% originals, 15% verbatim copies, 15% rewrites with
one word in five swapped), times accord's fingerprinting and grouping of the texts, and writes
each report's shingles (the hashes of its content words: the sets accord compares) with the
generator's record of planted copies. Then builds datasketch MinHashes over those same shingles
(precomputed: tokenising is not counted against datasketch), indexes them in a MinHashLSH with the
same Jaccard threshold, queries every report, keeps candidates whose estimated Jaccard reaches
the threshold, and counts the planted (copy, original) pairs found. Prints both figures.

Needs `pip install datasketch`. Not part of `cargo test`.

Usage: python3 crates/osint/benches/compare_datasketch.py [--reports 100000] [--threshold 0.5]
       [--num-perm 128]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reports", type=int, default=100_000)
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--num-perm", type=int, default=128)
    args = ap.parse_args()
    try:
        import numpy as np
        from datasketch import MinHash, MinHashLSH
    except ImportError:
        sys.exit("datasketch is not installed: pip install datasketch")

    root = os.path.dirname(os.path.abspath(__file__))
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "shingles.jsonl")
        run = subprocess.run(
            ["cargo", "run", "--quiet", "--release", "-p", "accord-osint",
             "--example", "compare_synthetic", "--", out, str(args.reports), str(args.threshold)],
            cwd=root, check=True, stdout=subprocess.PIPE, text=True)
        accord = json.loads(run.stdout.strip().splitlines()[-1])
        rows = [json.loads(line) for line in open(out)]

    shingles = [np.asarray(r["shingles"], dtype=np.uint32).view(np.uint8).reshape(-1, 4)
                for r in rows]
    start = time.perf_counter()
    hashes = MinHash.bulk([[bytes(s) for s in sh] for sh in shingles], num_perm=args.num_perm)
    lsh = MinHashLSH(threshold=args.threshold, num_perm=args.num_perm)
    with lsh.insertion_session() as session:
        for i, m in enumerate(hashes):
            session.insert(i, m)
    pairs = set()
    for i, m in enumerate(hashes):
        for j in lsh.query(m):
            if j != i and m.jaccard(hashes[j]) >= args.threshold:
                pairs.add((min(i, j), max(i, j)))
    ds_seconds = time.perf_counter() - start

    planted = [(i, r["source"], r["kind"]) for i, r in enumerate(rows) if r["source"] is not None]
    found = sum(1 for i, s, _ in planted if (min(i, s), max(i, s)) in pairs)
    rewrites = [(i, s) for i, s, k in planted if k == "rewrite"]
    rewrites_found = sum(1 for i, s in rewrites if (min(i, s), max(i, s)) in pairs)
    ds_recall = found / max(1, len(planted))

    n = args.reports
    print(f"{n} synthetic reports, {len(planted)} planted copies ({len(rewrites)} rewrites), "
          f"copy threshold: content-word Jaccard {args.threshold}")
    print(f"accord     : {accord['seconds']:.2f} s (fingerprinting the texts and grouping), "
          f"recall {accord['recall']:.3f} ({accord['found']} of {accord['planted']}), "
          f"rewrites {accord['rewrites_found']} of {accord['rewrites_planted']}")
    print(f"datasketch : {ds_seconds:.2f} s (MinHash of the shingles, LSH with {args.num_perm} "
          f"permutations, query and verify), recall {ds_recall:.3f} ({found} of {len(planted)}), "
          f"rewrites {rewrites_found} of {len(rewrites)}")
    print(f"accord is {ds_seconds / accord['seconds']:.1f}x faster at "
          f"{'equal or better' if accord['recall'] >= ds_recall else 'lower'} recall")


if __name__ == "__main__":
    main()
