"""Benchmark: pure policy evaluation, the part of every exposure refresh that policies add.

    .venv/bin/python tests/bench/bench_policies.py [--workflows 10000] [--repeat 3]

Builds synthetic subjects (three dependencies per workflow, like seed_scale) and evaluates the five
built-in templates over them. Prints the best wall time and subjects per second. Target: a 10,000-workflow
organization (30,000 subjects) in under a CPU second (wall time depends on the machine's load), so re-evaluation never dominates a refresh.
"""

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from apps.policies.evaluation import evaluate
from apps.policies.templates import TEMPLATES

TARGET_SECONDS = 1.0


def subjects(workflows: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for workflow_id in range(workflows):
        base = {
            "_workflow_id": workflow_id,
            "workflow.name": f"Workflow {workflow_id}",
            "workflow.criticality": rng.choice(["high", "medium", "low"]),
            "workflow.deployment": rng.choice(["self-hosted", "cloud-api", "edge", "via-tool"]),
            "workflow.data_sensitivity": rng.choice(["public", "internal", "confidential", "regulated"]),
            "workflow.exposure_band": rng.choice(["high", "medium", "low"]),
            "workflow.vendor_count": rng.randint(1, 3),
            "workflow.benchmarked_alternative": rng.random() < 0.2,
        }
        for index in range(3):
            rows.append(
                base
                | {
                    "model.name": f"Model {index}",
                    "model.license": rng.choice(["apache-2.0", "mit", "llama3.1", "qwen", "proprietary"]),
                    "model.approval": rng.choice(["unreviewed", "approved", "blocked"]),
                    "vendor.risk": rng.choice(["high", "medium", "low"]),
                }
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workflows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = subjects(args.workflows)
    best, best_cpu, found = float("inf"), float("inf"), 0
    for _ in range(args.repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        found = len(evaluate(TEMPLATES, rows))
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
    verdict = "ok" if best_cpu < TARGET_SECONDS else "MISSED"
    print(
        f"{len(rows)} subjects, {len(TEMPLATES)} policies: {found} violations in {best:.3f} s wall, "
        f"{best_cpu:.3f} s CPU ({len(rows) / best_cpu:,.0f} subjects per CPU second); "
        f"target < {TARGET_SECONDS} s CPU: {verdict}"
    )


if __name__ == "__main__":
    main()
