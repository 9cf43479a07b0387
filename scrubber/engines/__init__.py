"""Engines other than the default local process pool (each an optional extra).

Nothing here is imported by ``import scrubber`` or by the local engine: ``scrubber.engines.ray_engine``
imports Ray only when a :class:`~scrubber.engines.ray_engine.RayRunner` starts, so the default
install never needs it.
"""
