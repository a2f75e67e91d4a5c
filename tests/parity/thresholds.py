"""Rows matched (%) each parity SDK must reach: the levels reached so far, rounded down
(a regression fails `make parity` and tests/parity/test_parity.py); raise them with the
work."""

THRESHOLDS = {
    "openrouter-python": 72.4,
    "bolt-python": 81.8,
    "agentset-python": 89.2,
    "emissary-python": 82.4,
    "fastapi-burgers-python": 96.9,
}
