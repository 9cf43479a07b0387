"""PII and secret detection: trigger scan, Presidio pattern recognizers on small windows, gated NER.

Entry point: :class:`scrubber.detect.stage.DetectStage`. Everything it detects is configured by the
YAML files in ``rules/detect/``; see docs/detection.md.
"""
