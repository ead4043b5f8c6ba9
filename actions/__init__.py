"""Custom actions of the R & R Aesthetics assistant (run by `rasa run actions`)."""
