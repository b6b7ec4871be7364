"""A stand-in for the toy data sets of scikit-learn (not installed here) that some course notebooks draw their points
from: ``sklearn.datasets.make_moons`` and ``make_circles``, by scikit-learn's own recipe, drawing their noise and
shuffling from NumPy's global generator when no ``random_state`` is given, as scikit-learn does; and
``preprocessing.StandardScaler`` by its definition.  ``cluster`` and ``mixture`` are empty (imported beside
``datasets`` by notebooks that use nothing from them)."""
