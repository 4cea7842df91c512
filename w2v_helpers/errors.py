"""One exception type for every mistake a user can fix.

The command line prints these as a single line (no traceback) and exits with code 2;
library callers can catch them like any other exception.
"""


class W2VError(Exception):
    """A problem with the input or environment, with a message that says how to fix it.

    Used by every chapter: the package raises it; Chapter 7 catches it; bonus notebook 05b reads the
    message of a refused resume.
    """


class UnknownWordError(W2VError, KeyError):
    """A query word is not in the vocabulary. Also a KeyError, so `word in vectors` idioms keep working.

    Used by the command line (neighbors, analogy) and raised by WordVectors lookups.
    """

    def __str__(self) -> str:  # KeyError would otherwise print the message wrapped in quotes
        return str(self.args[0]) if self.args else ""
