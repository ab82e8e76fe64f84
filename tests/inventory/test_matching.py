import pytest

from apps.inventory.models import AIModel
from apps.inventory.selectors import catalog_alias_index, model_for_identifier

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("identifier", "slug"),
    [
        ("Qwen/Qwen2.5-7B-Instruct", "qwen2-5-7b-instruct"),
        ("qwen2.5:7b", "qwen2-5-7b-instruct"),
        ("ollama/qwen2.5:14b", "qwen2-5-14b-instruct"),
        ("ollama:chat:qwen2.5:7b", "qwen2-5-7b-instruct"),
        ("dashscope/qwen-max", "qwen-max"),
        ("openrouter/qwen/qwen-2.5-72b-instruct", "qwen2-5-72b-instruct"),
        ("hf.co/Qwen/Qwen2.5-7B-Instruct-GGUF:Q4_K_M", "qwen2-5-7b-instruct"),
        ("/models/Qwen2.5-7B-Instruct", "qwen2-5-7b-instruct"),
        ("anthropic/claude-3-5-sonnet-20241022", "claude-3-5-sonnet"),
        ("openai:gpt-4o", "gpt-4o"),
        ("mistral/codestral-latest", "codestral"),
        ("meta-llama/Llama-3.2-11B-Vision-Instruct", "llama-3-2-11b-vision"),
        ("llama3.2", "llama-3-2-3b"),
        ("  GPT-4o-mini ", "gpt-4o-mini"),
        ("Qwen3.5-9B", "qwen3-5-9b"),
        ("openai/gpt-oss-20b", "gpt-oss-20b"),
    ],
)
def test_it_finds_the_catalog_model_behind_an_identifier(identifier, slug):
    model = model_for_identifier(identifier)
    assert model is not None, identifier
    assert model.slug == slug


@pytest.mark.parametrize("identifier", ["brightspark-v2", "qwen", "my-custom-model:1b", ""])
def test_it_does_not_guess_for_names_it_cannot_place(identifier):
    assert model_for_identifier(identifier, index=catalog_alias_index()) is None


def test_the_shipped_catalog_covers_the_families_the_article_compares():
    families = set(AIModel.objects.values_list("family", flat=True))
    assert {"qwen", "llama", "mistral", "gemma", "phi", "deepseek", "gpt", "claude", "gemini"} <= families
    qwen_sizes = set(AIModel.objects.filter(family="qwen").values_list("parameter_sizes", flat=True))
    assert {"0.6B", "0.8B", "397B-A17B"} <= qwen_sizes
    assert AIModel.objects.get(slug="llama-3-2-11b-vision").modalities == ["text", "vision"]
    assert AIModel.objects.get(slug="qwen-mt-plus").languages_supported == 92
