"""Test-wide settings: notebooks run on the shipped English corpus and the CPU so their stored outputs compare."""

import os

os.environ["W2V_CORPUS"] = "english"
os.environ["W2V_DEVICE"] = "cpu"  # stored outputs were made on the CPU
os.environ.setdefault("PYTHONHASHSEED", "0")
