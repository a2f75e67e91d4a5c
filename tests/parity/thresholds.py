"""Rows matched (%) each parity SDK must reach: the levels reached so far (a regression
fails `make parity` and tests/parity/test_parity.py); raise them with the work."""

THRESHOLDS = {
    "openrouter-python": 55.4,
    "bolt-python": 78.9,
    "agentset-python": 37.3,
    "emissary-python": 60.7,
    "fastapi-burgers-python": 88.6,
}
