"""Rewrite detected PII (redact, mask, keyed hash, consistent pseudonyms) and drop PII-dense documents."""
