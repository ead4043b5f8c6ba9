"""The Rasa-server extensions: action response validation keeps Rasa's behaviour."""
import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

import rasa_extensions  # noqa: F401  (installs the compiled validator, as the server does)
from rasa_extensions.guarded_rest import problem_with


def test_valid_action_response_passes():
    action = RemoteAction("action_answer", None)
    assert action._validate_action_result({"events": [{"event": "slot", "name": "x", "value": 1}],
                                           "responses": [{"text": "hi"}]})


@pytest.mark.parametrize("bad", [{"events": "nope"}, {"events": [{"no_event_key": 1}]}, {"responses": 3}])
def test_invalid_action_response_is_still_rejected(bad):
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        RemoteAction("action_answer", None)._validate_action_result(bad)


def test_rest_body_checks():
    assert problem_with({"sender": "a", "message": "hi"}) is None
    assert "sender" in problem_with({"sender": " ", "message": "hi"})
    assert "empty" in problem_with({"sender": "a", "message": "\x00 "})
