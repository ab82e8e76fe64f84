"""Writes of the watch capability, one module per concern: `sources` (poll, health, backoff, claims),
`signals` (store, record, status), `risk` (per-organization vendor risk), `alerts` (rules,
notifications, email, webhooks, digests, inbox).

The flow of one poll (the `watch` command, or beat through tasks.poll_source):

    source_poll → watch_sources (pure core) → source health + snapshot saved
                → job_submit(kind="signals") → signals_import → signals_store
                → signals_take_effect: vendor risk, exposure, alerts

Rules decided here (documented in docs/architecture.md too):
- A shared source (no organization) feeds every organization: its signals are one job each.
- Backoff: a transient failure waits max(Retry-After, min(interval, 5 min × 2^(failures−1)));
  a permanent one waits the normal interval (a person has to fix the spec).
- Vendor risk is per organization: `risk.vendor_risk` over the organization's own recent, non-noise
  signals about a vendor gives its level (`inventory.OrganizationVendorRisk`), which can only raise
  the catalog level that staff set, and only for that organization's exposure. When the signals calm
  down (or age past the window, which the daily refresh notices) the organization is back on the
  catalog level.
"""
