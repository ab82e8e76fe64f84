"""OpenAI-compatible embeddings and judge clients for the ``similar`` and ``llm-rubric`` assertions.

Any server speaking the OpenAI API works (Ollama, vLLM, LM Studio, a LiteLLM proxy, OpenAI):
the caller builds the ``AsyncOpenAI`` client with the endpoint's base URL and key.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from openai import AsyncOpenAI

from apps.benchmarks.assertions import JudgeVerdict

# promptfoo's grading prompt asks for the same JSON shape, so judges tuned for it behave here.
JUDGE_SYSTEM_PROMPT = (
    "You grade an answer against a rubric. Reply with one JSON object and nothing else: "
    '{"reason": "<one sentence>", "pass": true or false, "score": <number from 0.0 to 1.0>}'
)


class OpenAIEmbeddings:
    def __init__(self, client: AsyncOpenAI, model: str) -> None:
        self.client = client
        self.model = model

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        response = await self.client.embeddings.create(model=self.model, input=list(texts))
        ordered = sorted(response.data, key=lambda item: item.index)
        return [list(item.embedding) for item in ordered]


class OpenAIJudge:
    def __init__(self, client: AsyncOpenAI, model: str) -> None:
        self.client = client
        self.model = model

    async def grade(self, *, rubric: str, output: str, prompt: str | None) -> JudgeVerdict:
        question = f"<Question>\n{prompt}\n</Question>\n" if prompt else ""
        completion = await self.client.chat.completions.create(
            model=self.model,
            temperature=0,
            messages=[
                {"role": "system", "content": JUDGE_SYSTEM_PROMPT},
                {
                    "role": "user",
                    "content": f"{question}<Output>\n{output}\n</Output>\n<Rubric>\n{rubric}\n</Rubric>",
                },
            ],
        )
        return parse_verdict(completion.choices[0].message.content or "")


def parse_verdict(text: str) -> JudgeVerdict:
    """Read the judge's JSON verdict; a reply we cannot read fails the assertion and says why."""
    match = re.search(r"\{.*\}", text, flags=re.DOTALL)
    try:
        verdict = json.loads(match.group(0)) if match else None
    except ValueError:
        verdict = None
    if not isinstance(verdict, dict) or not isinstance(verdict.get("pass"), bool):
        return JudgeVerdict(passed=False, score=0.0, reason=f"unreadable judge reply: {text[:200]!r}")
    score = verdict.get("score")
    if isinstance(score, bool) or not isinstance(score, int | float):
        score = 1.0 if verdict["pass"] else 0.0
    return JudgeVerdict(passed=verdict["pass"], score=float(score), reason=str(verdict.get("reason", "")))
