"""Which source a scan is of, so a re-scan is compared with the previous scan of the same thing.

The key is the channel it came through plus what names the tree there:
- an upload from the UI: `upload:<archive file name>` (uploading `site.zip` again compares with the
  last `site.zip`);
- the command line: `cli:<absolute path scanned>` (the CLI passes it as the job's file name, since
  the document's `root` is the path as typed, often just `.`);
- the ingest API: `api:<token name>:<root>` (a CI job usually scans `.`, so the token, one per
  repository's pipeline, tells repositories apart).
"""

from apps.jobs.models import ImportJob


def source_key_for(*, source: str, filename: str = "", token_name: str = "", root: str = "") -> str:
    if source == ImportJob.Source.API:
        return f"api:{token_name}:{root}"[:512]
    name = filename or root
    prefix = "upload" if source == ImportJob.Source.UI else source
    return f"{prefix}:{name}"[:512]


def source_key_for_job(job: ImportJob, *, root: str) -> str:
    token_name = job.started_by_token.name if job.started_by_token_id else ""
    return source_key_for(source=job.source, filename=job.filename, token_name=token_name, root=root)
