"""Rows matched (%) each parity SDK must reach: the levels reached so far."""

THRESHOLDS = {
    "openrouter-python": 0.0,
    "bolt-python": 0.0,
    "agentset-python": 0.0,
    "emissary-python": 0.0,
    "fastapi-burgers-python": 0.0,
}
