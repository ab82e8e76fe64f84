"""Suites as promptfoo-style YAML (``promptfooconfig.yaml``) ↔ plain dataclasses.

    suite = suite_from_yaml(text)        # raises SuiteFormatError naming the field
    text = suite_to_yaml(suite)          # suite_from_yaml(suite_to_yaml(s)) == s
    cases = suite_cases(suite)           # prompts × tests, vars rendered, ready for the runner

What Riskboard adds to promptfoo's shape rides in each test's ``metadata`` (which promptfoo
accepts and ignores): ``key`` (a stable case key), ``reference`` (the reference answer that
``similar`` compares with) and ``workflow`` (the workflow the case stands for). A system prompt is
written the way promptfoo writes one: a chat-format prompt, a JSON list of ``{role, content}``.
Keys we do not interpret (``options``, ``transform``, ``file://`` values…) are kept for the trip back.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from apps.benchmarks.assertions import Assertion
from apps.benchmarks.records import Case

_VARIABLE = re.compile(r"\{\{\s*([A-Za-z_][\w.]*)\s*\}\}")
_ASSERTION_KEYS = ("type", "value", "threshold", "weight")


class SuiteFormatError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class SuitePrompt:
    raw: str
    label: str | None = None


@dataclass(frozen=True, slots=True)
class SuiteProvider:
    id: str
    label: str | None = None
    config: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SuiteTest:
    vars: dict[str, Any] = field(default_factory=dict)
    assertions: tuple[Assertion, ...] = ()
    description: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)  # other promptfoo keys, kept as they were


@dataclass(frozen=True, slots=True)
class Suite:
    prompts: tuple[SuitePrompt, ...]
    tests: tuple[SuiteTest, ...]
    providers: tuple[SuiteProvider, ...] = ()
    description: str | None = None
    default_test: SuiteTest | None = None


# -- reading ------------------------------------------------------------------------------------


# Bounds on what a config may make us build. YAML aliases share one node among many places, so a
# few hundred bytes of nested aliases ("billion laughs") stand for billions of nodes once anything
# walks the document (a 357-byte config once took 78 s and 4.3 GB). Anchors and merge keys stay
# allowed; what they expand to is counted and refused past MAX_YAML_NODES.
MAX_YAML_DEPTH = 64
MAX_YAML_NODES = 100_000


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing documents nested deeper than MAX_YAML_DEPTH while composing."""

    depth = 0

    def compose_node(self, parent, index):
        self.depth += 1
        try:
            if self.depth > MAX_YAML_DEPTH:
                mark = self.peek_event().start_mark
                raise SuiteFormatError(
                    f"line {mark.line + 1}: the YAML is nested more than {MAX_YAML_DEPTH} levels deep"
                )
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _expanded_size(root: yaml.Node) -> int:
    """How many nodes the document holds with every alias expanded, counted without expanding them
    (each shared node is sized once); SuiteFormatError past MAX_YAML_NODES or for a recursive alias."""
    sizes: dict[int, int] = {}
    in_progress: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if key in sizes and not children_done:
            continue
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        else:
            sizes[key] = 1
            continue
        if not children_done:
            if key in in_progress:
                raise SuiteFormatError(f"line {node.start_mark.line + 1}: an alias refers to itself")
            in_progress.add(key)
            stack.append((node, True))
            for child in children:
                if id(child) in in_progress:
                    raise SuiteFormatError(f"line {child.start_mark.line + 1}: an alias refers to itself")
                if id(child) not in sizes:
                    stack.append((child, False))
            continue
        in_progress.discard(key)
        sizes[key] = 1 + sum(sizes[id(child)] for child in children)
        if sizes[key] > MAX_YAML_NODES:
            raise SuiteFormatError(
                f"line {node.start_mark.line + 1}: the YAML expands to more than {MAX_YAML_NODES:,} values "
                "(aliases repeating aliases); write the tests out instead"
            )
    return sizes[id(root)]


_FLOW_BRACKET = re.compile(r"[\[\]{}]")


def _check_flow_depth(text: str) -> None:
    """Refuse brackets nested past MAX_YAML_DEPTH before PyYAML sees them: its scanner reads a whole
    run of `[` ahead (each may open a key) in quadratic time, before any node is composed."""
    depth = 0
    for match in _FLOW_BRACKET.finditer(text):
        depth = depth + 1 if match.group() in "[{" else max(0, depth - 1)
        if depth > MAX_YAML_DEPTH:
            line = text.count("\n", 0, match.start()) + 1
            raise SuiteFormatError(f"line {line}: the YAML is nested more than {MAX_YAML_DEPTH} levels deep")


def load_yaml_bounded(text: str) -> Any:
    """`yaml.safe_load` within MAX_YAML_DEPTH and MAX_YAML_NODES; SuiteFormatError otherwise."""
    _check_flow_depth(text)
    try:
        loader = _BoundedLoader(text)
    except yaml.YAMLError as exc:  # the reader refuses control characters up front
        raise SuiteFormatError(f"not valid YAML: {exc}") from exc
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _expanded_size(node)
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise SuiteFormatError(f"not valid YAML: {exc}") from exc
    except RecursionError as exc:
        raise SuiteFormatError(f"the YAML is nested more than {MAX_YAML_DEPTH} levels deep") from exc
    finally:
        loader.dispose()


def suite_from_yaml(text: str) -> Suite:
    if "\x00" in text:
        raise SuiteFormatError(
            f"line {text[: text.index(chr(0))].count(chr(10)) + 1}: contains a NUL character"
        )
    document = load_yaml_bounded(text)
    if not isinstance(document, dict):
        raise SuiteFormatError("expected a mapping with prompts, providers and tests")
    description = document.get("description")
    default_test = document.get("defaultTest")
    return Suite(
        description=str(description) if description is not None else None,
        prompts=tuple(
            _read_prompt(item, f"prompts[{i}]") for i, item in enumerate(_list(document, "prompts"))
        ),
        providers=tuple(
            _read_provider(item, f"providers[{i}]") for i, item in enumerate(_list(document, "providers"))
        ),
        tests=tuple(_read_test(item, f"tests[{i}]") for i, item in enumerate(_list(document, "tests"))),
        default_test=_read_test(default_test, "defaultTest") if default_test is not None else None,
    )


def _list(document: dict[str, Any], key: str) -> list[Any]:
    value = document.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        return [value]  # promptfoo accepts a single prompt or provider as a string
    if not isinstance(value, list):
        raise SuiteFormatError(f"{key}: expected a list")
    return value


def _read_prompt(item: Any, path: str) -> SuitePrompt:
    if isinstance(item, str):
        return SuitePrompt(raw=item)
    if isinstance(item, dict) and isinstance(item.get("raw"), str):
        return SuitePrompt(raw=item["raw"], label=item.get("label"))
    raise SuiteFormatError(f"{path}: expected a prompt string or {{raw, label}}")


def _read_provider(item: Any, path: str) -> SuiteProvider:
    if isinstance(item, str):
        return SuiteProvider(id=item)
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        config = item.get("config") or {}
        if not isinstance(config, dict):
            raise SuiteFormatError(f"{path}.config: expected a mapping")
        return SuiteProvider(id=item["id"], label=item.get("label"), config=config)
    raise SuiteFormatError(f"{path}: expected a provider id or {{id, label, config}}")


def _read_test(item: Any, path: str) -> SuiteTest:
    if not isinstance(item, dict):
        raise SuiteFormatError(f"{path}: expected a mapping with vars and assert")
    variables = item.get("vars") or {}
    metadata = item.get("metadata") or {}
    if not isinstance(variables, dict):
        raise SuiteFormatError(f"{path}.vars: expected a mapping")
    if not isinstance(metadata, dict):
        raise SuiteFormatError(f"{path}.metadata: expected a mapping")
    raw_assertions = item.get("assert") or []
    if not isinstance(raw_assertions, list):
        raise SuiteFormatError(f"{path}.assert: expected a list")
    return SuiteTest(
        vars=variables,
        assertions=tuple(_read_assertion(raw, f"{path}.assert[{i}]") for i, raw in enumerate(raw_assertions)),
        description=item.get("description"),
        metadata=metadata,
        options={
            key: value
            for key, value in item.items()
            if key not in ("vars", "assert", "description", "metadata")
        },
    )


def _read_assertion(raw: Any, path: str) -> Assertion:
    if not isinstance(raw, dict) or not isinstance(raw.get("type"), str):
        raise SuiteFormatError(f"{path}: expected a mapping with a type")
    threshold = raw.get("threshold")
    weight = raw.get("weight", 1.0)
    for name, number in (("threshold", threshold), ("weight", weight)):
        if number is not None and (isinstance(number, bool) or not isinstance(number, int | float)):
            raise SuiteFormatError(f"{path}.{name}: expected a number")
    return Assertion(
        type=raw["type"],
        value=raw.get("value"),
        threshold=float(threshold) if threshold is not None else None,
        weight=float(weight),
        options={key: value for key, value in raw.items() if key not in _ASSERTION_KEYS},
    )


# -- writing ------------------------------------------------------------------------------------


class _PlainDumper(yaml.SafeDumper):
    """Writes every value out in full: no anchors or aliases for values that appear twice."""

    def ignore_aliases(self, data):
        return True


def suite_to_yaml(suite: Suite) -> str:
    document: dict[str, Any] = {}
    if suite.description is not None:
        document["description"] = suite.description
    document["prompts"] = [
        {"raw": prompt.raw, "label": prompt.label} if prompt.label else prompt.raw for prompt in suite.prompts
    ]
    document["providers"] = [_provider_document(provider) for provider in suite.providers]
    if suite.default_test is not None:
        document["defaultTest"] = _test_document(suite.default_test)
    document["tests"] = [_test_document(test) for test in suite.tests]
    return yaml.dump(document, Dumper=_PlainDumper, sort_keys=False, allow_unicode=True, width=100)


def _provider_document(provider: SuiteProvider) -> str | dict[str, Any]:
    if provider.label is None and not provider.config:
        return provider.id
    document: dict[str, Any] = {"id": provider.id}
    if provider.label is not None:
        document["label"] = provider.label
    if provider.config:
        document["config"] = provider.config
    return document


def _test_document(test: SuiteTest) -> dict[str, Any]:
    document: dict[str, Any] = {}
    if test.description is not None:
        document["description"] = test.description
    if test.vars:
        document["vars"] = test.vars
    if test.assertions:
        document["assert"] = [_assertion_document(assertion) for assertion in test.assertions]
    if test.metadata:
        document["metadata"] = test.metadata
    document.update(test.options)
    return document


def _assertion_document(assertion: Assertion) -> dict[str, Any]:
    document: dict[str, Any] = {"type": assertion.type}
    if assertion.value is not None:
        document["value"] = assertion.value
    if assertion.threshold is not None:
        document["threshold"] = assertion.threshold
    if assertion.weight != 1.0:
        document["weight"] = assertion.weight
    document.update(assertion.options)
    return document


# -- expanding into runnable cases --------------------------------------------------------------


def render_template(template: str, variables: dict[str, Any]) -> str:
    """Substitute ``{{ name }}`` (promptfoo's Nunjucks syntax, without filters); a missing var is empty."""

    def substitute(match: re.Match[str]) -> str:
        value: Any = variables
        for part in match.group(1).split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if value is None:
            return ""
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)

    return _VARIABLE.sub(substitute, template)


def split_chat_prompt(rendered: str) -> tuple[str | None, str]:
    """(system, user) from a chat-format prompt (a JSON list of {role, content}); plain text is all user."""
    text = rendered.strip()
    if not text.startswith("["):
        return None, rendered
    try:
        messages = json.loads(text)
    except ValueError:
        return None, rendered
    if not isinstance(messages, list) or not all(isinstance(m, dict) and "role" in m for m in messages):
        return None, rendered
    system = "\n\n".join(str(m.get("content", "")) for m in messages if m["role"] == "system") or None
    user = "\n\n".join(str(m.get("content", "")) for m in messages if m["role"] != "system")
    return system, user


def suite_cases(suite: Suite) -> list[Case]:
    """Every prompt × test, defaultTest merged in (its vars under the test's, its asserts first)."""
    default = suite.default_test or SuiteTest()
    cases = []
    for test_index, test in enumerate(suite.tests):
        variables = {**default.vars, **test.vars}
        assertions = default.assertions + test.assertions
        test_key = str(test.metadata.get("key") or f"test-{test_index}")
        for prompt_index, prompt in enumerate(suite.prompts):
            system, user = split_chat_prompt(render_template(prompt.raw, variables))
            key = test_key if len(suite.prompts) == 1 else f"{test_key}/prompt-{prompt_index}"
            reference = test.metadata.get("reference")
            cases.append(
                Case(
                    key=key,
                    prompt=user,
                    system=system,
                    reference=str(reference) if reference is not None else None,
                    assertions=assertions,
                    vars=variables,
                    label=test.description,
                )
            )
    return cases
