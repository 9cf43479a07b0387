"""Shard discovery (:mod:`.shards`), streaming readers with quarantine (:mod:`.readers`) and atomic
writers that mirror the input's format (:mod:`.writers`)."""
