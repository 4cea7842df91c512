"""Course tooling, not the word2vec algorithm: what runs the course around the notebooks.

- `exercises`: the checks the end-of-chapter exercises call (`check_NN_k`), one module per chapter.
- `student`: the student versions of the notebooks, solutions replaced by stubs (`make-student`).
- `grader`: running a folder of submitted notebooks and tabulating their checks (`check-submissions`).
- `colab`: the Colab setup cell and the Colab/Binder badges.
- `run_course`, `report`: every chapter run on one corpus, timed, with a report and a page of results
  (`run-course`).
"""
