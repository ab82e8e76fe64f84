"""The malformed-input corpus: archives, sheets, promptfoo YAML and JSON payloads that once cost
memory, time or a 500, or could. Big ones and bombs are generated here, never committed.

Every probe is invalid in some way, so each entry point must answer with a clear error (even a
"bomb" whose lying size is now ignored carries a bad cell, so the answer is an error, fast).
"""

import copy
import io
import json
import struct
import tarfile
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

BENCH_FIXTURES = Path(__file__).resolve().parents[1] / "benchmarks" / "fixtures"
SHEET_HEADER = "workflow,model,criticality,switching difficulty,monthly volume,monthly cost\n"
GOOD_ROW = "Blog drafts,Qwen/Qwen2.5-7B-Instruct,high,3,100,20\n"


@dataclass(frozen=True)
class Probe:
    name: str
    family: str  # sheet | inventory_json | archive | scan_json | signals_json | bench | yaml
    filename: str
    data: bytes

    def __repr__(self) -> str:
        return f"{self.family}:{self.name}"


# -- helpers ----------------------------------------------------------------------------------


def _zip(members: list[tuple[zipfile.ZipInfo | str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for info, data in members:
            bundle.writestr(info, data)
    return buffer.getvalue()


def _symlink(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
    info.external_attr = (0o120777 << 16) | 0
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _tar(members: list[tuple[tarfile.TarInfo, bytes]], mode: str = "w:gz") -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode=mode) as bundle:
        for info, data in members:
            info.size = len(data) if info.isfile() else 0
            bundle.addfile(info, io.BytesIO(data) if info.isfile() else None)
    return buffer.getvalue()


def _tarinfo(name: str, kind: bytes = tarfile.REGTYPE, linkname: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    return info


def _patch_zip_sizes(data: bytes, *, uncompressed: int) -> bytes:
    """Rewrite every header's uncompressed size (local and central), as a lying archiver would."""
    out = bytearray(data)
    position = 0
    while (position := out.find(b"PK\x03\x04", position)) != -1:
        struct.pack_into("<I", out, position + 22, uncompressed)
        position += 4
    position = 0
    while (position := out.find(b"PK\x01\x02", position)) != -1:
        struct.pack_into("<I", out, position + 24, uncompressed)
        position += 4
    return bytes(out)


def _patch_zip_flag(data: bytes, *, flag: int = 0, method: int | None = None) -> bytes:
    out = bytearray(data)
    for signature, flag_at, method_at in ((b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)):
        position = 0
        while (position := out.find(signature, position)) != -1:
            struct.pack_into(
                "<H", out, position + flag_at, struct.unpack_from("<H", out, position + flag_at)[0] | flag
            )
            if method is not None:
                struct.pack_into("<H", out, position + method_at, method)
            position += 4
    return bytes(out)


def _duplicate_member_zip() -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile warns of the duplicate it writes
        return _zip([REPO_FILE, REPO_FILE])


def _raw_zip(entries: list[tuple[str, int, int, bytes, int, int]]) -> bytes:
    """A zip written header by header: (name, external_attr, method, stored data, crc, claimed size).
    Far faster than zipfile for 60,000 entries, and able to hold data zipfile would not write."""
    local, central = bytearray(), bytearray()
    for name, external_attr, method, data, crc, size in entries:
        encoded = name.encode()
        offset = len(local)
        local += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(data), size, len(encoded), 0
        )
        local += encoded + data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            0x031E,
            20,
            0,
            method,
            0,
            0x21,
            crc,
            len(data),
            size,
            len(encoded),
            0,
            0,
            0,
            0,
            external_attr,
            offset,
        )
        central += encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), len(local), 0)
    return bytes(local + central + end)


def _deflate_bomb(megabytes: int) -> bytes:
    """Raw DEFLATE data inflating to `megabytes` MB of "a", built from one flushed block repeated."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(b"a" * 1024 * 1024) + compressor.flush(zlib.Z_FULL_FLUSH)
    return block * megabytes + b"\x03\x00"  # then an empty final block


def _tar_of_directories(count: int) -> bytes:
    """A .tar.gz of `count` empty directories, headers patched from one template (tarfile is slow)."""
    template = bytearray(tarfile.TarInfo("d000000").tobuf(format=tarfile.USTAR_FORMAT))
    template[156:157] = tarfile.DIRTYPE
    blocks = []
    for number in range(count):
        header = bytearray(template)
        header[0:7] = f"d{number:06d}".encode()
        header[148:156] = b" " * 8
        header[148:156] = f"{sum(header):06o}\x00 ".encode()
        blocks.append(bytes(header))
    return __import__("gzip").compress(b"".join(blocks) + b"\x00" * 1024, compresslevel=1)


# The archive entry limit the corpus runs with (settings.RISKBOARD_ARCHIVE_MAX_FILES, 50,000 by
# default): tarfile reads ~2 headers a millisecond on a busy two-core machine, so the probes that
# exceed it stay small.
ARCHIVE_MAX_FILES = 2_000
# Likewise the sheet row limit (apps.inventory.spreadsheet.MAX_SHEET_ROWS, 50,000).
SHEET_MAX_ROWS = 2_000
REPO_FILE = ("app/draft.py", b'DRAFT_MODEL = "Qwen/Qwen2.5-7B-Instruct"\n')


# -- archives ---------------------------------------------------------------------------------


def archive_probes() -> list[Probe]:
    probes = {
        # A "symlink" whose data inflates to 200 MB: read whole, it once took a worker to 2.1 GB.
        # (its CRC is wrong too: a reader that reads it whole only notices at the end)
        "zip_symlink_bomb": _raw_zip(
            [
                (
                    "app/draft.py",
                    0o100644 << 16,
                    0,
                    REPO_FILE[1],
                    zlib.crc32(REPO_FILE[1]),
                    len(REPO_FILE[1]),
                ),
                ("app/link", 0o120777 << 16, 8, _deflate_bomb(200), 0, 200 * 1024 * 1024),
            ]
        ),
        # More directory entries than the entry limit (ARCHIVE_MAX_FILES in the corpus run), no file.
        "zip_many_directories": _raw_zip(
            [
                (f"d{number}/", (0o40755 << 16) | 0x10, 0, b"", 0, 0)
                for number in range(ARCHIVE_MAX_FILES + 500)
            ]
        ),
        "zip_path_traversal": _zip([REPO_FILE, ("../../etc/cron.d/evil", b"* * * * * root sh\n")]),
        "zip_absolute_path": _zip([REPO_FILE, ("/etc/passwd", b"root:x:0:0\n")]),
        "zip_symlink_outside": _zip([REPO_FILE, (_symlink("app/out"), b"../../../etc/passwd")]),
        "zip_truncated": _zip([REPO_FILE, ("app/big.py", bytes(range(256)) * 400)])[:-300],
        # Headers claiming 1 GB per member: refused on the claim, before anything is inflated.
        "zip_declared_huge": _patch_zip_sizes(
            _zip([REPO_FILE, ("app/b.py", b"x = 1\n")]), uncompressed=2**30
        ),
        # Headers claiming less than the data holds: the copy stops at the claim and the CRC fails.
        "zip_lying_small": _patch_zip_sizes(
            _zip([REPO_FILE, ("app/b.py", b"x = 1\n" * 5000)]), uncompressed=10
        ),
        "zip_encrypted_flag": _patch_zip_flag(_zip([REPO_FILE]), flag=0x1),
        "zip_unknown_compression": _patch_zip_flag(_zip([REPO_FILE]), method=99),
        "zip_empty_name": _zip([REPO_FILE, ("/", b"")]),
        "tar_gz_truncated": _tar([(_tarinfo("app/draft.py"), REPO_FILE[1] * 2000)])[:-200],
        "tar_device_file": _tar(
            [(_tarinfo("app/draft.py"), REPO_FILE[1]), (_tarinfo("dev/sda", tarfile.BLKTYPE), b"")]
        ),
        "tar_hardlink_outside": _tar(
            [
                (_tarinfo("app/draft.py"), REPO_FILE[1]),
                (_tarinfo("app/pw", tarfile.LNKTYPE, "../../etc/passwd"), b""),
            ]
        ),
        "tar_many_directories": _tar_of_directories(ARCHIVE_MAX_FILES + 500),
        "zip_duplicate_member": _duplicate_member_zip(),
        "gzip_not_a_tar": __import__("gzip").compress(b"just some text, not a tar archive\n" * 100),
    }
    return [
        Probe(name, "archive", "repository.zip" if name.startswith("zip") else "repository.tar.gz", data)
        for name, data in probes.items()
    ]


# -- sheets -----------------------------------------------------------------------------------


def _xlsx(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rewrite_member(data: bytes, member: str, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for info in source.infolist():
            content = source.read(info)
            bundle.writestr(info.filename, change(content) if info.filename == member else content)
    return buffer.getvalue()


BAD_ROWS = [
    ["workflow", "model", "criticality", "switching difficulty"],
    ["Blog drafts", "Qwen/Qwen2.5-7B-Instruct", "urgent", "3"],  # criticality is not a level
]


def sheet_probes() -> list[Probe]:
    base = _xlsx(BAD_ROWS)
    sheet = "xl/worksheets/sheet1.xml"
    import re

    csv_probes = {
        "csv_field_over_csv_limit": SHEET_HEADER + GOOD_ROW + 'Big,"' + "x" * 200_000 + '",high,3,1,1\n',
        "csv_nul_byte": SHEET_HEADER + "Blog\x00drafts,Qwen/Qwen2.5-7B-Instruct,high,3,1,1\n",
        "csv_missing_columns": "workflow,model\nBlog drafts,Qwen/Qwen2.5-7B-Instruct\n",
        "csv_header_only": SHEET_HEADER,
        "csv_nonnumeric_difficulty": SHEET_HEADER + "Blog drafts,Qwen/Qwen2.5-7B-Instruct,high,abc,1,1\n",
        "csv_nonnumeric_volume": SHEET_HEADER + "Blog drafts,Qwen/Qwen2.5-7B-Instruct,high,3,lots,1\n",
        "csv_volume_beyond_integer": SHEET_HEADER
        + "Blog drafts,Qwen/Qwen2.5-7B-Instruct,high,3,99999999999999999999999,1\n",
        "csv_cost_beyond_decimal": SHEET_HEADER
        + "Blog drafts,Qwen/Qwen2.5-7B-Instruct,high,3,1,99999999999999999999.99\n",
        "csv_cost_exponent": SHEET_HEADER + "Blog drafts,Qwen/Qwen2.5-7B-Instruct,high,3,1,1e400\n",
        "csv_overlong_workflow": SHEET_HEADER + "W" * 5000 + ",Qwen/Qwen2.5-7B-Instruct,high,3,1,1\n",
        "csv_overlong_model": SHEET_HEADER + "Blog drafts," + "m" * 5000 + ",high,3,1,1\n",
        "csv_too_many_rows": SHEET_HEADER
        + "".join(f"W{number},qwen,high,3,1,1\n" for number in range(SHEET_MAX_ROWS + 5)),
        "csv_not_utf8": (SHEET_HEADER + "Caf\xe9 drafts,qwen,high,3,1,1\n").encode("latin-1"),
        "csv_binary_garbage": bytes(range(256)) * 20,
    }
    probes = [
        Probe(name, "sheet", "inventory.csv", data if isinstance(data, bytes) else data.encode())
        for name, data in csv_probes.items()
    ]
    xlsx_probes = {
        # The sheet claims A1:XFD1048576; openpyxl's streaming reader once iterated all of it (69 s).
        "xlsx_dimension_claim": _rewrite_member(
            base,
            sheet,
            lambda xml: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml),
        ),
        # A cell in the last row and column: a sheet of 4 KB standing for 17 billion cells.
        "xlsx_far_cell": _rewrite_member(
            base,
            sheet,
            lambda xml: xml.replace(
                b"</sheetData>",
                b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
            ),
        ),
        "xlsx_truncated": base[: len(base) // 2],
        "xlsx_corrupt_sheet_xml": _rewrite_member(base, sheet, lambda xml: xml[: len(xml) // 2]),
        "xlsx_parts_claim_gigabytes": _patch_zip_sizes(base, uncompressed=2**30),
        "xlsx_not_a_zip": b"PK\x03\x04" + b"not really a workbook" * 50,
        "xlsx_no_workbook_part": _zip([("hello.txt", b"hi")]),
    }
    probes += [Probe(name, "sheet", "inventory.xlsx", data) for name, data in xlsx_probes.items()]
    return probes


# -- JSON payloads ----------------------------------------------------------------------------


def _deep(levels: int) -> str:
    return "[" * levels + "]" * levels


def _json(document) -> bytes:
    return json.dumps(document).encode()


def _scan(**finding) -> dict:
    base = {
        "path": "app/draft.py",
        "line": 1,
        "kind": "model",
        "identifier": "Qwen/Qwen2.5-7B-Instruct",
        "vendor": "alibaba",
        "family": "qwen",
        "confidence": "high",
        "evidence": "x",
        "rule": "python.model-string",
    }
    return {
        "schema": "riskboard.scan/1",
        "root": "/srv",
        "files_scanned": 1,
        "files_skipped": 0,
        "findings": [{**base, **finding}],
    }


def _signal(**fields) -> dict:
    base = {
        "source": "hf:Qwen",
        "kind": "new_release",
        "subject": "Qwen/Qwen3-8B",
        "vendor": "alibaba",
        "severity": "info",
        "observed_at": "2026-11-30T08:00:00Z",
        "detail": {},
    }
    return {"schema": "riskboard.signals/1", "signals": [{**base, **fields}]}


def json_probes() -> list[Probe]:
    shared = {
        "deeply_nested": ('{"schema": "x", "rows": ' + _deep(100_000) + "}").encode(),
        "nested_past_limit": ('{"a": ' + _deep(200) + "}").encode(),
        "integer_of_5000_digits": b'{"n": ' + b"9" * 5000 + b"}",
        "not_an_object": b"[1, 2, 3]",
        "truncated": b'{"schema": "riskboard.scan/1", "findings": [',
        "not_utf8": b'{"a": "\xff\xfe"}',
    }
    probes = []
    for family in ("scan_json", "signals_json", "inventory_json"):
        probes += [Probe(name, family, f"{family}.json", data) for name, data in shared.items()]
    scan = {
        "line_beyond_bigint": _scan(line=2**70),
        "nul_in_path": _scan(path="app/\x00draft.py"),
        "overlong_identifier": _scan(identifier="Q" * 600),
        "overlong_path": _scan(path="p/" * 600),
        "nan_confidence_number": {**_scan(), "files_scanned": float("nan")},
    }
    probes += [Probe(name, "scan_json", "scan.json", _json(document)) for name, document in scan.items()]
    signals = {
        "nul_in_subject": _signal(subject="Qwen\x00"),
        "overlong_key": _signal(key="k" * 100),
        "huge_integer_in_detail": _signal(detail={"downloads": 10**30}),
        "nul_in_detail_key": _signal(detail={"a\x00b": 1}),
    }
    probes += [
        Probe(name, "signals_json", "signals.json", _json(document)) for name, document in signals.items()
    ]
    inventory = {
        "volume_beyond_integer": {
            "schema": "riskboard.inventory/1",
            "rows": [
                {
                    "workflow": "Blog",
                    "model": "qwen",
                    "criticality": "high",
                    "switching_difficulty": 3,
                    "monthly_volume": 10**30,
                }
            ],
        },
        "nul_in_workflow": {
            "schema": "riskboard.inventory/1",
            "rows": [
                {"workflow": "Blog\x00", "model": "qwen", "criticality": "high", "switching_difficulty": 3}
            ],
        },
        "difficulty_not_a_number": {
            "schema": "riskboard.inventory/1",
            "rows": [
                {"workflow": "Blog", "model": "qwen", "criticality": "high", "switching_difficulty": "abc"}
            ],
        },
    }
    probes += [
        Probe(name, "inventory_json", "inventory.json", _json(document))
        for name, document in inventory.items()
    ]
    return probes


def bench_probes() -> list[Probe]:
    native = json.loads((BENCH_FIXTURES / "riskboard_bench.json").read_text())
    promptfoo = json.loads((BENCH_FIXTURES / "promptfoo_results.json").read_text())
    lm_eval = json.loads((BENCH_FIXTURES / "results_2025-11-18T14-02-51.118832.json").read_text())

    def changed(document, change):
        document = copy.deepcopy(document)
        change(document)
        return _json(document)

    def set_first_result(key, value):
        return lambda document: document["results"][0].__setitem__(key, value)

    probes = {
        "native_latency_not_a_number": changed(native, set_first_result("latency_ms", "fast")),
        "native_tokens_beyond_bigint": changed(native, set_first_result("prompt_tokens", 2**70)),
        "native_score_infinite": changed(native, set_first_result("score", float("inf"))),
        "native_nul_in_model": changed(native, set_first_result("model", "qwen\x00")),
        "native_results_not_a_list": changed(
            native, lambda document: document.__setitem__("results", {"a": 1})
        ),
        "promptfoo_results_not_a_list": changed(
            promptfoo, lambda d: d["results"].__setitem__("results", "none")
        ),
        "promptfoo_latency_text": changed(
            promptfoo, lambda d: d["results"]["results"][0].__setitem__("latencyMs", "fast")
        ),
        "lm_eval_results_not_an_object": changed(lm_eval, lambda d: d.__setitem__("results", [1, 2])),
        "lm_eval_model_args_number": changed(lm_eval, lambda d: d["config"].__setitem__("model_args", 12)),
        "deeply_nested": ('{"results": ' + _deep(100_000) + "}").encode(),
        "nested_past_limit": (
            '{"schema": "riskboard.bench/1", "results": [{"vars": ' + _deep(200) + "}]}"
        ).encode(),
        "integer_of_5000_digits": b'{"schema": "riskboard.bench/1", "results": ' + b"9" * 5000 + b"}",
        "unrecognised_shape": b'{"hello": "world"}',
        "not_json": b"model,score\nqwen,1\n",
    }
    return [Probe(name, "bench", "results.json", data) for name, data in probes.items()]


# -- promptfoo YAML ---------------------------------------------------------------------------


def yaml_probes() -> list[Probe]:
    laughs = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for level in range(8):
        previous, name = chr(97 + level), chr(98 + level)
        laughs += f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]\n"
    laughs += 'prompts: ["{{x}}"]\ntests:\n  - vars: {x: *i}\n'  # ~400 bytes that once took 78 s and 4.3 GB
    probes = {
        "billion_laughs": laughs,
        "deep_flow_nesting": "prompts: " + "[" * 50_000 + "]" * 50_000 + "\n",
        "deep_block_nesting": "".join("  " * level + "a:\n" for level in range(200)),
        "recursive_alias": "prompts: [hi]\ntests: &t\n  - vars: {x: *t}\n",
        "nul_character": 'prompts: [hi]\ntests:\n  - vars: {x: "a\x00b"}\n',
        "not_a_mapping": "- just\n- a list\n",
        "tests_not_a_list": "prompts: [hi]\ntests: 5\n",
        "bad_indentation": "prompts:\n  - hi\n tests:\n  - a\n",
        "tab_indentation": "prompts:\n\t- hi\n",
        "prompt_as_number": "prompts: [42]\ntests: []\n",
        "assert_not_a_list": "prompts: [hi]\ntests:\n  - assert: yes\n",
        "not_utf8": "prompts: [caf\xe9]\n",
    }
    return [
        Probe(name, "yaml", "promptfooconfig.yaml", text.encode("latin-1" if name == "not_utf8" else "utf-8"))
        for name, text in probes.items()
    ]


@cache
def corpus() -> tuple[Probe, ...]:
    return tuple(archive_probes() + sheet_probes() + json_probes() + bench_probes() + yaml_probes())
