"""What the scanner must not report: prose, look-alike names, test samples, ignored and vendored or
binary files."""

from apps.scanner.engine import MAX_FILE_BYTES, scan_tree
from apps.scanner.matcher import scan_bytes
from tests.scanner.support import summary, write_tree

MODEL_LINE = 'llm = ChatOllama(model="qwen2.5:7b")\n'


def test_it_ignores_prose_that_mentions_vendors():
    readme = (
        "# Drafting assistant\n\n"
        "We compared Qwen and Llama, and GPT-4o beat Claude and Gemini on tone.\n"
        "Locally we ran ollama pull qwen3:8b before settling on DeepSeek.\n"
    )
    assert scan_bytes("README.md", readme.encode()) == []
    assert scan_bytes("docs/notes.rst", readme.encode()) == []
    assert scan_bytes("CHANGELOG.txt", readme.encode()) == []


def test_it_reads_code_blocks_in_markdown_but_not_the_prose_around_them():
    readme = "Run ollama pull qwen3:8b first.\n\n```bash\nollama pull qwen3:8b\n```\nollama pull qwen3:8b\n"
    assert [(f.line, f.identifier) for f in scan_bytes("README.md", readme.encode())] == [(4, "qwen3:8b")]


def test_it_ignores_comments_that_mention_vendors():
    code = "# We compared Qwen and Llama before choosing a model.\n// GPT and Claude were too slow\nx = 1\n"
    assert scan_bytes("app/main.py", code.encode()) == []


def test_commented_out_configuration_is_reported_with_low_confidence():
    [finding] = scan_bytes("app/main.py", b'# model="gpt-4o-mini"\n')
    assert finding.confidence == "low"


def test_it_ignores_variable_names_and_strings_that_only_look_like_models():
    code = (
        'GPT_STYLE_HEADER = "gpt-4 style"\n'
        "QWEN_ENABLED = True\n"
        "def llama_helper(claude_mode): return claude_mode\n"
        'phi_model = build("phi")\n'
        'print("Powered by Gemini")\n'
    )
    assert scan_bytes("app/style.py", code.encode()) == []


def test_it_ignores_sample_strings_in_tests_but_keeps_their_configuration():
    test_code = (
        'def test_parse():\n    assert parse_id("Qwen/Qwen2.5-7B-Instruct").org == "Qwen"\n'
        '    assert split("ollama/qwen2.5:14b") == ("ollama", "qwen2.5:14b")\n'
        '    client = Client(model="gpt-4o-mini")\n'
    )
    for path in ("tests/test_parse.py", "app/parse_test.py", "web/parse.test.ts", "spec/parse_spec.rb"):
        assert [(f.line, f.identifier) for f in scan_bytes(path, test_code.encode())] == [(4, "gpt-4o-mini")]


def test_it_honours_gitignore_files_including_nested_ones_and_negations(tmp_path):
    write_tree(
        tmp_path,
        {
            ".gitignore": "*.local.py\nsecrets/\n",
            "app/main.py": MODEL_LINE,
            "app/dev.local.py": MODEL_LINE,
            "secrets/keys.py": MODEL_LINE,
            "service/.gitignore": "generated/\n*.py\n!keep.py\n",
            "service/generated/client.ts": MODEL_LINE,
            "service/run.py": MODEL_LINE,
            "service/keep.py": MODEL_LINE,
            "other/run.py": MODEL_LINE,
        },
    )
    assert [f.path for f in scan_tree(tmp_path).findings] == [
        "app/main.py",
        "other/run.py",
        "service/keep.py",
    ]


def test_it_skips_vendored_dependency_and_build_folders(tmp_path):
    folders = ["node_modules/x", "vendor", "third_party", ".venv/lib", "venv", "lib/site-packages/pkg", "dist",
               "build", ".git", "__pycache__", "pkg.egg-info", "env"]  # fmt: skip
    files = {f"{folder}/llm.py": MODEL_LINE for folder in folders}
    files["env/pyvenv.cfg"] = "home = /usr/bin\n"  # a virtualenv whatever its name
    files["app/llm.py"] = MODEL_LINE
    files["package-lock.json"] = '{"node_modules/openai": {"version": "4.0.0"}}\n'
    files["web/app.min.js"] = MODEL_LINE
    result = scan_tree(write_tree(tmp_path, files))
    assert summary(result) == [("app/llm.py", 1, "model", "qwen2.5:7b", "alibaba")]


def test_it_skips_binary_and_oversized_files_and_counts_them(tmp_path):
    write_tree(
        tmp_path,
        {
            "app/llm.py": MODEL_LINE,
            "weights/model.bin": MODEL_LINE,  # binary by extension, not even opened
            "assets/logo.png": MODEL_LINE,
            "data/blob": b"\x00\x01" + MODEL_LINE.encode(),  # NUL byte sniffed
            "data/huge.py": MODEL_LINE + "#" * MAX_FILE_BYTES,
        },
    )
    result = scan_tree(tmp_path)
    assert summary(result) == [("app/llm.py", 1, "model", "qwen2.5:7b", "alibaba")]
    assert (result.files_scanned, result.files_skipped) == (1, 4)


def test_it_does_not_follow_symlinks_out_of_the_tree(tmp_path):
    outside = write_tree(tmp_path / "outside", {"llm.py": MODEL_LINE})
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "linked.py").symlink_to(outside / "llm.py")
    (repo / "linked_dir").symlink_to(outside, target_is_directory=True)
    assert scan_tree(repo).findings == []
