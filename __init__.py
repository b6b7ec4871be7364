"""This folder is minigan's source checkout; the package is the folder ``minigan/`` inside it.

Python reads this file in two cases, both with this folder named ``minigan`` (a fresh ``git clone``):

* a script in the folder ABOVE the checkout runs ``import minigan``: the script's own folder comes first on
  ``sys.path``, so Python finds this folder before the installed package. Without this file it took the folder
  for an empty namespace package (a namespace package has no ``__init__.py``, so no code of minigan's could run
  to say so), and the script failed far from the cause: "module 'minigan' has no attribute 'tensor'";
* pytest run in the checkout, which imports a folder's ``__init__.py`` by the folder's name.

In both, this module becomes the package itself: its ``__path__`` is the inner folder and it runs the package's own
``__init__.py``, so ``import minigan`` from the folder above gets the same minigan as from anywhere else. Under
any other name (a checkout folder called something else) it does nothing.
"""

import os

if __name__ == "minigan":
    __path__ = [os.path.join(os.path.dirname(os.path.abspath(__file__)), "minigan")]  # noqa: F811
    __file__ = os.path.join(__path__[0], "__init__.py")
    with open(__file__, encoding="utf-8") as _source:
        exec(compile(_source.read(), __file__, "exec"))  # the package's __init__, as if imported from __path__
