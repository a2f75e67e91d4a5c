"""Rows matched (%) each parity SDK must reach: the levels reached so far, rounded down
(a regression fails `make parity` and tests/parity/test_parity.py); raise them with the
work."""

THRESHOLDS = {
    "openrouter-python": 55.6,
    "bolt-python": 79.6,
    "agentset-python": 37.3,
    "emissary-python": 64.3,
    "fastapi-burgers-python": 88.5,
}
