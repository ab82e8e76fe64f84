"""`github:OWNER/REPO`: the repository's releases, archived flag and license, via the REST API.

Snapshot::

    {"kind": "github", "repo": "QwenLM/Qwen3", "vendor": "alibaba", "taken_at": "…Z",
     "archived": false,
     "license": {"license": "apache-2.0", "license_name": "Apache License 2.0", "license_link": null},
     "releases": {"v3.0.0": {"name": "Qwen3", "published_at": "…Z", "prerelease": false,
                             "url": "https://github.com/…"}}}

Both endpoints are requested conditionally (ETag / If-Modified-Since); a 304 costs no rate limit
on GitHub and means "reuse what the previous snapshot says". Drafts are not releases.
"""

from datetime import datetime
from typing import Any

from apps.watch.contract import format_timestamp
from apps.watch.licenses import normalise
from apps.watch.sources.base import PollResult, PollSettings, SourceError, SourceSpec, SourceState, vendor_for
from apps.watch.sources.http import Fetcher, validators_of

RELEASES_PER_PAGE = 100


def poll(spec: SourceSpec, previous: SourceState, *, settings: PollSettings, now: datetime) -> PollResult:
    owner, name = spec.target.split("/")
    base = settings.github_api.rstrip("/")
    repo_url = f"{base}/repos/{owner}/{name}"
    releases_url = f"{repo_url}/releases"
    old = previous.snapshot or {}
    http_state: dict[str, dict[str, str]] = {}

    with Fetcher(settings, headers=_headers(settings)) as fetcher:
        repo = _fetch_repo(fetcher, repo_url, previous, old, http_state)
        releases = _fetch_releases(fetcher, releases_url, previous, old, http_state, settings)
        observations = fetcher.observations

    snapshot = {
        "kind": "github",
        "repo": f"{owner}/{name}",
        "vendor": vendor_for(owner, name),
        "taken_at": format_timestamp(now),
        **repo,
        "releases": releases,
    }
    return PollResult(snapshot=snapshot, http_state=http_state, observations=observations)


def _headers(settings: PollSettings) -> dict[str, str]:
    headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
    if settings.github_token:
        headers["Authorization"] = f"Bearer {settings.github_token}"
    return headers


def _validators(previous: SourceState, url: str) -> dict[str, str] | None:
    # Only ask "changed since?" when we still hold what the answer would let us reuse.
    return previous.http_state.get(url) if previous.snapshot else None


def _fetch_repo(
    fetcher: Fetcher,
    url: str,
    previous: SourceState,
    old: dict[str, Any],
    http_state: dict[str, dict[str, str]],
) -> dict[str, Any]:
    response = fetcher.get(url, validators=_validators(previous, url))
    if response.status_code == 304:
        fetcher.observations.append(f"{url}: not modified")
        http_state[url] = previous.http_state[url]
        return {"archived": old.get("archived", False), "license": old.get("license")}
    http_state[url] = validators_of(response)
    data = _json(response, url)
    license_data = data.get("license") or None
    license = None
    if license_data:
        spdx = normalise(license_data.get("spdx_id"))
        license = {
            "license": "other" if spdx == "noassertion" else spdx,
            "license_name": license_data.get("name"),
            "license_link": None,
        }
    return {"archived": bool(data.get("archived")), "license": license}


def _fetch_releases(
    fetcher: Fetcher,
    url: str,
    previous: SourceState,
    old: dict[str, Any],
    http_state: dict[str, dict[str, str]],
    settings: PollSettings,
) -> dict[str, dict[str, Any]]:
    response = fetcher.get(url, params={"per_page": RELEASES_PER_PAGE}, validators=_validators(previous, url))
    if response.status_code == 304:
        fetcher.observations.append(f"{url}: not modified")
        http_state[url] = previous.http_state[url]
        return old.get("releases", {})
    http_state[url] = validators_of(response)

    releases: dict[str, dict[str, Any]] = {}
    pages = 0
    while True:
        pages += 1
        for item in _json(response, url):
            if item.get("draft"):
                continue
            releases[item["tag_name"]] = {
                "name": item.get("name") or item["tag_name"],
                "published_at": item.get("published_at") or item.get("created_at"),
                "prerelease": bool(item.get("prerelease")),
                "url": item.get("html_url"),
            }
        next_url = response.links.get("next", {}).get("url")
        if not next_url or pages >= settings.max_pages:
            break
        response = fetcher.get(next_url)
    fetcher.observations.append(f"{url}: {len(releases)} releases over {pages} page(s)")
    return releases


def _json(response: Any, url: str) -> Any:
    try:
        return response.json()
    except ValueError as error:
        raise SourceError(f"{url} did not answer JSON: {error}", transient=False) from error
