"""Corpus-wide deduplication: exact documents, near-duplicates (MinHash LSH), repeated sequences."""
