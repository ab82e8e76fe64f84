"""Keyword rules for feed items: is it a leadership change, and which vendor is it about?

Deliberately simple and readable: an editor can see why an item was classified and correct it
(mark it noise, record a signal by hand). A rule is a phrase matched on word boundaries,
case-insensitively, in the title and then the summary.
"""

import re
from collections.abc import Iterable

# Departures and appointments of the people who steer a vendor's models.
LEADERSHIP_PHRASES: tuple[str, ...] = (
    "steps down",
    "stepping down",
    "stepped down",
    "step down",
    "departs",
    "departure",
    "departing",
    "leaves",
    "leaving",
    "left the company",
    "resigns",
    "resigned",
    "resignation",
    "quits",
    "exits",
    "ousted",
    "fired",
    "appointed",
    "appoints",
    "named as",
    "names new",
    "joins as",
    "hired as",
    "hires",
    "poached",
    "new head of",
    "new chief",
    "new ceo",
    "successor",
    "succeeds",
)

# Words that point at a vendor (lower-case). The first match in the text wins, so the vendor
# the headline leads with is the one the item is filed under.
VENDOR_KEYWORDS: dict[str, tuple[str, ...]] = {
    "alibaba": ("alibaba", "qwen", "tongyi", "qwq", "dashscope"),
    "openai": ("openai", "chatgpt", "gpt-4", "gpt-5", "sam altman"),
    "anthropic": ("anthropic", "claude"),
    "google": ("google", "deepmind", "gemini", "gemma"),
    "meta": ("meta", "llama", "facebook ai"),
    "mistral": ("mistral", "mixtral", "codestral"),
    "deepseek": ("deepseek",),
    "microsoft": ("microsoft", "phi-3", "phi-4"),
    "cohere": ("cohere",),
    "xai": ("xai", "x.ai", "grok"),
    "amazon": ("amazon", "aws", "bedrock"),
    "nvidia": ("nvidia", "nemotron"),
    "ibm": ("ibm", "granite"),
    "zhipu": ("zhipu", "chatglm", "z.ai"),
    "moonshot": ("moonshot", "kimi"),
    "01-ai": ("01.ai", "01-ai", "yi-large"),
}


def _word_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(phrase) for phrase in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<![\w.-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


_LEADERSHIP = _word_pattern(LEADERSHIP_PHRASES)
_VENDOR_OF_KEYWORD = {keyword: vendor for vendor, words in VENDOR_KEYWORDS.items() for keyword in words}
_VENDORS = _word_pattern(_VENDOR_OF_KEYWORD)


def classify_item(title: str, summary: str = "") -> str:
    """`leadership_change` when a leadership phrase appears, else `news`."""
    text = f"{title}\n{summary}"
    return "leadership_change" if _LEADERSHIP.search(text) else "news"


def vendor_of_item(title: str, summary: str = "") -> str:
    for text in (title, summary):
        match = _VENDORS.search(text)
        if match:
            return _VENDOR_OF_KEYWORD[match.group(0).lower()]
    return "unknown"
