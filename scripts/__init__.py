"""Developer commands behind the Makefile targets (python -m scripts.<name>)."""
