"""The reliability load run: `python loadtest/run.py` (or `make load`); see run.py."""
