"""Pictures of the ideas, drawn by code: the sliding window, the lookup, the networks, the yes/no question, the tree.

Each function returns a matplotlib Figure with a title and nothing on it but boxes, arrows and words,
sized to its content so that no two labels overlap. What a figure shows is also returned in a form a
test can read: every box's text is a Text artist, and the highlighted ones are drawn in `HIGHLIGHT`.
matplotlib is imported inside the functions, as in `plots`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .errors import W2VError

HIGHLIGHT = "#d95f02"  # the centre word, the chosen row, the path: one colour for "this one"
CONTEXT = "#1b9e77"    # the words the centre word is paired with, the true pair
MUTED = "#bbbbbb"      # what the window could have reached but did not, the noise words
CHAR = 0.6             # width of one character in the data units the diagrams use (1 unit = one line)


def _canvas(width: float, height: float, title: str):
    """A figure whose data units are about one line of 10-point text, axes hidden."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(max(4.0, width * 0.17), max(1.6, height * 0.3 + 0.6)))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_axis_off()
    ax.set_title(title)
    return fig, ax


def _box(ax, x: float, y: float, w: float, text: str, color: str = "white", h: float = 1.2, **text_kwargs):
    """A rectangle with lower-left corner (x, y) and `text` in its middle."""
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0.02,rounding_size=0.15",
                                facecolor=color, edgecolor="#444444", linewidth=0.8))
    return ax.text(x + w / 2, y + h / 2, text, ha="center", va="center", fontsize=10, **text_kwargs)


def _arrow(ax, start, end, color: str = "#444444", lw: float = 1.0):
    ax.annotate("", xy=end, xytext=start, arrowprops=dict(arrowstyle="->", color=color, lw=lw,
                                                          shrinkA=0, shrinkB=0))


def _words(words: Sequence[str], what: str) -> list[str]:
    words = [str(w) for w in words]
    if not words or any(not w for w in words):
        raise W2VError(f"{what} must be a non-empty list of non-empty words")
    return words


# ----- Chapter 4: the sliding window, the lookup, the skip-gram network -------------------------------------
def sliding_window_figure(words: Sequence[str], centre: int, window: int, reduced: int):
    """The dynamic window around `words[centre]`: +-window possible, +-reduced used, and its pairs (Chapter 4).

    word2vec draws the window's size b for each centre uniformly from 1..window; the pairs are the centre
    with each word at distance 1..b. Returns the Figure.
    """
    words = _words(words, "words")
    if not 0 <= centre < len(words):
        raise W2VError(f"centre must be a position in words (0..{len(words) - 1}), got {centre}")
    if not 1 <= reduced <= window:
        raise W2VError(f"reduced must be between 1 and window ({window}), got {reduced}")
    widths = [len(w) * CHAR + 1.0 for w in words]
    starts = np.concatenate([[0.5], 0.5 + np.cumsum(np.array(widths) + 0.3)[:-1]])
    used = [i for i in range(centre - reduced, centre + reduced + 1) if 0 <= i < len(words) and i != centre]
    pairs = [f"({words[centre]}, {words[i]})" for i in used]
    per_row = max(1, int((starts[-1] + widths[-1]) // (max(len(p) for p in pairs) * CHAR + 1.5)) if pairs else 1)
    rows = (len(pairs) + per_row - 1) // per_row
    width = starts[-1] + widths[-1] + 0.5
    height = 6.2 + 1.3 * rows
    fig, ax = _canvas(width, height, f"Skip-gram pairs: window {window}, size drawn for this word: {reduced}")
    top = height - 1.8
    for i, (x, w) in enumerate(zip(starts, widths)):
        distance = abs(i - centre)
        color = HIGHLIGHT if i == centre else CONTEXT if i in used else MUTED if distance <= window else "white"
        _box(ax, x, top, w, words[i], color=color)

    def bracket(lo: int, hi: int, y: float, label: str, color: str):
        lo, hi = max(lo, 0), min(hi, len(words) - 1)
        x0, x1 = starts[lo], starts[hi] + widths[hi]
        ax.plot([x0, x0, x1, x1], [y + 0.35, y, y, y + 0.35], color=color, lw=1.5)
        ax.text((x0 + x1) / 2, y - 0.25, label, ha="center", va="top", fontsize=9, color=color)

    bracket(centre - window, centre + window, top - 0.5, f"the window at its largest: {window} words each side",
            "#777777")
    bracket(centre - reduced, centre + reduced, top - 2.2, f"this time: {reduced} each side", CONTEXT)
    y = top - 4.0
    ax.text(0.5, y, f"{len(pairs)} training pairs (centre, context):", ha="left", va="center", fontsize=10)
    step = (width - 1.0) / per_row
    for k, pair in enumerate(pairs):
        ax.text(0.5 + (k % per_row) * step, y - 1.2 * (1 + k // per_row), pair, ha="left", va="center",
                fontsize=10, color=CONTEXT)
    return fig


def lookup_figure(words: Sequence[str], index: int, dim: int = 4, seed: int = 0):
    """An embedding lookup is a one-hot vector times a matrix: x W picks row `index` of W (Chapter 4).

    W is a small random matrix (rounded to one decimal, from `seed`), one row per word. Returns the Figure.
    """
    words = _words(words, "words")
    V = len(words)
    if not 0 <= index < V:
        raise W2VError(f"index must be a row of the table (0..{V - 1}), got {index}")
    if not 1 <= dim <= 8:
        raise W2VError(f"dim must be between 1 and 8 for a readable picture, got {dim}")
    table = np.round(np.random.default_rng(seed).normal(0.0, 0.5, size=(V, dim)), 1) + 0.0
    cell_x = max(2.4, max(len(w) for w in words) * CHAR + 0.8)  # one-hot cells carry a word above them
    cell_w = 3.0
    label_w = max(len(w) for w in words) * CHAR + 0.6
    x0 = 0.5
    mat_x = x0 + V * cell_x + 2.0 + label_w
    res_x = mat_x + dim * cell_w + 2.0
    width = res_x + dim * cell_w + 0.5
    height = V * 1.2 + 4.6
    top = height - 2.4
    fig, ax = _canvas(width, height, f"Looking up '{words[index]}': one-hot x W = row {index} of W")
    # the one-hot row vector, a word above each cell
    for j in range(V):
        _box(ax, x0 + j * cell_x, top - 1.2, cell_x, "1" if j == index else "0",
             color=HIGHLIGHT if j == index else "white")
        ax.text(x0 + (j + 0.5) * cell_x, top + 0.3, words[j], ha="center", va="bottom", fontsize=9)
    ax.text(x0 + V * cell_x / 2, top - 2.0, f"x: one-hot, {V} entries", ha="center", va="top", fontsize=9)
    ax.text(x0 + V * cell_x + 1.0, top - 0.6, "x", ha="center", va="center", fontsize=12)
    # the matrix, a word left of each row
    for i in range(V):
        y = top - 1.2 * (i + 1)
        ax.text(mat_x - 0.3, y + 0.6, words[i], ha="right", va="center", fontsize=9,
                color=HIGHLIGHT if i == index else "black")
        for j in range(dim):
            _box(ax, mat_x + j * cell_w, y, cell_w, f"{table[i, j]:+.1f}",
                 color=HIGHLIGHT if i == index else "white")
    ax.text(mat_x + dim * cell_w / 2, top - 1.2 * V - 0.5, f"W: {V} x {dim}", ha="center", va="top", fontsize=9)
    ax.text(res_x - 1.0, top - 0.6, "=", ha="center", va="center", fontsize=12)
    for j in range(dim):
        _box(ax, res_x + j * cell_w, top - 1.2, cell_w, f"{table[index, j]:+.1f}", color=HIGHLIGHT)
    ax.text(res_x + dim * cell_w / 2, top - 2.0, f"the vector of '{words[index]}'", ha="center", va="top", fontsize=9)
    fig.lookup_table = table  # what was drawn, for tests
    return fig


def network_figure(kind: str, centre: str, context: Sequence[str]):
    """Skip-gram or CBOW drawn as a network: input words, the embedding (hidden layer), output scores (Chapters 4, 9).

    kind "skipgram": the centre word's vector scores each context word. kind "cbow": the mean of the context
    words' vectors scores the centre word. Returns the Figure.
    """
    if kind not in ("skipgram", "cbow"):
        raise W2VError(f"kind must be 'skipgram' or 'cbow', got {kind!r}")
    context = _words(context, "context")
    centre = _words([centre], "centre")[0]
    inputs, outputs = ([centre], context) if kind == "skipgram" else (context, [centre])
    hidden = "v = W_in[centre]" if kind == "skipgram" else "h = mean of W_in[context]"
    scores = [f"σ(u_{w} · {'v' if kind == 'skipgram' else 'h'})" for w in outputs]
    in_w = max(len(w) for w in inputs) * CHAR + 1.2
    hid_w = len(hidden) * CHAR + 1.2
    out_w = max(len(s) for s in scores) * CHAR + 1.2
    gap = 4.0
    xs = [0.5, 0.5 + in_w + gap, 0.5 + in_w + gap + hid_w + gap]
    width = xs[2] + out_w + 0.5
    rows = max(len(inputs), len(outputs), 1)
    height = rows * 1.8 + 3.4
    name = "Skip-gram" if kind == "skipgram" else "CBOW"
    idea = "one word predicts its context" if kind == "skipgram" else "the context predicts its word"
    fig, ax = _canvas(width, height, f"{name}: {idea}")
    top = height - 2.6

    def column(n: int) -> list[float]:
        first = top - (rows - n) * 0.9
        return [first - 1.8 * i for i in range(n)]

    in_y, out_y = column(len(inputs)), column(len(outputs))
    hid_y = column(1)[0]
    for w, y in zip(inputs, in_y):
        _box(ax, xs[0], y, in_w, w, color=HIGHLIGHT if w == centre and kind == "skipgram" else
             CONTEXT if kind == "cbow" else "white")
        _arrow(ax, (xs[0] + in_w, y + 0.6), (xs[1], hid_y + 0.6))
    _box(ax, xs[1], hid_y, hid_w, hidden, color="#f2f2f2")
    for s, y in zip(scores, out_y):
        _box(ax, xs[2], y, out_w, s, color=CONTEXT if kind == "skipgram" else HIGHLIGHT)
        _arrow(ax, (xs[1] + hid_w, hid_y + 0.6), (xs[2], y + 0.6))
    low = min(in_y + out_y + [hid_y]) - 0.4
    for x, w, label in [(xs[0], in_w, "input: one-hot"), (xs[1], hid_w, "embedding: d numbers"),
                        (xs[2], out_w, "output: one score each")]:
        ax.text(x + w / 2, low, label, ha="center", va="top", fontsize=9, color="#555555")
    return fig


# ----- Chapter 1: negative sampling's yes/no question --------------------------------------------------
def negative_sampling_figure(centre: str, context: str, negatives: Sequence[str]):
    """One true pair labelled 1 and K noise pairs labelled 0, each scored by σ(u · v) (Chapter 1).

    Returns the Figure.
    """
    centre, context = _words([centre], "centre")[0], _words([context], "context")[0]
    negatives = _words(negatives, "negatives")
    pairs = [(context, 1)] + [(n, 0) for n in negatives]
    pair_text = [f"({centre}, {w})" for w, _ in pairs]
    left_w = max(len(t) for t in pair_text) * CHAR + 1.2
    mid = "σ(u · v)"
    mid_w = len(mid) * CHAR + 1.2
    answers = ["1: it is a real context", "0: it is a noise word"]
    right_w = max(len(a) for a in answers) * CHAR + 1.2
    xs = [0.5, 0.5 + left_w + 2.5, 0.5 + left_w + 2.5 + mid_w + 2.5]
    width = xs[2] + right_w + 0.5
    height = 1.6 * len(pairs) + 2.6
    fig, ax = _canvas(width, height, f"Negative sampling: {len(pairs)} yes/no questions instead of one V-way choice")
    for k, ((_, label), text) in enumerate(zip(pairs, pair_text)):
        y = height - 2.4 - 1.6 * k
        color = CONTEXT if label else MUTED
        _box(ax, xs[0], y, left_w, text, color=color)
        _arrow(ax, (xs[0] + left_w, y + 0.6), (xs[1], y + 0.6))
        _box(ax, xs[1], y, mid_w, mid, color="#f2f2f2")
        _arrow(ax, (xs[1] + mid_w, y + 0.6), (xs[2], y + 0.6))
        _box(ax, xs[2], y, right_w, answers[0] if label else answers[1], color=color)
    return fig


# ----- Chapter 10: the Huffman tree and one word's path ------------------------------------------------
def huffman_tree_figure(words: Sequence[str], counts: Sequence[int], word: str):
    """The Huffman tree of `words` (built as Chapter 10 builds it), `word`'s path from the root highlighted.

    Leaves show each word and its count; each edge shows its bit; inner nodes are numbered as in the
    tree's `points`. Returns the Figure; `fig.huffman_code` is the highlighted word's code.
    """
    from .hs import build_huffman_tree

    words = _words(words, "words")
    counts = np.asarray(counts, dtype=np.int64)
    if len(counts) != len(words) or len(words) < 2:
        raise W2VError(f"give at least 2 words and one count per word ({len(words)} words, {len(counts)} counts)")
    if (counts <= 0).any():
        raise W2VError("every count must be positive")
    if word not in words:
        raise W2VError(f"{word!r} is not one of the words of the tree")
    V = len(words)
    tree = build_huffman_tree(counts)
    children: dict[int, dict[int, tuple[str, int]]] = {}  # inner node -> bit -> ("inner" | "leaf", id)
    for w in range(V):
        path, code = tree.path(w), tree.code(w)
        for j, (node, bit) in enumerate(zip(path, code)):
            child = ("inner", path[j + 1]) if j + 1 < len(path) else ("leaf", w)
            children.setdefault(node, {})[int(bit)] = child
    root = V - 2
    # x of each leaf from an in-order walk (bit 0 left), inner nodes centred over their children
    leaf_w = max(max(len(w) for w in words), max(len(f"{c:,}") for c in counts)) * CHAR + 1.2
    pos: dict[tuple[str, int], tuple[float, float]] = {}
    order: list[int] = []

    def place(node: tuple[str, int], depth: int) -> float:
        if node[0] == "leaf":
            x = 0.5 + len(order) * (leaf_w + 0.6) + leaf_w / 2
            order.append(node[1])
        else:
            xs = [place(children[node[1]][b], depth + 1) for b in (0, 1)]
            x = sum(xs) / 2
        pos[node] = (x, depth)
        return x

    place(("inner", root), 0)
    max_depth = int(tree.lengths.max())
    level = 2.4
    width = 0.5 + V * (leaf_w + 0.6) + 0.2
    height = (max_depth + 1) * level + 1.6
    target = words.index(word)
    code = tree.code(target)
    fig, ax = _canvas(width, height, f"Huffman tree: the path to '{word}' is {len(code)} left/right "
                      f"decisions, code {code}")

    def y_of(depth: int) -> float:
        return height - 1.2 - depth * level

    on_path = {("inner", n) for n in tree.path(target)} | {("leaf", target)}
    for parent, kids in children.items():
        px, pd = pos[("inner", parent)]
        for bit, child in kids.items():
            cx, cd = pos[child]
            hot = ("inner", parent) in on_path and child in on_path
            ax.plot([px, cx], [y_of(pd), y_of(cd) + (0.6 if child[0] == "leaf" else 0.0)],
                    color=HIGHLIGHT if hot else "#888888", lw=2.2 if hot else 1.0, zorder=1)
            ax.text((px + cx) / 2 + (-0.35 if bit == 0 else 0.35), (y_of(pd) + y_of(cd)) / 2 + 0.3, str(bit),
                    ha="center", va="center", fontsize=9, color=HIGHLIGHT if hot else "#555555",
                    bbox=dict(boxstyle="round,pad=0.1", facecolor="white", edgecolor="none"))
    for node, (x, depth) in pos.items():
        hot = node in on_path
        if node[0] == "inner":
            ax.scatter([x], [y_of(depth)], s=260, color=HIGHLIGHT if hot else "#f2f2f2", edgecolor="#444444",
                       zorder=2)
            ax.text(x, y_of(depth), str(node[1]), ha="center", va="center", fontsize=8, zorder=3)
        else:
            w = node[1]
            _box(ax, x - leaf_w / 2, y_of(depth) - 0.8, leaf_w, f"{words[w]}\n{counts[w]:,}",
                 color=HIGHLIGHT if hot else "white", h=1.6)
    fig.huffman_code = code
    return fig
