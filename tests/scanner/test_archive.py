"""Uploaded archives are extracted only when every member stays inside, within the limits."""

import io
import stat
import tarfile
import zipfile

import pytest

from apps.scanner.archive import ExtractionLimits, UnsafeArchiveError, extract_archive, extracted_archive
from apps.scanner.engine import scan_tree


def _zip(tmp_path, members: dict[str, bytes], *, symlinks: dict[str, str] | None = None):
    path = tmp_path / "upload.zip"
    with zipfile.ZipFile(path, "w") as bundle:
        for name, content in members.items():
            bundle.writestr(name, content)
        for name, target in (symlinks or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            bundle.writestr(info, target)
    return path


def _tar(tmp_path, members: list[tarfile.TarInfo], contents: dict[str, bytes] | None = None):
    path = tmp_path / "upload.tar.gz"
    contents = contents or {}
    with tarfile.open(path, "w:gz") as bundle:
        for member in members:
            data = contents.get(member.name)
            if data is not None:
                member.size = len(data)
            bundle.addfile(member, io.BytesIO(data) if data is not None else None)
    return path


def _member(name: str, kind: bytes = tarfile.REGTYPE, linkname: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    return info


def test_it_extracts_a_safe_zip_and_the_scan_finds_its_models(tmp_path):
    archive = _zip(
        tmp_path, {"repo/app.py": b'MODEL = "qwen-max"\n', "repo/requirements.txt": b"dashscope\n"}
    )
    with extracted_archive(archive) as root:
        findings = [(f.path, f.identifier) for f in scan_tree(root).findings]
    assert findings == [("repo/app.py", "qwen-max"), ("repo/requirements.txt", "dashscope")]
    assert not root.exists()  # the temporary directory is removed afterwards


def test_it_extracts_a_safe_tar_gz_with_an_internal_hard_link(tmp_path):
    archive = _tar(
        tmp_path,
        [_member("src/app.py"), _member("src/copy.py", tarfile.LNKTYPE, "src/app.py")],
        {"src/app.py": b'MODEL = "gpt-4o"\n'},
    )
    destination = tmp_path / "out"
    destination.mkdir()
    assert extract_archive(archive, destination) == 2
    assert (destination / "src/copy.py").read_text() == 'MODEL = "gpt-4o"\n'


@pytest.mark.parametrize(
    "name", ["../evil.py", "repo/../../evil.py", "/etc/cron.d/evil", "..\\evil.py", "C:/evil.py"]
)
def test_it_rejects_zip_members_that_escape(tmp_path, name):
    archive = _zip(tmp_path, {"ok.py": b"x = 1\n", name: b"boom\n"})
    destination = tmp_path / "out"
    destination.mkdir()
    with pytest.raises(UnsafeArchiveError, match="evil"):
        extract_archive(archive, destination)
    assert list(destination.iterdir()) == []  # checked before anything is written
    assert not (tmp_path / "evil.py").exists()


def test_it_rejects_a_zip_symlink_pointing_outside(tmp_path):
    archive = _zip(tmp_path, {"ok.py": b"x = 1\n"}, symlinks={"link": "../../etc/passwd"})
    with pytest.raises(UnsafeArchiveError, match="link: symlink points outside"):
        extract_archive(archive, tmp_path)


@pytest.mark.parametrize(
    ("member", "message"),
    [
        (_member("repo/passwd", tarfile.SYMTYPE, "/etc/passwd"), "symlink points outside"),
        (_member("repo/up", tarfile.SYMTYPE, "../../secret"), "symlink points outside"),
        (_member("repo/shadow", tarfile.LNKTYPE, "../etc/shadow"), "hard link points outside"),
        (_member("repo/tty", tarfile.CHRTYPE), "device files"),
        (_member("repo/disk", tarfile.BLKTYPE), "device files"),
        (_member("repo/pipe", tarfile.FIFOTYPE), "device files"),
        (_member("../../evil.py"), "path traversal"),
        (_member("/abs/evil.py"), "absolute paths"),
    ],
)
def test_it_rejects_hostile_tar_members_naming_them(tmp_path, member, message):
    archive = _tar(tmp_path, [member], {member.name: b"x"} if member.isfile() else None)
    destination = tmp_path / "out"
    destination.mkdir()
    with pytest.raises(UnsafeArchiveError, match=message) as error:
        extract_archive(archive, destination)
    assert member.name in str(error.value)


def test_a_symlink_that_stays_inside_is_skipped_not_created(tmp_path):
    archive = _tar(
        tmp_path,
        [_member("repo/app.py"), _member("repo/alias.py", tarfile.SYMTYPE, "app.py")],
        {"repo/app.py": b"x"},
    )
    destination = tmp_path / "out"
    destination.mkdir()
    extract_archive(archive, destination)
    assert not (destination / "repo/alias.py").exists()


def test_it_limits_the_number_of_files(tmp_path):
    archive = _zip(tmp_path, {f"f{i}.py": b"x" for i in range(4)})
    with pytest.raises(UnsafeArchiveError, match="the archive has more than 3 entries"):
        extract_archive(archive, tmp_path, limits=ExtractionLimits(max_files=3))


def test_it_limits_the_bytes_actually_written(tmp_path):
    archive = _zip(tmp_path, {"a.txt": b"a" * 600, "b.txt": b"b" * 600})
    with pytest.raises(UnsafeArchiveError, match="b.txt: the archive expands to more than 1000 bytes"):
        extract_archive(archive, tmp_path, limits=ExtractionLimits(max_total_bytes=1000))


def test_it_rejects_files_that_are_not_archives(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    with pytest.raises(UnsafeArchiveError, match="not a zip or tar archive"):
        extract_archive(path, tmp_path)
