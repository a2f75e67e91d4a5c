"""Rows matched (%) each parity SDK must reach: the levels reached so far, rounded down
(a regression fails `make parity` and tests/parity/test_parity.py); raise them with the
work."""

THRESHOLDS = {
    "openrouter-python": 72.1,
    "bolt-python": 81.4,
    "agentset-python": 88.3,
    "emissary-python": 80.6,
    "fastapi-burgers-python": 90.3,
}
