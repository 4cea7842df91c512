# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Solutions to Bonus 01b: computing log sigmoid without losing precision
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/word2vec-from-scratch/word2vec-from-scratch/blob/main/notebooks/solutions/01b_solutions.ipynb) [![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/word2vec-from-scratch/word2vec-from-scratch/main?labpath=notebooks%2Fsolutions%2F01b_solutions.ipynb)
#
# Worked solutions to the exercises of [Bonus 01b](../bonus/01b_log_sigmoid_precision.ipynb), each followed by its check.
# Try each exercise in its notebook first: the check there tells you what is wrong without giving
# the answer. A solution is one way to write the function; any function that passes the check is right.

# %%
# Colab setup: on Google Colab this installs the course package and reports the GPU;
# anywhere else (Jupyter, Binder, the tests) it does nothing.
import sys

IN_COLAB = "google.colab" in sys.modules
if IN_COLAB:
    import subprocess

    REPOSITORY = "https://github.com/word2vec-from-scratch/word2vec-from-scratch"  # from pyproject.toml
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", f"git+{REPOSITORY}"], check=True)
    from w2v_helpers.course.colab import setup

    setup()

# %%
import torch

# %% [markdown]
# **Exercise 1.** Without using `F.logsigmoid`, write `my_logsigmoid(x)`, which computes
# $\log \sigma(x)$ accurately for every float32 $x$ (hint: treat $x \ge 0$ and $x < 0$ separately
# and use `torch.log1p`). The check compares it with `F.logsigmoid` from $x = -10^4$ to $10^4$,
# $\pm 100$ included, and makes `F.logsigmoid` unavailable while your function runs.

# %% exercise="01b.1" tags=["solution"]
def my_logsigmoid(x):
    """log(sigmoid(x)) for a float tensor x, exact for large |x|, without F.logsigmoid."""
    ### BEGIN SOLUTION
    # x >= 0: -log(1 + e^-x);  x < 0: x - log(1 + e^x). Together: min(x, 0) - log(1 + e^-|x|),
    # where exp only ever sees a number <= 0, so nothing overflows or underflows to a wrong value.
    return torch.minimum(x, torch.zeros_like(x)) - torch.log1p(torch.exp(-x.abs()))
    ### END SOLUTION


# %%
from w2v_helpers.course.exercises import check_01b_1

check_01b_1(my_logsigmoid)
