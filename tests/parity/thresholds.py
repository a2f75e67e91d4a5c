"""Rows matched (%) each parity SDK must reach: the levels reached so far, rounded down
(a regression fails `make parity` and tests/parity/test_parity.py); raise them with the
work."""

THRESHOLDS = {
    # openrouter 80.5 and bolt 87.3 on the parity branch alone; merged with issue 9 item 5
    # (an example that fails its own schema is never shown: e.g. openrouter's `prompt`,
    # a string whose example is the number 1000) they show no Example column where the
    # reference prints the invalid value: -47 and -5 rows. Deliberate; not yet counted
    # among the reference defects sdkgen fixes.
    "openrouter-python": 79.3,
    "bolt-python": 87.1,
    "agentset-python": 95.2,
    "emissary-python": 82.9,
    "fastapi-burgers-python": 96.9,
}
