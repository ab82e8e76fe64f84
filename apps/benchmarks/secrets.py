"""Which API key an endpoint may send, and to where.

Two ways to give an endpoint a key:
- typed into the form: stored encrypted (apps/common/secrets.py) and BOUND TO THE HOST it was typed
  for (``Endpoint.api_key_host``). Moving the endpoint to another host does not carry the key along:
  the form asks for it again, and the runner refuses a key whose host is not the endpoint's.
- named by environment variable (``RISKBOARD_ENDPOINT_KEY_*``): a server-wide key, so an operator
  must grant it to an organization first, in ``RISKBOARD_ENDPOINT_KEY_GRANTS``::

      RISKBOARD_ENDPOINT_KEY_GRANTS="acme=OPENAI_PROD,QWEN;agency=DASHSCOPE"

  (organization slug = names, with or without the prefix; organizations separated by ";"). The
  form offers only the organization's granted names and the runner reads only those: otherwise one
  organization's editor could point an endpoint at their own server and receive another's key.
"""

import logging
import os
from urllib.parse import urlsplit

from django.conf import settings

from apps.common.secrets import decrypt_secret

logger = logging.getLogger(__name__)

# Only variables under this prefix can ever be named: any other (SECRET_KEY, DATABASE_URL, …) could
# otherwise be sent to an address an editor chooses.
ENV_KEY_PREFIX = "RISKBOARD_ENDPOINT_KEY_"


class EndpointKeyRefused(Exception):
    """The endpoint names a key it may not send (not granted, or bound to another host)."""


def env_name_allowed(name: str) -> bool:
    return name.startswith(ENV_KEY_PREFIX) and name[len(ENV_KEY_PREFIX) :].replace("_", "").isalnum()


def _full_name(name: str) -> str:
    name = name.strip().lstrip("$")
    return name if name.startswith(ENV_KEY_PREFIX) else ENV_KEY_PREFIX + name


def key_grants() -> dict[str, tuple[str, ...]]:
    """Organization slug → the variable names granted to it, from RISKBOARD_ENDPOINT_KEY_GRANTS."""
    raw = getattr(settings, "RISKBOARD_ENDPOINT_KEY_GRANTS", "") or ""
    if isinstance(raw, dict):
        items = raw.items()
    else:
        items = [part.partition("=")[::2] for part in raw.split(";") if part.strip()]
    grants: dict[str, tuple[str, ...]] = {}
    for slug, names in items:
        if isinstance(names, str):
            names = names.split(",")
        full = [_full_name(name) for name in names if name.strip()]
        for bad in (name for name in full if not env_name_allowed(name)):
            logger.warning(
                "RISKBOARD_ENDPOINT_KEY_GRANTS: %r is not a %s… name; ignored", bad, ENV_KEY_PREFIX
            )
        slug = slug.strip()
        grants[slug] = tuple(sorted({*grants.get(slug, ()), *filter(env_name_allowed, full)}))
    return grants


def granted_key_names(organization_slug: str) -> tuple[str, ...]:
    return key_grants().get(organization_slug, ())


def key_host(url: str) -> str:
    """What a stored key is bound to: the URL's host and port (``api.openai.com:443``)."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    port = port or {"https": 443, "http": 80}.get(parts.scheme, 0)
    return f"{(parts.hostname or '').lower()}:{port}"


def resolve_api_key(
    *, organization_slug: str, base_url: str, encrypted: str, key_host_bound: str, env_name: str
) -> str | None:
    """The key to send to ``base_url``; raises EndpointKeyRefused rather than send one it may not."""
    if env_name:
        if not env_name_allowed(env_name) or env_name not in granted_key_names(organization_slug):
            raise EndpointKeyRefused(
                f"The key ${env_name} is not granted to this organization: an operator grants keys in "
                "RISKBOARD_ENDPOINT_KEY_GRANTS."
            )
        return os.environ.get(env_name) or None
    if not encrypted:
        return None
    if key_host_bound != key_host(base_url):
        raise EndpointKeyRefused(
            f"The stored key was entered for {key_host_bound or 'another host'}, not "
            f"{key_host(base_url)}: enter the key again for this address."
        )
    return decrypt_secret(encrypted)
