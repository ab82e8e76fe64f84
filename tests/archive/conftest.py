"""A local Hub serving a small generated model repository, and a local S3 server, for the archive tests."""

import json

import pytest

from tests.support.hf_server import HubServer
from tests.support.s3_server import make_bucket, s3_server
from tests.watch.conftest import serving

REPO = "Qwen/Qwen3.5-0.8B"
LICENCE = "Apache License\nVersion 2.0, January 2004\nhttp://www.apache.org/licenses/\n"
CARD = "---\nlicense: apache-2.0\n---\n# Qwen3.5-0.8B\nA small model for edge devices.\n"


def model_files(seed: bytes = b"v1") -> dict[str, bytes]:
    weights = (seed * 150_000)[:300_000]  # deterministic, a few hundred KB
    return {
        "config.json": json.dumps({"architectures": ["Qwen3ForCausalLM"], "hidden_size": 1024}).encode(),
        "tokenizer.json": json.dumps({"version": "1.0", "seed": seed.decode()}).encode(),
        "model.safetensors": weights,
        "LICENSE": LICENCE.encode(),
        "README.md": CARD.encode(),
        "onnx/model.onnx": b"\x08\x01" * 5000,
    }


@pytest.fixture
def hub(monkeypatch):
    server = HubServer()
    server.add_model(REPO, license="apache-2.0")
    server.commit_files(REPO, model_files())
    with serving(server):
        monkeypatch.setenv("HF_ENDPOINT", server.url)
        monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
        yield server


@pytest.fixture
def s3(monkeypatch, settings):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "riskboard-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "riskboard-test-secret")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with s3_server() as endpoint:
        settings.RISKBOARD_S3_ENDPOINT_URL = endpoint
        make_bucket(endpoint, "offsite-models")
        yield endpoint


@pytest.fixture
def nas(tmp_path):
    folder = tmp_path / "nas"
    folder.mkdir()
    return folder
