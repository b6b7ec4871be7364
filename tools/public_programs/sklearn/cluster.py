"""scikit-learn's clustering module, empty in the stand-in: the notebooks here import it beside ``datasets`` (one
import line, ``from sklearn import cluster, datasets, mixture``) and use nothing from it."""
