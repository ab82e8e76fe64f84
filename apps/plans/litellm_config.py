"""Read and write a LiteLLM proxy `config.yaml` (docs/contracts.md, "Model registry"; no Django here).

The part of the format the registry keeps (docs/outside-formats.md, LiteLLM):

    model_list:
      - model_name: drafts                  # the alias; entries sharing it are load-balanced deployments
        litellm_params:
          model: ollama/qwen2.5:7b          # provider/model
          api_base: http://gpu-1:11434
          api_version: "2024-06-01"
          api_key: os.environ/OLLAMA_KEY    # keys only as environment references, never a secret
          rpm: 60
          tpm: 100000
        model_info: {...}                   # kept as read
    router_settings:
      fallbacks: [{"drafts": ["drafts-fallback"]}]

`parse_config` reads with a safe loader and checks everything before anything is returned: a file
with any error raises `ConfigError` listing every error with its YAML path
(`model_list[1].litellm_params.model`), so an import lands whole or not at all. A literal secret in
any key-like parameter is an error: the registry never stores one. Other `litellm_params` are kept
as read (`extra_params`), so import then export does not lose them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import yaml

ENV_PREFIX = "os.environ/"
_ALIAS_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$")
_ENV_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,119}$")
# litellm_params that hold credentials: only `os.environ/NAME` references are accepted.
_SECRET_PARAM_RE = re.compile(r"(^|_)(key|secret|token|password|credentials?)$|^aws_access_key_id$")
_KNOWN_PARAMS = ("model", "api_base", "api_version", "api_key", "rpm", "tpm")


@dataclass
class Deployment:
    model_name: str
    model: str
    api_base: str = ""
    api_version: str = ""
    api_key_env: str = ""
    rpm: int | None = None
    tpm: int | None = None
    extra_params: dict = field(default_factory=dict)
    model_info: dict = field(default_factory=dict)

    def litellm_params(self) -> dict:
        params: dict = {"model": self.model}
        if self.api_base:
            params["api_base"] = self.api_base
        if self.api_version:
            params["api_version"] = self.api_version
        if self.api_key_env:
            params["api_key"] = f"{ENV_PREFIX}{self.api_key_env}"
        if self.rpm is not None:
            params["rpm"] = self.rpm
        if self.tpm is not None:
            params["tpm"] = self.tpm
        params.update(self.extra_params)
        return params


@dataclass
class ParsedConfig:
    deployments: list[Deployment]
    fallbacks: dict[str, list[str]]  # alias → ordered fallback aliases

    @property
    def aliases(self) -> list[str]:
        """Alias names in the order they first appear."""
        return list(dict.fromkeys(deployment.model_name for deployment in self.deployments))


class ConfigError(Exception):
    def __init__(self, errors: list[dict]):
        self.errors = errors
        super().__init__("; ".join(f"{error['where']}: {error['message']}" for error in errors))


def _plain(value):
    """YAML scalars that are not JSON (dates) as the text the author wrote."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _text(value) -> str | None:
    """A scalar as text (YAML reads `2024-06-01` as a date and `1.0` as a number); None if not a scalar."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    return None


def _count(value, where: str, errors: list[dict]) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        errors.append({"where": where, "message": f"{value!r} is not a whole number of requests or tokens"})
        return None
    return value


def _deployment(entry, where: str, errors: list[dict]) -> Deployment | None:
    if not isinstance(entry, dict):
        errors.append({"where": where, "message": "each model_list entry must be a mapping"})
        return None
    before = len(errors)
    model_name = entry.get("model_name")
    if not isinstance(model_name, str) or not model_name.strip():
        errors.append({"where": f"{where}.model_name", "message": "required: the alias callers use"})
    elif not _ALIAS_RE.match(model_name):
        errors.append(
            {"where": f"{where}.model_name", "message": f"{model_name!r}: use letters, digits and . _ : / -"}
        )
    params = entry.get("litellm_params")
    if not isinstance(params, dict):
        errors.append(
            {"where": f"{where}.litellm_params", "message": "required: a mapping with at least model"}
        )
        return None
    model = params.get("model")
    if not isinstance(model, str) or not model.strip():
        errors.append(
            {"where": f"{where}.litellm_params.model", "message": "required: a provider/model string"}
        )
    api_base = params.get("api_base", "")
    if api_base is None:
        api_base = ""
    if not isinstance(api_base, str):
        errors.append({"where": f"{where}.litellm_params.api_base", "message": "must be a URL"})
    api_version = "" if params.get("api_version") is None else _text(params.get("api_version"))
    if api_version is None:
        errors.append({"where": f"{where}.litellm_params.api_version", "message": "must be a version string"})
    api_key_env = ""
    extra: dict = {}
    for key, value in params.items():
        key = str(key)
        if key in _KNOWN_PARAMS and key != "api_key":
            continue
        path = f"{where}.litellm_params.{key}"
        if value is None:
            continue
        if _SECRET_PARAM_RE.search(key):
            if not isinstance(value, str) or not value.startswith(ENV_PREFIX):
                errors.append(
                    {
                        "where": path,
                        "message": f"a literal secret is not stored: write {ENV_PREFIX}NAME instead",
                    }
                )
                continue
            name = value[len(ENV_PREFIX) :]
            if not _ENV_NAME_RE.match(name):
                errors.append({"where": path, "message": f"{name!r} is not an environment variable name"})
                continue
            if key == "api_key":
                api_key_env = name
                continue
        extra[key] = _plain(value)
    rpm = _count(params.get("rpm"), f"{where}.litellm_params.rpm", errors)
    tpm = _count(params.get("tpm"), f"{where}.litellm_params.tpm", errors)
    model_info = entry.get("model_info") or {}
    if not isinstance(model_info, dict):
        errors.append({"where": f"{where}.model_info", "message": "must be a mapping"})
    if len(errors) > before:
        return None
    return Deployment(
        model_name=model_name,
        model=model.strip(),
        api_base=api_base.strip(),
        api_version=api_version,
        api_key_env=api_key_env,
        rpm=rpm,
        tpm=tpm,
        extra_params=extra,
        model_info=_plain(model_info),
    )


def _fallbacks(
    value, where: str, names: set[str], known: set[str], errors: list[dict]
) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    if value is None:
        return found
    if not isinstance(value, list):
        errors.append({"where": where, "message": 'must be a list like [{"drafts": ["drafts-fallback"]}]'})
        return found
    for index, item in enumerate(value):
        item_where = f"{where}[{index}]"
        if not isinstance(item, dict) or not item:
            errors.append(
                {"where": item_where, "message": 'must be a mapping like {"drafts": ["drafts-fallback"]}'}
            )
            continue
        for alias, targets in item.items():
            alias_where = f"{item_where}.{alias}"
            if not isinstance(targets, list):
                errors.append({"where": alias_where, "message": "must be a list of model_name values"})
                continue
            for position, target in enumerate(targets):
                if not isinstance(target, str) or not target.strip():
                    errors.append({"where": f"{alias_where}[{position}]", "message": "must be a model_name"})
                elif target == alias:
                    errors.append(
                        {
                            "where": f"{alias_where}[{position}]",
                            "message": "an alias cannot fall back on itself",
                        }
                    )
                elif target not in names and target not in known:
                    errors.append(
                        {
                            "where": f"{alias_where}[{position}]",
                            "message": f"{target!r} is neither a model_name in model_list nor a registry alias",
                        }
                    )
                elif target not in found.setdefault(str(alias), []):
                    found[str(alias)].append(target)
            if str(alias) not in names:
                errors.append(
                    {"where": alias_where, "message": f"{alias!r} is not a model_name in model_list"}
                )
    return found


def parse_config(text: str, *, known_aliases: frozenset[str] | set[str] = frozenset()) -> ParsedConfig:
    """The config, checked whole; `known_aliases` (already in the registry) may be fallback targets."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(document)"
        problem = getattr(error, "problem", None) or str(error)
        raise ConfigError([{"where": where, "message": f"not valid YAML: {problem}"}]) from None
    if not isinstance(document, dict):
        raise ConfigError(
            [{"where": "(document)", "message": "a LiteLLM config is a mapping with model_list"}]
        )
    errors: list[dict] = []
    model_list = document.get("model_list")
    if model_list is None:
        model_list = []
    if not isinstance(model_list, list):
        errors.append({"where": "model_list", "message": "must be a list of {model_name, litellm_params}"})
        model_list = []
    deployments = []
    for index, entry in enumerate(model_list):
        deployment = _deployment(entry, f"model_list[{index}]", errors)
        if deployment is not None:
            deployments.append(deployment)
    names = {entry.get("model_name") for entry in model_list if isinstance(entry, dict)}
    fallbacks: dict[str, list[str]] = {}
    for section in ("router_settings", "litellm_settings"):
        settings = document.get(section)
        if settings is None:
            continue
        if not isinstance(settings, dict):
            errors.append({"where": section, "message": "must be a mapping"})
            continue
        for alias, targets in _fallbacks(
            settings.get("fallbacks"), f"{section}.fallbacks", names, set(known_aliases), errors
        ).items():
            merged = fallbacks.setdefault(alias, [])
            merged.extend(target for target in targets if target not in merged)
    if errors:
        raise ConfigError(errors)
    return ParsedConfig(deployments=deployments, fallbacks=fallbacks)


def render_config(deployments: list[Deployment], fallbacks: dict[str, list[str]]) -> str:
    document: dict = {
        "model_list": [
            {
                "model_name": deployment.model_name,
                "litellm_params": deployment.litellm_params(),
                **({"model_info": deployment.model_info} if deployment.model_info else {}),
            }
            for deployment in deployments
        ]
    }
    listed = [{alias: list(targets)} for alias, targets in fallbacks.items() if targets]
    if listed:
        document["router_settings"] = {"fallbacks": listed}
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, default_flow_style=False)
