"""Corpus checks: generate an SDK from every real-world spec in ../shared/corpus and
verify that it imports and exposes every operation. Used by `make corpus` (a report)
and tests/test_corpus.py (assertions)."""
