"""Seal the dialogue state that travels through an untrusted carrier (Alexa session attributes).

Alexa echoes session attributes back unchanged, but a forged or edited request could claim any
state, for example "question five, no concern so far", to skip the warning-sign check. A seal
is an HMAC-SHA256 over the canonical JSON of the state under a server-side key; a state whose
seal does not match is not believed, and the conversation starts afresh.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping
from typing import Any

STATE_KEY = "dialogue"
SEAL_KEY = "seal"
KEY_BYTES = 32


def new_key() -> bytes:
    """A random key, for a single process that has not been given one."""
    return secrets.token_bytes(KEY_BYTES)


def _digest(state: Mapping[str, Any], key: bytes) -> str:
    canonical = json.dumps(state, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hmac.new(key, canonical.encode("ascii"), hashlib.sha256).hexdigest()


def seal(state: Mapping[str, Any], key: bytes) -> dict[str, Any]:
    """Session attributes carrying ``state`` and its seal."""
    return {STATE_KEY: dict(state), SEAL_KEY: _digest(state, key)}


def unseal(attributes: Any, key: bytes) -> Mapping[str, Any] | None:
    """The state inside ``attributes`` if its seal is right; None if missing, broken or forged."""
    if not isinstance(attributes, Mapping):
        return None
    state, mark = attributes.get(STATE_KEY), attributes.get(SEAL_KEY)
    if not isinstance(state, Mapping) or not isinstance(mark, str):
        return None
    try:
        expected = _digest(state, key)
    except (TypeError, ValueError):
        return None
    return state if hmac.compare_digest(expected, mark) else None
