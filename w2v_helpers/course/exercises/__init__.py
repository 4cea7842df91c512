"""Checks for the end-of-chapter exercises: `check_NN_k(your_function)` prints one line.

    exercise 01.1: PASS
    exercise 01.1: FAIL - <what is wrong, with a hint>

Every exercise asks for one function. Its check calls that function on inputs of its own, compares
the result with a reference it computes itself, and when they differ it looks for the usual
mistakes (a dot product where a cosine belongs, an epsilon inside a log, no 3/4 power, an
off-by-one window, ...) to say which one was made. It never prints the expected values, and it
never raises: an unfinished exercise (the student version's `NotImplementedError`) or a crash in
the function is reported as a FAIL line, so "Run all" goes on to the next cell.

Exercise ids are the notebook's id, a dot and the exercise's number: `05.1` is Chapter 5's first,
`05c.1` the first of bonus notebook 05c. `EXERCISES` lists them all: the function each one asks for
and the hint that the stub in the chapter raises until the learner replaces it. `grade_chapter` runs
a notebook's checks on whatever a namespace defines; `outcome` gives one check's (status, message),
which the bulk checker computes in its own process, on functions that run in the kernel.

The shared machinery is in `checking`; each notebook's checks are in its own module (`ch00`, ...,
`ch05c`, ...). Importing this package imports them all, so `EXERCISES` is complete.
"""

from .ch00 import check_00_1, check_00_2
from .ch01 import check_01_1, check_01_2
from .ch01b import check_01b_1
from .ch02 import check_02_1, check_02_2, check_02_3
from .ch03 import check_03_1, check_03_2
from .ch03b import check_03b_1
from .ch04 import check_04_1, check_04_2, check_04_3
from .ch05 import check_05_1, check_05_2
from .ch05b import check_05b_1
from .ch05c import check_05c_1, check_05c_2
from .ch06 import check_06_1, check_06_2, check_06_3
from .ch07 import check_07_1, check_07_2
from .ch08 import check_08_1
from .ch09 import check_09_1, check_09_2
from .ch10 import check_10_1, check_10_2, check_10_3
from .ch11 import check_11_1, check_11_2
from .ch12 import check_12_1, check_12_2
from .checking import EXERCISES, Exercise, Hint, grade_chapter, outcome, result

__all__ = [
    "EXERCISES", "Exercise", "Hint", "grade_chapter", "outcome", "result",
    "check_00_1", "check_00_2",
    "check_01_1", "check_01_2", "check_01b_1",
    "check_02_1", "check_02_2", "check_02_3",
    "check_03_1", "check_03_2", "check_03b_1",
    "check_04_1", "check_04_2", "check_04_3",
    "check_05_1", "check_05_2", "check_05b_1", "check_05c_1", "check_05c_2",
    "check_06_1", "check_06_2", "check_06_3",
    "check_07_1", "check_07_2",
    "check_08_1",
    "check_09_1", "check_09_2",
    "check_10_1", "check_10_2", "check_10_3",
    "check_11_1", "check_11_2",
    "check_12_1", "check_12_2",
]
