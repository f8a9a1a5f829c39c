"""A sealed state comes back only unchanged: an edited one is not believed."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from skill import intents as i
from skill.content import Content
from skill.engine import handle, launch
from skill.seal import SEAL_KEY, STATE_KEY, new_key, seal, unseal

KEY = new_key()


def _at_question_five(content: Content) -> dict[str, Any]:
    state = handle(content, launch(content).state, i.SYMPTOM_CHECK).state
    state = handle(content, state, i.YES).state  # a red flag: the outcome must not be self_care
    for _ in range(3):
        state = handle(content, state, i.NO).state
    return state.to_dict()


def test_a_sealed_state_round_trips_through_json(content: Content) -> None:
    state = _at_question_five(content)
    attributes = json.loads(json.dumps(seal(state, KEY)))
    assert unseal(attributes, KEY) == state


def test_editing_the_state_breaks_the_seal(content: Content) -> None:
    attributes = seal(_at_question_five(content), KEY)
    attributes[STATE_KEY]["concern"] = False  # try to erase the earlier yes
    assert unseal(attributes, KEY) is None


def test_another_key_or_a_missing_seal_is_not_believed(content: Content) -> None:
    attributes = seal(_at_question_five(content), KEY)
    assert unseal(attributes, new_key()) is None
    assert unseal({STATE_KEY: attributes[STATE_KEY]}, KEY) is None
    assert unseal({**attributes, SEAL_KEY: 42}, KEY) is None


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
        lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    )
)
def test_garbage_attributes_never_unseal_or_crash(garbage: Any) -> None:
    assert unseal(garbage, KEY) is None
    assert unseal({STATE_KEY: garbage, SEAL_KEY: "0" * 64}, KEY) is None
