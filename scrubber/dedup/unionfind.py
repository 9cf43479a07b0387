"""Connected components of an edge list, vectorized: every node learns the smallest node it reaches.

Label propagation with pointer jumping (each round: every edge pulls both ends down to the smaller
label, then labels jump to their label's label until stable). Nodes are document ids, so the label of
a component is its smallest document id: the one a deterministic "keep the first" rule keeps, no
matter in what order the edges were found.
"""

from __future__ import annotations

import numpy as np


def min_labels(u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(nodes, label of each node) for the undirected edges ``u[i] -- v[i]`` (any integer ids).

    ``nodes`` is sorted; ``label[i]`` is the smallest node in the component of ``nodes[i]``.
    Memory: a few arrays of len(edges) and len(nodes) integers.
    """
    if len(u) == 0:
        empty = np.zeros(0, dtype=np.asarray(u).dtype)
        return empty, empty
    nodes, inverse = np.unique(np.concatenate([u, v]), return_inverse=True)
    a, b = inverse[: len(u)], inverse[len(u) :]
    label = np.arange(len(nodes), dtype=np.int64)
    while True:
        low = np.minimum(label[a], label[b])
        new = label.copy()
        np.minimum.at(new, a, low)
        np.minimum.at(new, b, low)
        while True:  # pointer jumping: label[i] <= i always, so this terminates
            jumped = new[new]
            if np.array_equal(jumped, new):
                break
            new = jumped
        if np.array_equal(new, label):
            return nodes, nodes[label]
        label = new
