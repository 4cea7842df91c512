"""Hierarchical softmax: word2vec's other output layer, taught in Chapter 10 (its fast steps in bonus notebook 10b).

Negative sampling replaces the softmax over the V words by K binary questions against noise
words. Hierarchical softmax keeps a true probability distribution over all V words, at a cost
of log2(V) per example instead of V: the words are the leaves of a binary tree, each of the
V - 1 inner nodes n has an output vector u_n, and the probability of word w given an input
vector h is the probability of the walk from the root to w's leaf,

    p(w | h) = prod_j sigma(s_j u_{n_j} . h)      s_j = +1 if step j goes left (code bit 0), -1 if right

Because sigma(x) + sigma(-x) = 1 at every inner node, the leaf probabilities sum to 1 for any h.
word2vec builds the tree with Huffman's algorithm on the word counts, so frequent words have short
paths and the expected path length is close to the entropy of the unigram distribution.

The loss of one example is -log p(w | h) = sum_j -log sigma(s_j u_{n_j} . h), a sum of the same
logistic terms as negative sampling, with label 1 - code_j. With g_j = sigma(u_{n_j} . h) - (1 - code_j):

    dL/dh = sum_j g_j u_{n_j}        dL/du_{n_j} = g_j h

Paths differ in length, so a batch walks them as one flat list of (example, node) steps: no padding.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from .cbow import PAD, context_mean, flat_context_mean
from .errors import W2VError


@dataclass
class HuffmanTree:
    """Every word's path from the root: inner-node ids (0..V-2, the root is V-2) and code bits.

    The paths of all words are stored end to end: word w's are points[offsets[w] : offsets[w] + lengths[w]],
    root first, and codes[...] the same slice (0: left, 1: right). Built by `build_huffman_tree` (Chapter 10).
    """

    points: np.ndarray    # (sum of lengths,) int64 inner-node ids
    codes: np.ndarray     # (sum of lengths,) int8 bits
    offsets: np.ndarray   # (V,) int64
    lengths: np.ndarray   # (V,) int64

    def path(self, word: int) -> list[int]:
        """Inner nodes from the root to the word's leaf (Chapter 10)."""
        return self.points[self.offsets[word]:self.offsets[word] + self.lengths[word]].tolist()

    def code(self, word: int) -> str:
        """The word's Huffman code as a string of 0s and 1s, root first (Chapter 10)."""
        return "".join(map(str, self.codes[self.offsets[word]:self.offsets[word] + self.lengths[word]].tolist()))

    def to(self, device) -> TreeTensors:
        """The arrays as torch tensors on `device`, for `hs_output_grads` (Chapter 10, bonus notebook 10b)."""
        as_t = lambda a: torch.as_tensor(np.asarray(a, dtype=np.int64), device=device)  # noqa: E731
        step = np.arange(self.lengths.max())                                  # (Lmax,)
        mask = step[None, :] < self.lengths[:, None]                          # (V, Lmax) real steps
        flat = np.where(mask, self.offsets[:, None] + step[None, :], 0)      # (V, Lmax) into points/codes
        return TreeTensors(as_t(self.points), as_t(self.codes), as_t(self.offsets), as_t(self.lengths),
                           as_t(np.where(mask, self.points[flat], 0)),
                           torch.as_tensor(np.where(mask, 1.0 - self.codes[flat], 0.0), dtype=torch.float32,
                                           device=device),
                           torch.as_tensor(mask, device=device))


@dataclass
class TreeTensors:
    """A HuffmanTree's arrays as int64 tensors on the training device (bonus notebook 10b)."""

    points: torch.Tensor
    codes: torch.Tensor
    offsets: torch.Tensor
    lengths: torch.Tensor
    padded_points: torch.Tensor   # (V, Lmax): each word's path padded with node 0
    padded_labels: torch.Tensor   # (V, Lmax) float32: 1 - code, 0 on padding
    padded_mask: torch.Tensor     # (V, Lmax) bool: True on the path's real steps


def build_huffman_tree(counts) -> HuffmanTree:
    """Huffman's algorithm with a heap: merge the two rarest subtrees until one is left (Chapter 10).

    counts: (V,) word counts, V >= 2. Leaves are 0..V-1, inner nodes V..2V-2 in order of creation
    (the root last). Of each merged pair the rarer gets bit 0 and the other bit 1, as in word2vec;
    ties are broken by node id, so the tree is the same on every machine. O(V log V).
    """
    counts = np.asarray(counts)
    V = len(counts)
    if V < 2:
        raise W2VError(f"hierarchical softmax needs a tree with at least 2 leaves, and the vocabulary has {V} "
                       "word(s); lower --min-count or use a larger corpus")
    heap = [(int(c), i) for i, c in enumerate(counts)]
    heapq.heapify(heap)
    parent = np.zeros(2 * V - 1, dtype=np.int64)
    bit = np.zeros(2 * V - 1, dtype=np.int8)
    for node in range(V, 2 * V - 1):
        (c0, a), (c1, b) = heapq.heappop(heap), heapq.heappop(heap)
        parent[a], parent[b], bit[b] = node, node, 1
        heapq.heappush(heap, (c0 + c1, node))
    # Depth of every node, parents before children: the root (2V-2) was created last.
    depth = np.zeros(2 * V - 1, dtype=np.int64)
    for node in range(2 * V - 3, -1, -1):
        depth[node] = depth[parent[node]] + 1
    lengths = depth[:V]
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    points = np.empty(int(lengths.sum()), dtype=np.int64)
    codes = np.empty(int(lengths.sum()), dtype=np.int8)
    # Walk up from every leaf at once, writing each path from its end (the leaf) back to the root.
    node, step = np.arange(V), lengths.copy()
    while (alive := step > 0).any():
        w = np.nonzero(alive)[0]
        step[w] -= 1
        codes[offsets[w] + step[w]] = bit[node[w]]
        node[w] = parent[node[w]]
        points[offsets[w] + step[w]] = node[w] - V
    return HuffmanTree(points, codes, offsets, lengths)


def flat_path_steps(words: torch.Tensor, tree: TreeTensors) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """The batch's walks as one list: (example index (T,), inner node (T,), code bit (T,)) (bonus notebook 10b).

    words: (B,) ids; T is the sum of their path lengths.
    """
    lengths = tree.lengths[words]                                        # (B,)
    rows = torch.repeat_interleave(torch.arange(len(words), device=words.device), lengths)   # (T,)
    first = torch.cumsum(lengths, 0) - lengths                           # (B,) where each walk starts in the list
    flat = tree.offsets[words][rows] + torch.arange(len(rows), device=words.device) - first[rows]  # (T,)
    return rows, tree.points[flat], tree.codes[flat]


def hs_output_grads(h: torch.Tensor, out_w: torch.Tensor, words: torch.Tensor, tree: TreeTensors):
    """Loss and gradients of -log p(word | h) for a batch: (summed loss, dL/dh (B, d), nodes (T,), dL/du (T, d)).

    h: (B, d) input vectors (skip-gram: the centre word's; CBOW: the context mean); words: (B,) the
    words to predict; out_w: the inner nodes' vectors. The hierarchical-softmax twin of
    `gradients.output_grads` (bonus notebook 10b).
    """
    loss, step, rows, nodes, hv, u = _walk(h, out_w, words, tree, 1.0)
    grad_h = torch.zeros_like(h).index_add_(0, rows, step.unsqueeze(1) * u)   # (B, d)
    return loss, grad_h, nodes, step.unsqueeze(1) * hv


def _walk(h, out_w, words, tree, scale: float):
    """Scores of every step of the batch's walks: (summed loss, scale * dL/ds (T,), rows, nodes, h rows, u rows)."""
    rows, nodes, codes = flat_path_steps(words, tree)                    # (T,) each
    hv = h.index_select(0, rows)                                         # (T, d)
    u = out_w.index_select(0, nodes)                                     # (T, d)
    s = torch.linalg.vecdot(u, hv)                                       # (T,)
    label = 1.0 - codes.to(s.dtype)                                      # 1 going left, 0 going right
    loss = -F.logsigmoid((2.0 * label - 1.0) * s).sum()
    return loss, (torch.sigmoid(s) - label).mul_(scale), rows, nodes, hv, u


def _apply(out_w, rows, nodes, step, hv, like: torch.Tensor) -> torch.Tensor:
    """Add step * h to each visited node's row; return the summed step * u per example, (B, d).

    The walks lie end to end in `rows` order, so the per-example sums are one `embedding_bag` over
    the nodes' rows weighted by `step` (read before the rows change), with no (T, d) product.
    """
    T, d = len(rows), out_w.shape[1]
    lengths = torch.bincount(rows, minlength=len(like))                  # (B,) steps per example
    delta_h = F.embedding_bag(nodes, out_w, torch.cumsum(lengths, 0) - lengths, mode="sum",
                              per_sample_weights=step)                   # (B, d)
    out_w.scatter_add_(0, nodes.unsqueeze(1).expand(T, d), hv.mul_(step.unsqueeze(1)))   # hv is spent
    return delta_h


@torch.no_grad()
def hs_step(in_w: torch.Tensor, out_w: torch.Tensor, centre: torch.Tensor, context: torch.Tensor,
            tree: TreeTensors, lr: float) -> torch.Tensor:
    """One SGD step of skip-gram with hierarchical softmax, in place; returns the summed loss.

    centre, context: (B,) ids; the centre's input vector predicts the context word's path. The
    learning rate is folded into the per-step errors and rows are added back with scatter_add_
    (as in `gradients.sgd_step_shared`). Exactly autograd + SGD on the summed loss, as
    bonus notebook 10b checks; the "manual" method of `train --hs`.
    """
    B, d = centre.shape[0], in_w.shape[1]
    v = in_w.index_select(0, centre)                                     # (B, d)
    loss, step, rows, nodes, hv, u = _walk(v, out_w, context, tree, -lr)
    delta_v = _apply(out_w, rows, nodes, step, hv, v)                 # (B, d) = -lr * dL/dv
    in_w.scatter_add_(0, centre.unsqueeze(1).expand(B, d), delta_v)
    return loss


@torch.no_grad()
def cbow_hs_step(in_w: torch.Tensor, out_w: torch.Tensor, centre: torch.Tensor, contexts: torch.Tensor,
                 tree: TreeTensors, lr: float) -> torch.Tensor:
    """One SGD step of CBOW with hierarchical softmax, in place; returns the summed loss.

    centre: (B,) ids; contexts: (B, 2w) padded with -1. The context mean h predicts the centre's
    path, and dL/dh / n goes to each of the n context words, as in `cbow.cbow_step` (bonus notebook 10b).
    """
    h, weights = context_mean(in_w, contexts)                            # (B, d), (B, 2w)
    loss, step, rows, nodes, hv, u = _walk(h, out_w, centre, tree, -lr)
    delta_h = _apply(out_w, rows, nodes, step, hv, h)                 # (B, d) = -lr * dL/dh
    real = contexts != PAD                                               # (B, 2w)
    in_w.index_add_(0, contexts[real], (weights.unsqueeze(-1) * delta_h.unsqueeze(1))[real])
    return loss


@torch.no_grad()
def cbow_hs_step_fast(in_w: torch.Tensor, out_w: torch.Tensor, centre: torch.Tensor, contexts: torch.Tensor,
                      tree: TreeTensors, lr: float) -> torch.Tensor:
    """word2vec's CBOW update with hierarchical softmax; returns the summed loss.

    As `cbow_hs_step`, except that each context word takes the whole -lr * dL/dh, as word2vec's C
    code and gensim do, instead of its 1/n share (the CBOW chapter explains why); the context words are
    taken out of the padding first. The "fast" method of `train --arch cbow --hs` (bonus notebook 10b).
    """
    h, words, rows = flat_context_mean(in_w, contexts)                   # (B, d), (M,), (M,)
    loss, step, steps_rows, nodes, hv, u = _walk(h, out_w, centre, tree, -lr)
    delta_h = _apply(out_w, steps_rows, nodes, step, hv, h)           # (B, d) = -lr * dL/dh
    in_w.index_add_(0, words, delta_h.index_select(0, rows))
    return loss


@torch.no_grad()
def sg_hs_step_windows(in_w: torch.Tensor, out_w: torch.Tensor, centre: torch.Tensor, contexts: torch.Tensor,
                       tree: TreeTensors, lr: float) -> torch.Tensor:
    """Skip-gram with hierarchical softmax on whole windows, as word2vec's C code walks it; returns the loss.

    centre: (B,) ids; contexts: (B, 2w) padded with -1 (CBOW's examples). Every context word's input
    vector predicts the centre's path, so all the pairs of a window share one path: the scores are
    one batched product (B, 2w, d) x (B, d, L) instead of one gathered row per step, and the step is
    exact SGD on the summed loss of those pairs (the same pairs as `hs_step`'s, each walked from the
    other end). The "fast" method of `train --hs` for skip-gram (bonus notebook 10b).
    Every pair of the batch updates the root's vector, and a window holds ~4.5 pairs, so the batch
    is taken WINDOWS_PER_STEP windows at a time: one step on 256 windows summed so many root updates
    that training diverged with two Hogwild workers.
    """
    loss = torch.zeros((), dtype=in_w.dtype, device=in_w.device)
    for i in range(0, len(centre), WINDOWS_PER_STEP):
        part = slice(i, i + WINDOWS_PER_STEP)
        loss += _windows_step(in_w, out_w, centre[part], contexts[part], tree, lr)
    return loss


WINDOWS_PER_STEP = 64  # windows per step of `sg_hs_step_windows` (bonus notebook 10b)


def _windows_step(in_w, out_w, centre, contexts, tree, lr) -> torch.Tensor:
    B, C = contexts.shape
    L = int(tree.lengths[centre].max())
    nodes = tree.padded_points[centre, :L]                               # (B, L)
    label = tree.padded_labels[centre, :L].to(in_w.dtype).unsqueeze(1)   # (B, 1, L)
    real = contexts != PAD                                               # (B, C)
    mask = (real.unsqueeze(2) & tree.padded_mask[centre, :L].unsqueeze(1)).to(in_w.dtype)   # (B, C, L)
    v = F.embedding(contexts.clamp(min=0), in_w)                         # (B, C, d)
    u = F.embedding(nodes, out_w)                                        # (B, L, d)
    s = torch.bmm(v, u.transpose(1, 2))                                  # (B, C, L)
    loss = (F.softplus(s.mul(1.0 - 2.0 * label)) * mask).sum()          # -log sigma(+-s) on the real steps
    step = torch.sigmoid(s).sub_(label).mul_(mask).mul_(-lr)             # (B, C, L): -lr * dL/ds
    in_w.index_add_(0, contexts[real], torch.bmm(step, u)[real])         # (M, d)
    out_w.index_add_(0, nodes.reshape(-1), torch.bmm(step.transpose(1, 2), v).reshape(-1, in_w.shape[1]))
    return loss


def word_probabilities(h: torch.Tensor, out_w: torch.Tensor, tree: TreeTensors) -> torch.Tensor:
    """p(w | h) for every word w of the vocabulary, for one input vector h (d,) -> (V,) (bonus notebook 10b)."""
    words = torch.arange(len(tree.lengths), device=h.device)
    rows, nodes, codes = flat_path_steps(words, tree)                    # every word's walk
    s = out_w[nodes] @ h                                                 # (T,)
    log_p = F.logsigmoid((1.0 - 2.0 * codes.to(s.dtype)) * s)            # (T,) log-probability of each step
    return torch.zeros(len(words), dtype=s.dtype, device=h.device).index_add_(0, rows, log_p).exp()
