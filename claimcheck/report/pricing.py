"""Estimated cost of a run: tokens times a per-model price table the user can override.

Prices are US dollars per million tokens, input and output. The built-in table covers a few
common hosted models and is only an estimate (prices change); a YAML or JSON file given with
``--prices`` or ``CLAIMCHECK_PRICES`` adds or replaces entries::

    gpt-4o-mini: {input: 0.15, output: 0.60}
    my-vllm-model: {input: 0, output: 0}

A local model (the embedded one, or any server on this machine) costs 0. A model missing from
the table has no estimate rather than a made-up one.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from claimcheck import settings
from claimcheck.errors import ConfigError
from claimcheck.models import Usage
from claimcheck.settings import ENV_PRICES


@dataclass(frozen=True)
class Price:
    """US dollars per million input (prompt) and output (completion) tokens."""

    input: float
    output: float

    def cost(self, usage: Usage) -> float:
        return (usage.prompt_tokens * self.input + usage.completion_tokens * self.output) / 1e6


# List prices of the providers' public price pages at the time of writing; override freely.
DEFAULT_PRICES: Mapping[str, Price] = {
    "gpt-4o-mini": Price(0.15, 0.60),
    "gpt-4o": Price(2.50, 10.00),
    "gpt-4.1": Price(2.00, 8.00),
    "gpt-4.1-mini": Price(0.40, 1.60),
    "gpt-4.1-nano": Price(0.10, 0.40),
}


def load_prices(path: Path | str | None = None) -> dict[str, Price]:
    """The built-in table, updated from ``path`` or else from ``$CLAIMCHECK_PRICES``."""
    prices = dict(DEFAULT_PRICES)
    source = path or settings.prices_file()
    if source is None:
        return prices
    file = Path(source)
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(
            f"cannot read the price table {file}: {exc}; fix the file or unset {ENV_PRICES}"
        ) from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"price table {file} must map model names to {{input, output}}")
    for model, entry in raw.items():
        try:
            prices[str(model)] = Price(float(entry["input"]), float(entry["output"]))
        except (TypeError, KeyError, ValueError):
            raise ConfigError(
                f"price table {file}: entry {model!r} must look like "
                f"{json.dumps({'input': 0.15, 'output': 0.6})} (dollars per million tokens)"
            ) from None
    return prices


def is_local(identity: str) -> bool:
    """True for the embedded model and for servers on this machine (Ollama, vLLM, llama.cpp)."""
    if identity.startswith("embedded|"):
        return True
    # The whole host must be a loopback name: "localhost.example.com" is somebody's server.
    host = urlsplit(identity.partition("|")[2]).hostname
    if host is None:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def estimate_cost(
    usage: Usage, *, model: str | None, local: bool = False, prices: Mapping[str, Price]
) -> float | None:
    """Dollars the run cost, 0 for a local model, None when the model's price is unknown."""
    if local:
        return 0.0
    if model is None:
        return None
    price = prices.get(model)
    if price is None:
        # "provider/model" and dated snapshots ("gpt-4o-mini-2024-07-18") share a base price.
        base = model.rsplit("/", 1)[-1]
        candidates = [m for m in prices if base == m or base.startswith(m + "-")]
        price = prices[max(candidates, key=len)] if candidates else None
    return price.cost(usage) if price is not None else None


def format_cost(cost: float | None) -> str:
    """``$0.0123``, ``$0 (local)`` or ``cost unknown``."""
    if cost is None:
        return "cost unknown (add the model to --prices)"
    if cost == 0:
        return "$0"
    return f"~${cost:.4f}"
