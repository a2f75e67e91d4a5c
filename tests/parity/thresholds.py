"""Rows matched (%) each parity SDK must reach: the levels reached so far (a regression
fails `make parity` and tests/parity/test_parity.py); raise them with the work."""

THRESHOLDS = {
    "openrouter-python": 32.8,
    "bolt-python": 59.6,
    "agentset-python": 20.3,
    "emissary-python": 54.0,
    "fastapi-burgers-python": 75.3,
}
