"""The diagrams: each has a title, shows what it says (the pairs, the row, the code), and no two labels overlap."""

import itertools

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from w2v_helpers import diagrams  # noqa: E402
from w2v_helpers.errors import W2VError  # noqa: E402
from w2v_helpers.hs import build_huffman_tree  # noqa: E402

SENTENCE = "the old man walked slowly along the river bank before the storm".split()
WORDS = ["the", "of", "and", "river", "bank", "king", "queen", "ship"]
COUNTS = [5000, 3000, 2800, 120, 90, 60, 55, 20]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def texts(fig) -> list:
    ax = fig.axes[0]
    return [t for t in ax.texts if t.get_text().strip()]


def overlapping(fig) -> list[tuple[str, str]]:
    """Pairs of labels whose drawn boxes intersect (by more than a pixel)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(renderer).expanded(0.98, 0.9)) for t in texts(fig)]
    return [(a, b) for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2) if box_a.overlaps(box_b)]


def highlighted(fig) -> list[str]:
    """The texts drawn inside a box of the highlight colour."""
    ax = fig.axes[0]
    hot = [p for p in ax.patches if matplotlib.colors.same_color(p.get_facecolor(), diagrams.HIGHLIGHT)]
    out = []
    for t in texts(fig):
        x, y = t.get_position()
        if any(p.get_path().contains_point((x, y), transform=p.get_patch_transform()) for p in hot):
            out.append(t.get_text())
    return out


FIGURES = {
    "window": lambda: diagrams.sliding_window_figure(SENTENCE, 5, 5, 2),
    "window-edge": lambda: diagrams.sliding_window_figure(SENTENCE, 0, 4, 3),
    "lookup": lambda: diagrams.lookup_figure(["king", "queen", "man", "woman", "river", "bank"], 1),
    "skipgram": lambda: diagrams.network_figure("skipgram", "walked", ["old", "man", "slowly", "along"]),
    "cbow": lambda: diagrams.network_figure("cbow", "walked", ["old", "man", "slowly", "along"]),
    "negative": lambda: diagrams.negative_sampling_figure("river", "bank",
                                                          ["the", "elizabeth", "seven", "of", "wrote"]),
    "huffman": lambda: diagrams.huffman_tree_figure(WORDS, COUNTS, "bank"),
}


@pytest.mark.parametrize("name", FIGURES)
def test_every_diagram_has_a_title_and_no_overlapping_labels(name):
    fig = FIGURES[name]()
    assert fig.axes[0].get_title()
    assert overlapping(fig) == []


def test_the_window_lists_exactly_the_pairs_of_the_drawn_size():
    fig = diagrams.sliding_window_figure(SENTENCE, 5, 5, 2)
    shown = [t.get_text() for t in texts(fig) if t.get_text().startswith("(along,")]
    assert shown == ["(along, walked)", "(along, slowly)", "(along, the)", "(along, river)"]
    assert highlighted(fig) == ["along"]
    # at the sentence's start the window is cut: 3 words to the right only
    edge = diagrams.sliding_window_figure(SENTENCE, 0, 4, 3)
    assert [t.get_text() for t in texts(edge) if t.get_text().startswith("(the,")] == \
        ["(the, old)", "(the, man)", "(the, walked)"]


def test_the_lookup_result_is_the_chosen_row_of_the_drawn_matrix():
    words = ["king", "queen", "man", "woman", "river", "bank"]
    fig = diagrams.lookup_figure(words, 3, dim=4, seed=2)
    table = fig.lookup_table
    assert table.shape == (6, 4)
    one_hot = np.eye(6)[3]
    hot = highlighted(fig)
    row = [f"{v:+.1f}" for v in one_hot @ table]
    assert hot == ["1"] + row + row  # the 1 of x, row 3 of W, and the result: the same four numbers twice


def test_the_networks_point_the_right_way():
    sg = [t.get_text() for t in texts(diagrams.network_figure("skipgram", "walked", ["old", "man"]))]
    cbow = [t.get_text() for t in texts(diagrams.network_figure("cbow", "walked", ["old", "man"]))]
    assert "σ(u_old · v)" in sg and "σ(u_man · v)" in sg and "σ(u_walked · h)" in cbow
    assert not any("u_walked" in t for t in sg) and not any("u_old" in t for t in cbow)


def test_the_question_has_one_yes_and_one_no_per_noise_word():
    fig = diagrams.negative_sampling_figure("river", "bank", ["the", "of", "wrote"])
    labels = [t.get_text() for t in texts(fig)]
    assert sum(t.startswith("1:") for t in labels) == 1 and sum(t.startswith("0:") for t in labels) == 3
    assert "4 yes/no questions" in fig.axes[0].get_title()


def test_the_tree_highlights_the_words_code_as_chapter_10_builds_it():
    fig = diagrams.huffman_tree_figure(WORDS, COUNTS, "bank")
    tree = build_huffman_tree(np.array(COUNTS))
    assert fig.huffman_code == tree.code(WORDS.index("bank"))
    assert fig.huffman_code in fig.axes[0].get_title()
    # the highlighted leaf is bank's; every leaf is drawn once
    assert highlighted(fig) == ["bank\n90"]
    leaves = [t.get_text().split("\n")[0] for t in texts(fig) if "\n" in t.get_text()]
    assert sorted(leaves) == sorted(WORDS)


@pytest.mark.parametrize("call, message", [
    (lambda: diagrams.sliding_window_figure(SENTENCE, 20, 5, 2), "centre must be a position"),
    (lambda: diagrams.sliding_window_figure(SENTENCE, 3, 2, 5), "reduced must be between 1 and window"),
    (lambda: diagrams.lookup_figure([], 0), "non-empty list"),
    (lambda: diagrams.lookup_figure(["a", "b"], 2), "index must be a row"),
    (lambda: diagrams.network_figure("glove", "a", ["b"]), "kind must be"),
    (lambda: diagrams.negative_sampling_figure("a", "b", []), "negatives must be"),
    (lambda: diagrams.huffman_tree_figure(["a"], [3], "a"), "at least 2 words"),
    (lambda: diagrams.huffman_tree_figure(["a", "b"], [3, 0], "a"), "positive"),
    (lambda: diagrams.huffman_tree_figure(["a", "b"], [3, 1], "c"), "not one of the words"),
])
def test_bad_input_is_refused_in_one_line(call, message):
    with pytest.raises(W2VError, match=message):
        call()


def test_the_overlap_check_sees_an_overlap():
    fig, ax = plt.subplots()
    ax.set_axis_off()
    ax.text(0.5, 0.5, "one label")
    ax.text(0.52, 0.5, "another label")
    ax.text(0.1, 0.1, "far away")
    assert overlapping(fig) == [("one label", "another label")]
