"""Rows matched (%) each parity SDK must reach: the levels reached so far (a regression
fails `make parity` and tests/parity/test_parity.py); raise them with the work."""

THRESHOLDS = {
    "openrouter-python": 47.6,
    "bolt-python": 75.6,
    "agentset-python": 26.6,
    "emissary-python": 52.1,
    "fastapi-burgers-python": 77.1,
}
