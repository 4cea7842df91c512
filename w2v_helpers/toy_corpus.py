"""A small synthetic corpus with planted structure, generated offline from a seed.

Why it exists: text8 is 100 MB and needs a download; this corpus is built in memory
in well under a second, so tests, CI and offline notebooks can train on it, and a
learner can *check* what skip-gram recovered, because we know what we planted.

What is planted. Every planted word is a *concept* plus an *attribute*:

    king  = concept "royalty" + attribute "male"     queen = "royalty" + "female"
    paris = concept "france"  + attribute "capital"  france = "france" + "country"
    cats  = concept "cat"     + attribute "plural"   cat    = "cat"    + "singular"

Each sentence mentions one planted word, a few *topic* words of its concept
(shared by both words of the pair: king and queen both meet "crown", "throne"),
a few *attribute* words (shared by every word with that attribute: king, man and
boy all meet "he", "him", "his"), and filler. Skip-gram learns a vector from the
words around a word, so vec(king) ends up near topic(royalty) + attr(male), and

    vec(queen) - vec(king) + vec(man)  ~  attr(female) - attr(male) + topic(man) + attr(male)
                                       ~  topic(man) + attr(female)  ~  vec(woman)

which is exactly what the analogy test asks (3CosAdd). Filler words are
pronounceable nonsense ("bako", "tilemu") drawn from a Zipf distribution
(the r-th most common filler word is about 1/r as frequent as the first), like
the word frequencies of real text; they add noise the model has to see through.
Shorter filler words are the more frequent ones, as in real languages.

The same seed gives the same corpus bit for bit (numpy's default_rng only).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain

import numpy as np

from .errors import W2VError
from .zipf_corpus import zipf_probs

# --- The planted word groups (first word of each pair has attribute 0, second attribute 1).

GENDER_PAIRS: list[tuple[str, str]] = [
    ("king", "queen"), ("man", "woman"), ("boy", "girl"), ("father", "mother"),
    ("brother", "sister"), ("prince", "princess"), ("uncle", "aunt"), ("son", "daughter"),
    ("husband", "wife"), ("actor", "actress"),
]
CAPITALS: list[tuple[str, str]] = [
    ("france", "paris"), ("germany", "berlin"), ("italy", "rome"), ("spain", "madrid"),
    ("japan", "tokyo"), ("russia", "moscow"), ("egypt", "cairo"), ("greece", "athens"),
    ("england", "london"), ("china", "beijing"),
]
PLURALS: list[tuple[str, str]] = [
    ("cat", "cats"), ("dog", "dogs"), ("car", "cars"), ("tree", "trees"), ("house", "houses"),
    ("bird", "birds"), ("book", "books"), ("apple", "apples"), ("river", "rivers"),
    ("horse", "horses"),
]

#: Section name -> its word pairs. The analogy sections of ToyCorpus use these names.
SECTIONS: dict[str, list[tuple[str, str]]] = {
    "gender": GENDER_PAIRS,
    "capital": CAPITALS,
    "plural": PLURALS,
}

#: Section name -> (words for attribute 0, words for attribute 1): shared by every pair's side.
ATTRIBUTE_WORDS: dict[str, tuple[list[str], list[str]]] = {
    "gender": (["he", "him", "his", "himself", "mr"], ["she", "her", "hers", "herself", "mrs"]),
    "capital": (["nation", "border", "population", "territory", "province"],
                ["city", "mayor", "downtown", "streets", "metro"]),
    "plural": (["a", "this", "is", "one", "was"], ["many", "these", "are", "several", "were"]),
}

#: Concept (the pair's first word) -> topic words, shared by both words of the pair.
TOPIC_WORDS: dict[str, list[str]] = {
    "king": ["crown", "throne", "reign", "kingdom"], "man": ["adult", "grown", "person", "human"],
    "boy": ["child", "young", "kid", "playground"], "father": ["parent", "family", "home", "raised"],
    "brother": ["sibling", "twin", "older", "younger"], "prince": ["royal", "castle", "heir", "palace"],
    "uncle": ["relative", "cousin", "visit", "nephew"], "son": ["born", "baby", "birth", "grew"],
    "husband": ["married", "wedding", "marriage", "spouse"], "actor": ["film", "stage", "movie", "role"],
    "france": ["french", "seine", "louvre", "wine"], "germany": ["german", "rhine", "bavaria", "beer"],
    "italy": ["italian", "pasta", "vatican", "tiber"], "spain": ["spanish", "flamenco", "iberia", "tapas"],
    "japan": ["japanese", "sushi", "samurai", "kimono"], "russia": ["russian", "kremlin", "vodka", "tsar"],
    "egypt": ["egyptian", "nile", "pyramid", "pharaoh"], "greece": ["greek", "aegean", "olive", "acropolis"],
    "england": ["english", "thames", "tea", "royalty"], "china": ["chinese", "wall", "dynasty", "panda"],
    "cat": ["meow", "purr", "whiskers", "kitten"], "dog": ["bark", "puppy", "leash", "wag"],
    "car": ["engine", "drive", "wheel", "road"], "tree": ["leaf", "branch", "trunk", "forest"],
    "house": ["roof", "door", "room", "window"], "bird": ["wing", "feather", "nest", "fly"],
    "book": ["page", "read", "chapter", "author"], "apple": ["fruit", "orchard", "juice", "pie"],
    "river": ["water", "flow", "bank", "stream"], "horse": ["saddle", "gallop", "stable", "rider"],
}

N_TOPIC = 2   # topic words per sentence
N_ATTR = 2    # attribute words per sentence
N_FILLER = 6  # filler words per sentence
SENTENCE_LEN = 1 + N_TOPIC + N_ATTR + N_FILLER
FILLER_VOCAB = 1500  # distinct filler words
ZIPF_S = 1.0         # filler frequency of rank r is proportional to r ** -ZIPF_S


@dataclass(frozen=True)
class ToyCorpus:
    """The generated tokens plus the analogy questions whose answers were planted in them.

    Made by make_toy_corpus (Chapter 7); the other chapters get it as load_corpus('toy').
    """

    tokens: list[str]
    analogies: dict[str, list[tuple[str, str, str, str]]]

    def text(self) -> str:
        """The corpus as one string, the same shape as text8."""
        return " ".join(self.tokens)

    def analogy_questions(self) -> list[tuple[str, str, str, str]]:
        """Every section's (a, b, c, d) questions in one list: a is to b as c is to d."""
        return [q for section in self.analogies.values() for q in section]


def planted_words() -> list[str]:
    """All words whose vectors the analogies test, in section order (Chapter 5; bonus notebook 07b)."""
    return [w for pairs in SECTIONS.values() for pair in pairs for w in pair]


def reserved_words() -> set[str]:
    """Every non-filler word: planted, topic and attribute words (filler must avoid these); bonus notebook 07b."""
    attrs = chain.from_iterable(a + b for a, b in ATTRIBUTE_WORDS.values())
    return set(planted_words()) | set(chain.from_iterable(TOPIC_WORDS.values())) | set(attrs)


def analogy_sections() -> dict[str, list[tuple[str, str, str, str]]]:
    """Every (a, b, c, d) with (a, b) and (c, d) two different pairs of one section.

    Used by the command line and the notebooks through load_corpus('toy') (Corpus.analogies).
    """
    return {
        name: [(a, b, c, d) for a, b in pairs for c, d in pairs if a != c]
        for name, pairs in SECTIONS.items()
    }


def _filler_words(rng: np.random.Generator, n: int) -> list[str]:
    """n distinct pronounceable nonsense words (consonant-vowel syllables), shortest first.

    Sorting by length before assigning Zipf ranks makes frequent words short, as in real text.
    """
    syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
    taken, words = reserved_words(), []
    while len(words) < n:  # one round nearly always suffices: 340,000 possible words
        picks = rng.integers(0, len(syllables), size=(2 * n, 3))
        lengths = rng.integers(2, 4, size=2 * n)
        for row, length in zip(picks.tolist(), lengths.tolist()):
            word = "".join(syllables[i] for i in row[:length])
            if word not in taken and len(words) < n:
                taken.add(word)
                words.append(word)
    return sorted(words, key=len)  # stable sort: equal lengths keep their random order


def _sentence_table() -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Vocabulary of non-filler words, and per planted word: its topic ids and attribute ids.

    Returns (words, planted_ids, topic_ids[planted, N_topics], attr_ids[planted, N_attrs]).
    """
    words = sorted(reserved_words())
    index = {w: i for i, w in enumerate(words)}
    planted, topics, attrs = [], [], []
    for name, pairs in SECTIONS.items():
        for concept, other in pairs:
            for side, word in enumerate((concept, other)):
                planted.append(index[word])
                topics.append([index[t] for t in TOPIC_WORDS[concept]])
                attrs.append([index[t] for t in ATTRIBUTE_WORDS[name][side]])
    return words, np.array(planted), np.array(topics), np.array(attrs)


def make_toy_corpus(seed: int = 0, n_tokens: int = 300_000) -> ToyCorpus:
    """Generate n_tokens tokens of sentences around planted words; same seed, same corpus (Chapter 7).

    Each sentence is one planted word, N_TOPIC of its concept's topic words, N_ATTR of
    its attribute's words and N_FILLER Zipf-distributed filler words, in random order.
    Planted words take turns (each occurs equally often, give or take one), so every one
    reaches min_count=5 once n_tokens >= 5 * 60 * SENTENCE_LEN = 3,300.
    """
    if n_tokens < 0:
        raise W2VError(f"n_tokens must be 0 or more, got {n_tokens}")
    rng = np.random.default_rng(seed)
    words, planted, topics, attrs = _sentence_table()
    filler = _filler_words(rng, FILLER_VOCAB)
    vocab = np.array(words + filler, dtype=object)

    n_sent = -(-n_tokens // SENTENCE_LEN)  # ceiling division
    who = rng.permutation(np.resize(np.arange(len(planted)), n_sent))  # balanced planted counts
    topic_cols = rng.integers(0, topics.shape[1], size=(n_sent, N_TOPIC))
    attr_cols = rng.integers(0, attrs.shape[1], size=(n_sent, N_ATTR))
    filler_ids = len(words) + rng.choice(len(filler), size=(n_sent, N_FILLER), p=zipf_probs(len(filler), ZIPF_S))
    sentences = np.concatenate(
        [planted[who, None], topics[who[:, None], topic_cols], attrs[who[:, None], attr_cols], filler_ids],
        axis=1,
    )
    sentences = rng.permuted(sentences, axis=1)  # shuffle word order within each sentence
    tokens = vocab[sentences.ravel()[:n_tokens]].tolist()
    return ToyCorpus(tokens=tokens, analogies=analogy_sections())
