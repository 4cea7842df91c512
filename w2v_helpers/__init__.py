"""w2v_helpers: the small package the word2vec-from-scratch notebooks build and import."""

__version__ = "0.1.0"
