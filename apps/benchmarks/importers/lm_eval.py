"""lm-evaluation-harness ``results_<timestamp>.json``.

One BenchResult per *top-level* task: a task or group that is not itself a subtask of a group
listed in ``group_subtasks`` (so ``mmlu`` counts once, not once plus 57 subjects). Its ``score``
is the task's primary metric — the first ``"<metric>,<filter>"`` key, in file order, whose metric
``higher_is_better`` marks true (or simply the first when that table is absent); every metric is
kept in ``metrics``. lm-eval has no pass/fail, latency, tokens or cost: those stay ``None``.
"""

from __future__ import annotations

from typing import Any

from apps.benchmarks.identifiers import model_ref_from_lm_eval
from apps.benchmarks.importers.fields import BenchImportError, Node
from apps.benchmarks.records import BenchResult, BenchRun

_LM_EVAL_MARKERS = ("lm_eval_version", "n-shot", "versions", "configs", "higher_is_better")


def looks_like_lm_eval(document: Any) -> bool:
    if not isinstance(document, dict) or not isinstance(document.get("results"), dict):
        return False
    config = document.get("config")
    return any(marker in document for marker in _LM_EVAL_MARKERS) or (
        isinstance(config, dict) and "model_args" in config
    )


def parse_lm_eval(document: Any) -> BenchRun:
    root = Node(document).expect_object()
    config = root.object("config")
    model_args = config.value.get("model_args") if config is not None else None
    if model_args is not None and not isinstance(model_args, str | dict):
        raise config.error(
            "expected a string such as 'pretrained=Qwen/Qwen2.5-7B,dtype=bfloat16'", "model_args"
        )
    ref = model_ref_from_lm_eval(
        model_args=model_args,
        model_name=root.string("model_name"),
        model_type=config.string("model") if config is not None else None,
    )
    if ref is None:
        raise BenchImportError(
            "required field is missing (no model_name, no pretrained= in it)", path="config.model_args"
        )

    tasks = root["results"].expect_object()
    higher_is_better = root.mapping("higher_is_better")
    nested = _subtask_names(root)
    results = []
    for task_name, task_value in tasks.value.items():
        if task_name in nested:
            continue
        task = Node(task_value, tasks.child_path(task_name)).expect_object()
        metrics = _metrics(task)
        better = (
            higher_is_better.get(task_name) if isinstance(higher_is_better.get(task_name), dict) else None
        )
        alias = task.string("alias")
        results.append(
            BenchResult(
                model=ref.identifier,
                provider=config.string("model") if config is not None else None,
                vendor=ref.vendor,
                family=ref.family,
                case_key=task_name,
                case_label=alias.strip(" -") if alias else None,
                score=_primary_score(metrics, better),
                metrics=metrics,
            )
        )
    if not results:
        raise BenchImportError("no task results in the file", path="results")

    return BenchRun(
        source="lm-eval",
        results=results,
        name=f"lm-eval {ref.identifier}",
        started_at=None,  # "date" is a float Unix time in lm-eval, kept raw in metadata
        metadata={
            "date": root.value.get("date"),
            "lm_eval_version": root.string("lm_eval_version"),
            "n_shot": root.mapping("n-shot"),
            "model_args": model_args,
            "total_evaluation_time_seconds": root.value.get("total_evaluation_time_seconds"),
        },
    )


def _subtask_names(root: Node) -> set[str]:
    group_subtasks = root.mapping("group_subtasks")
    return {name for subtasks in group_subtasks.values() if isinstance(subtasks, list) for name in subtasks}


def _metrics(task: Node) -> dict[str, float | None]:
    metrics: dict[str, float | None] = {}
    for key, value in task.value.items():
        if "," not in key:
            continue  # "alias", "name", "sample_len": not metrics
        if value == "N/A" or value is None:
            metrics[key] = None  # lm-eval writes "N/A" for a stderr it could not compute
            continue
        metrics[key] = task.number(key)
    return metrics


def _primary_score(metrics: dict[str, float | None], higher_is_better: dict[str, Any] | None) -> float | None:
    candidates = [key for key in metrics if not key.split(",", 1)[0].endswith("_stderr")]
    if higher_is_better:
        preferred = [key for key in candidates if higher_is_better.get(key.split(",", 1)[0]) is True]
        candidates = preferred or candidates
    for key in candidates:
        if metrics[key] is not None:
            return metrics[key]
    return None
