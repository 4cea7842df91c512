"""Test-wide settings: notebooks run on the toy corpus so their stored outputs compare."""

import os

os.environ["W2V_CORPUS"] = "toy"
os.environ.setdefault("PYTHONHASHSEED", "0")
