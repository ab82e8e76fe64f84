import textwrap

import pytest

from apps.benchmarks.assertions import Assertion
from apps.benchmarks.promptfoo_yaml import (
    SuiteFormatError,
    render_template,
    suite_cases,
    suite_from_yaml,
    suite_to_yaml,
)

PROMPTFOO_CONFIG = textwrap.dedent(
    """\
    description: Weekly blog localisation
    prompts:
      - 'Translate to {{language}}: {{text}}'
    providers:
      - ollama:chat:qwen2.5:7b
      - id: openai:chat:gpt-4o-mini
        label: GPT-4o mini
        config:
          temperature: 0
    defaultTest:
      assert:
        - type: latency
          threshold: 3000
    tests:
      - description: Product headline
        vars:
          language: German
          text: Free shipping on all orders
        assert:
          - type: icontains
            value: Versand
          - type: similar
            value: Kostenloser Versand für alle Bestellungen
            threshold: 0.8
            weight: 2
        metadata:
          key: headline-de
          reference: Kostenloser Versand für alle Bestellungen
      - vars:
          language: French
          text: Spring sale
        assert:
          - type: javascript
            value: output.length < 40
            transform: output.trim()
        options:
          provider: openai:gpt-4o
    """
)


def test_it_reads_a_promptfoo_config():
    suite = suite_from_yaml(PROMPTFOO_CONFIG)

    assert suite.description == "Weekly blog localisation"
    assert [provider.id for provider in suite.providers] == [
        "ollama:chat:qwen2.5:7b",
        "openai:chat:gpt-4o-mini",
    ]
    assert suite.providers[1].config == {"temperature": 0}
    assert suite.default_test.assertions == (Assertion("latency", threshold=3000.0),)
    first, second = suite.tests
    assert first.assertions[1] == Assertion(
        "similar", "Kostenloser Versand für alle Bestellungen", threshold=0.8, weight=2.0
    )
    assert second.assertions[0].options == {"transform": "output.trim()"}
    assert second.options == {"options": {"provider": "openai:gpt-4o"}}


def test_it_round_trips_through_yaml():
    suite = suite_from_yaml(PROMPTFOO_CONFIG)

    assert suite_from_yaml(suite_to_yaml(suite)) == suite


def test_it_expands_tests_into_runnable_cases():
    cases = suite_cases(suite_from_yaml(PROMPTFOO_CONFIG))

    assert [case.key for case in cases] == ["headline-de", "test-1"]
    assert cases[0].prompt == "Translate to German: Free shipping on all orders"
    assert cases[0].reference == "Kostenloser Versand für alle Bestellungen"
    assert cases[0].label == "Product headline"
    # defaultTest assertions come first, as promptfoo merges them.
    assert [assertion.type for assertion in cases[0].assertions] == ["latency", "icontains", "similar"]


def test_it_splits_a_chat_format_prompt_into_system_and_user():
    suite = suite_from_yaml(
        textwrap.dedent(
            """\
            prompts:
              - '[{"role": "system", "content": "You write {{tone}} copy."}, {"role": "user", "content": "{{brief}}"}]'
              - 'Plain: {{brief}}'
            tests:
              - vars: {tone: playful, brief: A headline for socks}
            """
        )
    )

    chat, plain = suite_cases(suite)

    assert (chat.key, chat.system, chat.prompt) == (
        "test-0/prompt-0",
        "You write playful copy.",
        "A headline for socks",
    )
    assert (plain.key, plain.system, plain.prompt) == ("test-0/prompt-1", None, "Plain: A headline for socks")


def test_it_renders_nested_and_missing_vars():
    assert (
        render_template("{{ user.name }} / {{missing}} / {{n}}", {"user": {"name": "Ana"}, "n": 3})
        == "Ana /  / 3"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- just a list", "expected a mapping"),
        ("tests:\n  - vars: [1, 2]", r"tests\[0\]\.vars: expected a mapping"),
        ("tests:\n  - assert:\n      - value: x", r"tests\[0\]\.assert\[0\]: expected a mapping with a type"),
        (
            "tests:\n  - assert:\n      - {type: similar, threshold: high}",
            r"tests\[0\]\.assert\[0\]\.threshold: expected a number",
        ),
        ("prompts: [1]", r"prompts\[0\]: expected a prompt string"),
        ("tests: [\n", "not valid YAML"),
    ],
)
def test_it_names_what_is_wrong_in_a_malformed_suite(text, message):
    with pytest.raises(SuiteFormatError, match=message):
        suite_from_yaml(text)
