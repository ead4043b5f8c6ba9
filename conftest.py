"""Root of the test suite (tests/ and console/): the real-server fixtures are a plugin so
both trees can use them."""
pytest_plugins = ["tests.servers", "tests.support.conversation_report"]
