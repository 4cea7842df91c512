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
# # Solutions to Bonus 05b: checkpoints and update methods
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/word2vec-from-scratch/word2vec-from-scratch/blob/main/notebooks/solutions/05b_solutions.ipynb) [![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/word2vec-from-scratch/word2vec-from-scratch/main?labpath=notebooks%2Fsolutions%2F05b_solutions.ipynb)
#
# Worked solutions to the exercises of [Bonus 05b](../bonus/05b_checkpoints_and_update_methods.ipynb), each followed by its check.
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
from dataclasses import replace

# %% [markdown]
# **Exercise 1.** Write `refusal_message(ids, vocab, cfg, checkpoint_dir)`: train with `cfg` and a
# checkpoint in `checkpoint_dir`, then try to resume from it with `replace(cfg, dim=20)`, and
# return the message of the `W2VError` the trainer raises. Call it on `SLICE` and `demo_cfg`: what
# does the trainer say, and why is refusing better than continuing?
# %% exercise="05b.1" tags=["solution"]
from w2v_helpers.errors import W2VError  # noqa: F401 (the error your code catches)


def refusal_message(ids, vocab, cfg, checkpoint_dir):
    """The trainer's message when a checkpoint written with cfg is resumed with dim=20."""
    ### BEGIN SOLUTION
    from w2v_helpers.train import train

    train(ids, vocab, cfg, checkpoint_dir=checkpoint_dir, progress=False)   # writes a checkpoint
    try:
        train(ids, vocab, replace(cfg, dim=20), checkpoint_dir=checkpoint_dir, resume=True, progress=False)
    except W2VError as exc:
        return str(exc)
    return "the trainer resumed with other settings"
    ### END SOLUTION


# %%
from w2v_helpers.course.exercises import check_05b_1

check_05b_1(refusal_message)
