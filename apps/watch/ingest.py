"""The `signals` importer of the job pipeline: a `riskboard.signals/1` document → Signal rows.

Registered from WatchConfig.ready(). It runs inside the job's transaction, so the signals, the
vendor risk they move, the exposure they refresh and the inbox notifications they raise land
together or not at all; email and webhooks go out once it commits.
"""

import json

from apps.jobs.importers import ImportRejected, Progress
from apps.watch.services.signals import SignalRejected, signals_store


def signals_import(job, payload: bytes, progress: Progress) -> dict[str, int]:
    try:
        document = json.loads(payload)
        signals = document["signals"]
    except (ValueError, KeyError, TypeError) as error:
        raise ImportRejected([{"where": "payload", "message": f"not a signals document: {error}"}]) from error
    progress(0, len(signals))
    try:
        created = signals_store(organization=job.organization, signals=signals, job=job)
    except SignalRejected as rejected:
        raise ImportRejected(rejected.errors) from rejected
    progress(len(signals), len(signals))
    return {"signals_received": len(signals), "signals_created": len(created)}
