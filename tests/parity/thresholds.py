"""Rows matched (%) each parity SDK must reach: the levels reached so far, rounded down
(a regression fails `make parity` and tests/parity/test_parity.py); raise them with the
work."""

THRESHOLDS = {
    "openrouter-python": 80.5,
    "bolt-python": 87.3,
    "agentset-python": 95.2,
    "emissary-python": 82.9,
    "fastapi-burgers-python": 96.9,
}
