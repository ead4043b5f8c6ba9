"""Small extensions loaded by the Rasa server itself (not by the action server)."""
