"""Rows matched (%) each parity SDK must reach: the levels reached so far, rounded down
(a regression fails `make parity` and tests/parity/test_parity.py); raise them with the
work."""

THRESHOLDS = {
    "openrouter-python": 55.9,
    "bolt-python": 80.2,
    "agentset-python": 51.7,
    "emissary-python": 64.6,
    "fastapi-burgers-python": 90.3,
}
