"""Small extensions loaded by the Rasa server itself (not by the action server).

Rasa imports this package when it loads the channels in credentials.yml and the
tracker store in endpoints.yml, which is where the speed-up below is installed.
"""
from rasa_extensions import action_response_validation

action_response_validation.install()
