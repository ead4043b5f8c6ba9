"""Custom actions of the R & R Aesthetics assistant, run by the action server (`python -m actions.server`)."""
