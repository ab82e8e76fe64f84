"""List the files of a tree worth reading: honour .gitignore (nested too), skip dependency and build
folders, lockfiles, generated bundles and files that are binary by name.

Directories are pruned before they are read, which is what keeps a scan of a big checkout fast.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path

from pathspec import GitIgnoreSpec

# Folders that hold other people's code, caches or build output, never the project's own choices.
SKIPPED_DIRECTORIES: frozenset[str] = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "bower_components",
        "jspm_packages",
        "vendor",
        "vendors",
        "third_party",
        "third-party",
        "thirdparty",
        "site-packages",
        "dist-packages",
        ".venv",
        "venv",
        "virtualenv",
        ".tox",
        ".nox",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".cache",
        "dist",
        "build",
        "_build",
        ".eggs",
        ".next",
        ".nuxt",
        ".svelte-kit",
        ".gradle",
        ".terraform",
        "Pods",
        "target",
        "coverage",
        "htmlcov",
        ".idea",
        ".vscode",
    }  # fmt: skip
)
SKIPPED_DIRECTORY_SUFFIXES: tuple[str, ...] = (".egg-info", ".dist-info")

# Generated or resolved files that repeat what a manifest already declares.
SKIPPED_FILES: frozenset[str] = frozenset(
    {
        "package-lock.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "poetry.lock",
        "uv.lock",
        "pipfile.lock",
        "cargo.lock",
        "composer.lock",
        "gemfile.lock",
        "go.sum",
        "bun.lockb",
        "npm-shrinkwrap.json",
    }  # fmt: skip
)
SKIPPED_FILE_SUFFIXES: tuple[str, ...] = (".min.js", ".min.css", ".map")

# Known binary formats: skipped (and counted as skipped) without being opened.
BINARY_EXTENSIONS: frozenset[str] = frozenset(
    {
        "png",
        "jpg",
        "jpeg",
        "gif",
        "bmp",
        "ico",
        "webp",
        "tif",
        "tiff",
        "psd",
        "svgz",
        "pdf",
        "doc",
        "docx",
        "xls",
        "xlsx",
        "ppt",
        "pptx",
        "odt",
        "ods",
        "zip",
        "gz",
        "tgz",
        "bz2",
        "xz",
        "zst",
        "7z",
        "rar",
        "tar",
        "whl",
        "egg",
        "jar",
        "war",
        "so",
        "dll",
        "dylib",
        "exe",
        "bin",
        "o",
        "a",
        "lib",
        "obj",
        "pyc",
        "pyo",
        "pyd",
        "class",
        "wasm",
        "woff",
        "woff2",
        "ttf",
        "otf",
        "eot",
        "mp3",
        "mp4",
        "wav",
        "ogg",
        "flac",
        "avi",
        "mov",
        "mkv",
        "webm",
        "safetensors",
        "gguf",
        "ggml",
        "pt",
        "pth",
        "ckpt",
        "onnx",
        "npy",
        "npz",
        "pkl",
        "pickle",
        "h5",
        "hdf5",
        "parquet",
        "arrow",
        "feather",
        "db",
        "sqlite",
        "sqlite3",
        "mo",
        "icns",
        "dat",
        "pack",
        "idx",
    }  # fmt: skip
)


@dataclass
class Listing:
    files: list[str] = field(default_factory=list)  # relative paths, "/" separators
    skipped: int = 0  # binary by name


class _IgnoreStack:
    """The .gitignore files in force for the directory being walked, deepest last."""

    def __init__(self) -> None:
        self._specs: list[tuple[str, GitIgnoreSpec]] = []

    def push(self, base: str, spec: GitIgnoreSpec | None) -> int:
        if spec is not None:
            self._specs.append((base, spec))
        return len(self._specs)

    def truncate(self, depth: int) -> None:
        del self._specs[depth:]

    def ignores(self, rel_path: str, *, is_dir: bool) -> bool:
        # Deeper .gitignore files override shallower ones; within one file the last match wins.
        for base, spec in reversed(self._specs):
            local = rel_path[len(base) + 1 :] if base else rel_path
            result = spec.check_file(local + "/" if is_dir else local)
            if result.include is not None:
                return result.include
        return False


def _read_gitignore(directory: str) -> GitIgnoreSpec | None:
    try:
        with open(os.path.join(directory, ".gitignore"), encoding="utf-8", errors="replace") as handle:
            return GitIgnoreSpec.from_lines(handle.read().splitlines())
    except OSError:
        return None


def list_files(root: Path) -> Listing:
    listing = Listing()
    ignores = _IgnoreStack()
    # (absolute dir, relative dir, ignore-stack depth to restore before entering it)
    pending: list[tuple[str, str, int]] = [(str(root), "", 0)]
    while pending:
        directory, rel_dir, depth = pending.pop()
        ignores.truncate(depth)
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue
        names = {entry.name for entry in entries}
        if rel_dir and "pyvenv.cfg" in names:
            continue  # a virtualenv under any name
        spec = _read_gitignore(directory) if ".gitignore" in names else None
        own_depth = ignores.push(rel_dir, spec)
        prefix = f"{rel_dir}/" if rel_dir else ""
        for entry in entries:
            name = entry.name
            rel_path = prefix + name
            if entry.is_dir(follow_symlinks=False):
                if name in SKIPPED_DIRECTORIES or name.endswith(SKIPPED_DIRECTORY_SUFFIXES):
                    continue
                if not ignores.ignores(rel_path, is_dir=True):
                    pending.append((entry.path, rel_path, own_depth))
            elif entry.is_file(follow_symlinks=False):  # symlinks are never followed out of the tree
                lowered = name.lower()
                if lowered in SKIPPED_FILES or lowered.endswith(SKIPPED_FILE_SUFFIXES):
                    continue
                if ignores.ignores(rel_path, is_dir=False):
                    continue
                if lowered.rpartition(".")[2] in BINARY_EXTENSIONS and "." in lowered:
                    listing.skipped += 1
                    continue
                listing.files.append(rel_path)
    return listing
