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
- Vendor risk (shared by every organization, like the catalog) is `risk.vendor_risk` over every
  organization's recent signals about the vendor, one per observation, leaving out those every
  holder marked noise. Signals may RAISE a level an admin set by hand (the manual level is kept
  as a baseline), and when they calm down the level returns to that baseline, never below it:
  only an admin lowers a manual level.
"""
