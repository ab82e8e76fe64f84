import pytest
from openai import AsyncOpenAI

from apps.benchmarks.ai_clients import OpenAIEmbeddings, parse_verdict
from apps.benchmarks.assertions import (
    Assertion,
    JudgeVerdict,
    OutputFacts,
    check_text,
    cosine_similarity,
    evaluate_assertions_sync,
    grade_result,
)
from apps.benchmarks.records import AssertionOutcome


@pytest.mark.parametrize(
    ("assertion", "output", "passed"),
    [
        (Assertion("contains", "Versand"), "Kostenloser Versand", True),
        (Assertion("contains", "versand"), "Kostenloser Versand", False),
        (Assertion("icontains", "versand"), "Kostenloser Versand", True),
        (Assertion("not-icontains", "sorry"), "Kostenloser Versand", True),
        (Assertion("regex", r"^\d{1,2}:\d{2}$"), "10:00", True),
        (Assertion("regex", r"^\d{1,2}:\d{2}$"), "ten o'clock", False),
        (Assertion("is-json"), '{"headline": "Hallo"}', True),
        (Assertion("is-json"), 'Here you go: {"headline": "Hallo"}', False),
        (Assertion("contains-json"), 'Here you go: {"headline": "Hallo"}', True),
        (Assertion("not-is-json"), "plain words", True),
    ],
)
def test_it_checks_text(assertion, output, passed):
    outcome = check_text(assertion, output)

    assert (outcome.passed, outcome.score) == (passed, float(passed))


def test_it_validates_json_against_a_schema_and_names_the_failing_field():
    schema = {
        "type": "object",
        "required": ["headline", "language"],
        "properties": {"language": {"enum": ["de", "fr"]}},
    }

    good = check_text(Assertion("is-json", schema), '{"headline": "Hallo", "language": "de"}')
    bad = check_text(Assertion("is-json", schema), '{"headline": "Hallo", "language": "es"}')

    assert good.passed is True
    assert bad.passed is False
    assert 'language: "es" is not one of "de" or "fr"' in bad.reason


def test_an_invalid_schema_fails_the_assertion_with_a_reason_instead_of_raising():
    outcome = check_text(Assertion("is-json", {"type": "nope"}), '{"headline": "Hallo"}')

    assert outcome.passed is False
    assert "the schema is invalid" in outcome.reason


def test_it_checks_latency_and_cost_with_promptfoo_names():
    facts = OutputFacts(output="ok", latency_ms=1200.0, cost_usd=0.003)
    assertions = [
        Assertion("latency", threshold=1000),
        Assertion("max-latency-ms", 1500),
        Assertion("cost", threshold=0.002),
        Assertion("max-cost", threshold=0.005),
    ]

    outcomes = evaluate_assertions_sync(assertions, facts)

    assert [outcome.passed for outcome in outcomes] == [False, True, False, True]
    assert outcomes[0].reason == "latency 1200 ms, limit 1000 ms"


def test_an_unknown_cost_is_not_evaluated_rather_than_passed():
    [outcome] = evaluate_assertions_sync([Assertion("max-cost", threshold=0.01)], OutputFacts(output="ok"))

    assert outcome.passed is None
    assert "unknown" in outcome.reason


def test_similar_and_rubric_are_not_evaluated_without_clients():
    outcomes = evaluate_assertions_sync(
        [
            Assertion("similar", "Hallo Welt"),
            Assertion("llm-rubric", "is polite"),
            Assertion("javascript", "1"),
        ],
        OutputFacts(output="Hallo Welt"),
    )

    assert [outcome.passed for outcome in outcomes] == [None, None, None]
    assert "unsupported assertion type 'javascript'" in outcomes[2].reason


def test_similar_compares_embeddings_from_an_openai_compatible_endpoint(openai_server):
    embeddings = OpenAIEmbeddings(
        AsyncOpenAI(base_url=openai_server.base_url, api_key="test"), "nomic-embed-text"
    )
    facts = OutputFacts(
        output="Kostenloser Versand für alle Bestellungen", reference="Kostenloser Versand für alle"
    )

    close, far = evaluate_assertions_sync(
        [
            Assertion("similar", threshold=0.8),
            Assertion("similar", "Treten Sie unserem Club bei", threshold=0.8),
        ],
        facts,
        embeddings=embeddings,
    )

    # Word-bucket vectors: 4 shared words of 5 and 4 → cosine 4 / sqrt(5 × 4).
    assert close.passed is True
    assert close.score == pytest.approx(4 / 20**0.5)
    assert far.passed is False
    assert openai_server.requests_for("nomic-embed-text")


def test_rubric_asks_the_judge_and_applies_a_threshold():
    class StubJudge:
        async def grade(self, *, rubric, output, prompt):
            return JudgeVerdict(passed=True, score=0.6, reason=f"judged {output!r} on {rubric!r}")

    strict, lenient = evaluate_assertions_sync(
        [Assertion("llm-rubric", "sounds native", threshold=0.7), Assertion("llm-rubric", "sounds native")],
        OutputFacts(output="Neue Herbstfarben"),
        judge=StubJudge(),
    )

    assert (strict.passed, strict.score) == (False, 0.6)
    assert (lenient.passed, lenient.reason) == (True, "judged 'Neue Herbstfarben' on 'sounds native'")


def test_it_reads_judge_verdicts_and_fails_unreadable_ones():
    assert parse_verdict('```json\n{"reason": "fine", "pass": true, "score": 0.9}\n```') == JudgeVerdict(
        True, 0.9, "fine"
    )
    assert parse_verdict('{"pass": false}') == JudgeVerdict(False, 0.0, "")
    assert parse_verdict("I think it is good").passed is False


def test_cosine_similarity():
    assert cosine_similarity([1.0, 0.0], [1.0, 0.0]) == 1.0
    assert cosine_similarity([1.0, 0.0], [0.0, 1.0]) == 0.0
    assert cosine_similarity([0.0, 0.0], [1.0, 1.0]) == 0.0


def test_grading_weights_scores_and_ignores_what_was_not_evaluated():
    outcomes = [
        AssertionOutcome("icontains", True, 1.0),
        AssertionOutcome("similar", False, 0.5),
        AssertionOutcome("llm-rubric", None, None),
    ]

    assert grade_result(outcomes, error=None, weights=[3.0, 1.0, 5.0]) == (False, 0.875)
    assert grade_result([], error=None) == (True, None)
    assert grade_result(outcomes, error="HTTP 500") == (False, 0.0)
