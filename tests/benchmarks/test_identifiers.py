import pytest

from apps.benchmarks.identifiers import model_ref_from_lm_eval, model_ref_from_provider_id


@pytest.mark.parametrize(
    ("provider_id", "identifier", "family", "vendor", "runtime"),
    [
        ("ollama:chat:qwen2.5:7b", "qwen2.5:7b", "qwen", "alibaba", "ollama"),
        ("ollama:llama3.1:8b", "llama3.1:8b", "llama", "meta", "ollama"),
        ("openai:gpt-4o", "gpt-4o", "gpt", "openai", "openai"),
        ("openai:chat:gpt-4o-mini", "gpt-4o-mini", "gpt", "openai", "openai"),
        (
            "anthropic:messages:claude-3-5-sonnet-20241022",
            "claude-3-5-sonnet-20241022",
            "claude",
            "anthropic",
            "anthropic",
        ),
        (
            "openrouter:qwen/qwen-2.5-72b-instruct",
            "qwen/qwen-2.5-72b-instruct",
            "qwen",
            "alibaba",
            "openrouter",
        ),
        ("vllm:chat:Qwen/Qwen2.5-7B-Instruct", "Qwen/Qwen2.5-7B-Instruct", "qwen", "alibaba", "vllm"),
        ("mistral:mistral-large-latest", "mistral-large-latest", "mistral", "mistral", "mistral"),
        (
            "bedrock:us.anthropic.claude-3-5-sonnet-20241022-v2:0",
            "us.anthropic.claude-3-5-sonnet-20241022-v2:0",
            "claude",
            "anthropic",
            "bedrock",
        ),
        (
            "togetherai:meta-llama/Meta-Llama-3.1-70B-Instruct-Turbo",
            "meta-llama/Meta-Llama-3.1-70B-Instruct-Turbo",
            "llama",
            "meta",
            "togetherai",
        ),
        (
            "ollama:chat:hf.co/bartowski/Qwen2.5-7B-Instruct-GGUF:Q4_K_M",
            "hf.co/bartowski/Qwen2.5-7B-Instruct-GGUF:Q4_K_M",
            "qwen",
            "alibaba",
            "ollama",
        ),
    ],
)
def test_it_maps_promptfoo_provider_ids_to_models(provider_id, identifier, family, vendor, runtime):
    ref = model_ref_from_provider_id(provider_id)

    assert (ref.identifier, ref.family, ref.vendor, ref.runtime) == (identifier, family, vendor, runtime)


def test_it_prefers_the_publishing_organisation_over_the_family():
    ref = model_ref_from_provider_id("openrouter:nvidia/llama-3.1-nemotron-70b-instruct")

    assert (ref.family, ref.vendor) == ("llama", "nvidia")


def test_it_keeps_custom_providers_whole_with_an_unknown_vendor():
    ref = model_ref_from_provider_id("file://providers/brand_voice.py")

    assert (ref.identifier, ref.vendor, ref.family) == ("file://providers/brand_voice.py", "unknown", None)


def test_it_reads_the_model_from_lm_eval_model_args():
    ref = model_ref_from_lm_eval(
        model_args="pretrained=Qwen/Qwen2.5-7B,dtype=bfloat16", model_name=None, model_type="hf"
    )

    assert (ref.identifier, ref.vendor, ref.runtime) == ("Qwen/Qwen2.5-7B", "alibaba", "hf")


def test_it_names_a_local_checkpoint_by_its_folder():
    ref = model_ref_from_lm_eval(
        model_args={"pretrained": "/models/Meta-Llama-3-8B/"}, model_name="", model_type="vllm"
    )

    assert (ref.identifier, ref.vendor) == ("Meta-Llama-3-8B", "meta")


def test_it_returns_none_when_lm_eval_does_not_name_the_model():
    assert model_ref_from_lm_eval(model_args="dtype=bfloat16", model_name=None, model_type="hf") is None
