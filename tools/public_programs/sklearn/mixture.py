"""scikit-learn's mixture-model module, empty in the stand-in: imported beside ``datasets`` and unused (see
cluster.py)."""
