"""Argument types for the command line: every number is checked for range before any work starts."""

from __future__ import annotations

import argparse
import math


def number(kind, low: float, high: float, low_ok: bool = True):
    """An argparse type: `kind` (int or float), finite, in [low, high] (or (low, high] if not low_ok)."""
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"{text} is not a finite number")
        if value < low or (value == low and not low_ok):
            raise argparse.ArgumentTypeError(f"{text} is too small: must be {'>=' if low_ok else '>'} {low:g}")
        if value > high:
            raise argparse.ArgumentTypeError(f"{text} is too large: must be <= {high:g}")
        return value
    return parse


def count(high: float):
    return number(int, 1, high)


nonneg_float = number(float, 0.0, 1e9)
positive_float = number(float, 0.0, 1e9, low_ok=False)
