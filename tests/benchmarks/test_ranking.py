"""The best alternative to a workflow's current model: pure ranking under the user's thresholds."""

from apps.benchmarks.ranking import ModelStanding, Thresholds, rank_alternatives

GPT = ModelStanding(
    "gpt-4o", "GPT-4o", 1, pass_rate=1.0, mean_score=0.95, latency_p95_ms=900, cost_per_1k=4.5
)
QWEN = ModelStanding(
    "qwen2.5:7b", "Qwen2.5-7B-Instruct", 2, pass_rate=0.9, mean_score=0.9, latency_p95_ms=1800,
    cost_per_1k=None, self_hostable=True, open_weights=True,
)  # fmt: skip
LLAMA = ModelStanding(
    "llama3.3:70b", "Llama 3.3 70B", 3, pass_rate=0.9, mean_score=0.92, latency_p95_ms=2500,
    cost_per_1k=0.6, self_hostable=True, open_weights=True,
)  # fmt: skip
MISTRAL = ModelStanding(
    "mistral:7b", "Mistral 7B", 4, pass_rate=0.6, mean_score=0.7, latency_p95_ms=400, cost_per_1k=0.1,
    self_hostable=True,
)  # fmt: skip
LM_EVAL_ONLY = ModelStanding("Qwen/Qwen2.5-72B", "Qwen2.5 72B", 5, pass_rate=None, mean_score=0.8)
ALL = [GPT, QWEN, LLAMA, MISTRAL, LM_EVAL_ONLY]


def test_it_never_proposes_the_workflows_current_model():
    ranking = rank_alternatives(ALL, current_ids={1})

    assert ranking.current == (GPT,)
    assert GPT not in ranking.eligible


def test_it_recognises_the_current_model_by_name_when_it_is_not_in_the_catalog():
    ranking = rank_alternatives(ALL, current_names={"GPT-4o"})

    assert ranking.best == LLAMA


def test_it_ranks_by_pass_rate_then_mean_score():
    ranking = rank_alternatives(ALL, current_ids={1})

    assert ranking.eligible == (LLAMA, QWEN)  # same pass rate, Llama's mean score is higher
    assert ranking.best == LLAMA


def test_a_model_below_the_minimum_pass_rate_is_rejected_with_the_reason():
    ranking = rank_alternatives(ALL, current_ids={1})

    reasons = {rejection.standing.identifier: rejection.reasons for rejection in ranking.rejected}
    assert reasons["mistral:7b"] == ("pass rate 60% < 80%",)
    assert reasons["Qwen/Qwen2.5-72B"] == ("no pass/fail results",)


def test_a_latency_cap_rejects_slow_models():
    ranking = rank_alternatives(ALL, current_ids={1}, thresholds=Thresholds(max_latency_p95_ms=2000))

    assert ranking.best == QWEN
    assert ("p95 latency 2,500 ms > 2,000 ms",) in [r.reasons for r in ranking.rejected]


def test_a_cost_cap_rejects_models_whose_price_is_unknown():
    ranking = rank_alternatives(ALL, current_ids={1}, thresholds=Thresholds(max_cost_per_1k=1.0))

    assert ranking.best == LLAMA
    assert [r.reasons for r in ranking.rejected if r.standing == QWEN] == [("cost unknown",)]


def test_self_hostable_only_leaves_out_api_models():
    ranking = rank_alternatives(ALL, current_ids={2}, thresholds=Thresholds(self_hostable_only=True))

    assert ranking.best == LLAMA
    assert [r.reasons for r in ranking.rejected if r.standing == GPT] == [("not self-hostable",)]


def test_no_threshold_at_all_lets_every_other_model_compete():
    ranking = rank_alternatives(ALL, current_ids={3}, thresholds=Thresholds(min_pass_rate=None))

    assert ranking.eligible == (GPT, QWEN, MISTRAL, LM_EVAL_ONLY)


def test_ties_go_to_the_cheaper_then_the_faster_model():
    cheap = ModelStanding("a", "A", pass_rate=1.0, mean_score=1.0, latency_p95_ms=900, cost_per_1k=1.0)
    pricey = ModelStanding("b", "B", pass_rate=1.0, mean_score=1.0, latency_p95_ms=100, cost_per_1k=2.0)
    unknown = ModelStanding("c", "C", pass_rate=1.0, mean_score=1.0, latency_p95_ms=50, cost_per_1k=None)
    faster = ModelStanding("d", "D", pass_rate=1.0, mean_score=1.0, latency_p95_ms=500, cost_per_1k=1.0)

    assert rank_alternatives([unknown, pricey, cheap, faster]).eligible == (faster, cheap, pricey, unknown)


def test_nothing_eligible_means_no_best_alternative():
    assert rank_alternatives([MISTRAL], thresholds=Thresholds(min_pass_rate=0.99)).best is None
