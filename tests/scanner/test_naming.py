"""How a captured value is named: the vendor is the model's maker, never the gateway."""

import pytest

from apps.scanner.naming import (
    family_of,
    identify_endpoint_host,
    identify_model,
    identify_npm_package,
    identify_pypi_package,
)


@pytest.mark.parametrize(
    ("value", "identifier", "vendor", "family"),
    [
        ("Qwen/Qwen2.5-7B-Instruct", "Qwen/Qwen2.5-7B-Instruct", "alibaba", "qwen"),
        ("meta-llama/Meta-Llama-3.1-8B-Instruct", "meta-llama/Meta-Llama-3.1-8B-Instruct", "meta", "llama"),
        ("nvidia/Llama-3.1-Nemotron-70B-Instruct", "nvidia/Llama-3.1-Nemotron-70B-Instruct", "nvidia", "llama"),
        ("hf.co/bartowski/Qwen2.5-7B-Instruct-GGUF:Q4_K_M", "bartowski/Qwen2.5-7B-Instruct-GGUF", "alibaba", "qwen"),
        ("ollama/qwen2.5:14b", "ollama/qwen2.5:14b", "alibaba", "qwen"),
        ("openrouter/qwen/qwen-2.5-72b-instruct", "openrouter/qwen/qwen-2.5-72b-instruct", "alibaba", "qwen"),
        ("openrouter/anthropic/claude-3.5-sonnet", "openrouter/anthropic/claude-3.5-sonnet", "anthropic", "claude"),
        ("together_ai/meta-llama/Llama-3-70b-chat-hf", "together_ai/meta-llama/Llama-3-70b-chat-hf", "meta", "llama"),
        ("dashscope/qwen-max", "dashscope/qwen-max", "alibaba", "qwen"),
        ("azure/my-prod-deployment", "azure/my-prod-deployment", "openai", None),
        ("mistral/codestral-latest", "mistral/codestral-latest", "mistral", "mistral"),
        ("ollama:chat:llama3.2", "ollama:chat:llama3.2", "meta", "llama"),
        ("us.anthropic.claude-3-5-sonnet-20240620-v1:0", "us.anthropic.claude-3-5-sonnet-20240620-v1:0", "anthropic",
         "claude"),
        ("/models/Qwen2.5-7B-Instruct", "Qwen2.5-7B-Instruct", "alibaba", "qwen"),
        ("gpt-4o-mini", "gpt-4o-mini", "openai", "gpt"),
        ("o3", "o3", "openai", "o-series"),
        ("qwen-mt-plus", "qwen-mt-plus", "alibaba", "qwen"),
        ("claude-3-5-sonnet-latest", "claude-3-5-sonnet-latest", "anthropic", "claude"),
        ("deepseek-chat", "deepseek-chat", "deepseek", "deepseek"),
        ("gemini-1.5-pro.", "gemini-1.5-pro", "google", "gemini"),
    ],
)  # fmt: skip
def test_it_names_models_by_their_maker(value, identifier, vendor, family):
    named = identify_model(value)
    assert named is not None
    assert (named.identifier, named.vendor, named.family) == (identifier, vendor, family)


@pytest.mark.parametrize(
    "value",
    ["google/protobuf", "microsoft/vscode", "ollama/ollama", "someone/llama-recipes", "phind", "yield",
     "commander", "phi_model", "https://github.com/QwenLM/Qwen2.5", "huggingface.co/datasets/Qwen/x", "", "auth.User"],
)  # fmt: skip
def test_it_does_not_name_things_that_are_not_models(value):
    assert identify_model(value) is None


def test_family_needs_a_boundary_after_the_family_word():
    assert family_of("qwen2.5") == ("qwen", "alibaba")
    assert family_of("llamaindex") is None
    assert family_of("codellama-7b") == ("llama", "meta")


def test_packages_and_hosts():
    assert identify_pypi_package("Google_Generativeai").identifier == "google-generativeai"
    assert identify_pypi_package("django") is None
    assert identify_npm_package("@Anthropic-AI/SDK").vendor == "anthropic"
    assert identify_endpoint_host("myres.openai.azure.com").vendor == "openai"
    assert identify_endpoint_host("api.openai.com.evil.example") is None
