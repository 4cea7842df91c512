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
# # Solutions to Bonus 03b: shared negatives
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/word2vec-from-scratch/word2vec-from-scratch/blob/main/notebooks/solutions/03b_solutions.ipynb) [![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/word2vec-from-scratch/word2vec-from-scratch/main?labpath=notebooks%2Fsolutions%2F03b_solutions.ipynb)
#
# Worked solutions to the exercises of [Bonus 03b](../bonus/03b_shared_negatives.ipynb), each followed by its check.
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
import torch.nn.functional as F

# %% [markdown]
# **Exercise 1.** Write `shared_noise_loss(v, u_shared, K)`: for centre vectors `v` ($B \times d$)
# and $S$ shared noise vectors `u_shared` ($S \times d$), each pair's noise term of
# $L_{\text{shared}}$, an array of shape $(B,)$. Then derive why the variance ratio measured in
# Section 1 is close to $K/S$, and explain why a very large $S$ (say, the whole vocabulary) is
# not necessarily better for training.

# %% exercise="03b.1" tags=["solution"]
def shared_noise_loss(v, u_shared, K):
    """Noise term of each pair when all pairs share S noise words, weighted K/S: (B, d), (S, d) -> (B,)."""
    ### BEGIN SOLUTION
    scores = v @ u_shared.T                                  # (B, S)
    return -K / u_shared.shape[0] * F.logsigmoid(-scores).sum(dim=1)
    ### END SOLUTION


# %%
from w2v_helpers.course.exercises import check_03b_1

check_03b_1(shared_noise_loss)
