"""Rows matched (%) each parity SDK must reach: the levels reached so far (a regression
fails `make parity` and tests/parity/test_parity.py); raise them with the work."""

THRESHOLDS = {
    "openrouter-python": 37.7,
    "bolt-python": 72.6,
    "agentset-python": 21.4,
    "emissary-python": 54.3,
    "fastapi-burgers-python": 75.3,
}
