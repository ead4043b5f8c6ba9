"""Builders the tests share: the conversation-test format and runner, the local SMTP inbox."""
