"""The speed race against gensim (`python -m w2v_helpers benchmark`): course tooling, not part of the word2vec core.

speed.py trains ours and gensim's skip-gram in fresh child processes and scores both; report.py
writes the table, benchmark.md, benchmark.png and benchmark.json.
"""
