"""Repository archives built in memory for upload tests."""

import io
import tarfile
import zipfile

SMALL_REPOSITORY = {
    "app/draft.py": 'DRAFT_MODEL = "Qwen/Qwen2.5-7B-Instruct"\n',
    "app/review.py": 'from openai import OpenAI\n\nclient.chat.completions.create(model="gpt-4o-mini", messages=[])\n',
    "requirements.txt": "openai==1.55\ndashscope\n",
    "README.md": "# Site\n\nWe tried Qwen and Llama.\n",
}


def zip_bytes(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def tar_gz_bytes(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content in files.items():
            data = content.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()
