"""Test-wide settings: notebooks run on the toy corpus and the CPU so their stored outputs compare."""

import os

os.environ["W2V_CORPUS"] = "toy"
os.environ["W2V_DEVICE"] = "cpu"  # stored outputs were made on the CPU
os.environ.setdefault("PYTHONHASHSEED", "0")
