"""Prose tied to outputs: every measured number a chapter's text quotes is one its stored outputs show.

A number in a markdown cell (outside code spans, formulas and links) is checked when it could be a
measurement: it has a decimal point, a percent sign, a k/M suffix, or three or more digits. It passes when
one of the chapter's stored outputs shows it (to the precision the text quotes it: 0.59 matches a printed
0.588, 5.5% matches 0.055 or 5.5%, 1.46M matches 1,460,479), when the chapter's code writes it (a setting
such as 20_000 or 1e-3), or when it is on one of the explicit lists below: constants (values from papers
and definitions, years), and numbers measured elsewhere (text8, the 17.5M-token corpus) with their source.
Anything else is prose that has drifted from what the notebook prints.
"""

import json
import re
from pathlib import Path

import pytest

from w2v_helpers.course import layout

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = layout.course(ROOT / "notebooks") + layout.solutions(ROOT / "notebooks")

# Values that are not measurements: the paper's and word2vec's settings, sizes of the standard datasets,
# well-known constants. A measured number never belongs here.
CONSTANTS = {
    "0.75",       # the unigram distribution's power (Mikolov et al. 2013b)
    "3/4",
    "1e-3", "1e-5", "1e-4", "0.001", "0.0001", "0.00001",  # subsampling thresholds and word2vec's rate floor
    "0.025", "0.05",  # word2vec's starting learning rates (skip-gram, CBOW)
    "353", "999", "19,544", "8,869", "10,675",  # WordSim-353, SimLex-999, questions-words (all, semantic, syntactic)
    "100", "300", "1,000", "10,000", "1,024", "512", "256", "128",  # usual sizes: dimensions, batches
    "16.6",       # log(1e-10) reached by float32 cancellation (bonus notebook 01b derives it)
    "0.5",
}
# Numbers a chapter quotes from a run it cannot show (text8, the corpus repeated to 17.5M tokens), each with
# where it was measured: chapter prefix -> {number as the text writes it: source}.
ELSEWHERE: dict[str, dict[str, str]] = {
    "00": {
        "17.5M": "the shipped English corpus repeated to 17,525,748 words (text8's size), "
                 "run with python -m w2v_helpers run-course --corpus dev17m.txt --chapters 00",
    },
    "01": {},
    "02": {
        "71,000": "text8 at min_count 5 keeps 71,290 of its 253,854 word types (load_corpus('text8', min_count=1))",
        "72%": "text8 at min_count 5 removes 1 - 71,290 / 253,854 = 0.719 of its word types",
        "2%": "text8 at min_count 5 removes under 2% of its 17,005,207 tokens (the words seen 1 to 4 times)",
        "254,000": "text8 has 253,854 word types (load_corpus('text8', min_count=1))",
        "17M": "text8 has 17,005,207 tokens (load_corpus('text8', min_count=1))",
    },
    "01b": {},
    "02b": {"72%": "text8 at min_count 5 removes 1 - 71,290 / 253,854 = 0.719 of its word types (Chapter 2)"},
    "03": {},
    "03b": {},
    "04": {},
    "04b": {"71,000": "text8's vocabulary at min_count 5, 71,290 words (load_corpus('text8'), Chapter 2)"},
    "05": {},
    "06": {
        "0.07": "dev17m.txt (the English corpus repeated to 17.5M tokens), Chapter 6 run by run-course: cosine "
                "between the country -> capital and singular -> plural directions, +0.07",
    },
    "07": {
        # dev17m.txt: the English corpus repeated to 17.5M tokens; Chapter 7 run by
        # `python -m w2v_helpers run-course --corpus dev17m.txt --chapters 07` (one pass, seed 0)
        "17.5M": "dev17m.txt: 17,525,748 tokens",
        "57%": "dev17m.txt, Chapter 7: questions-words coverage 57.3% (11,189 of 19,544)",
        "5.6%": "dev17m.txt, Chapter 7: our 3CosAdd accuracy on questions-words",
        "5.1%": "dev17m.txt, Chapter 7: gensim's 3CosAdd accuracy on questions-words",
        "0.540": "dev17m.txt, Chapter 7: our WordSim-353 Spearman rho",
        "0.205": "dev17m.txt, Chapter 7: our SimLex-999 Spearman rho",
        "338": "dev17m.txt, Chapter 7: WordSim-353 pairs covered",
        "0.46": "dev17m.txt, Chapter 7: our WordSim-353 bootstrap interval, lower end",
        "0.61": "dev17m.txt, Chapter 7: our WordSim-353 bootstrap interval, upper end",
    },
    "07b": {
        # dev17m.txt: Chapter 5's vectors there (one pass, seed 0), gensim trained with the same settings
        "17.5M": "dev17m.txt: 17,525,748 tokens",
        "5.6%": "dev17m.txt, Chapter 7: our 3CosAdd accuracy on questions-words",
        "5.1%": "dev17m.txt, bonus 07b: gensim's 3CosAdd accuracy on questions-words",
        "0.540": "dev17m.txt, Chapter 7: our WordSim-353 Spearman rho",
        "0.480": "dev17m.txt, bonus 07b: gensim's WordSim-353 Spearman rho",
        "0.205": "dev17m.txt, Chapter 7: our SimLex-999 Spearman rho",
        "0.188": "dev17m.txt, bonus 07b: gensim's SimLex-999 Spearman rho",
        "0.060": "dev17m.txt, bonus 07b: ours minus gensim's WordSim-353 rho",
        "0.014": "dev17m.txt, bonus 07b: paired bootstrap interval of that difference, lower end",
        "0.108": "dev17m.txt, bonus 07b: paired bootstrap interval of that difference, upper end",
        "0.46": "dev17m.txt, Chapter 7: our WordSim-353 bootstrap interval, lower end",
        "0.61": "dev17m.txt, Chapter 7: our WordSim-353 bootstrap interval, upper end",
        "0.20": "the English corpus, Chapter 7's stored output: width of the WordSim-353 bootstrap interval "
                "of the same vectors",
    },
    "08": {
        "17.5M": "the shipped English corpus repeated to 17,525,748 words (text8's size), "
                 "run with python -m w2v_helpers run-course --corpus dev17m.txt --chapters 08",
        "0.548": "WordSim-353 Spearman rho of SGNS (dim 100, one epoch) in Chapter 8 run on that 17.5M-token corpus "
                 "(measured when this section was Chapter 0's Section 5)",
    },
    "05c": {k: "section (f): train() on the shipped English corpus, one worker, one epoch, words/s of the "
                 "training loop, 2-core machine of the README's benchmark; each run once, not repeated in the notebook"
           for k in ("396k", "393k", "313k", "18%", "465k")}
          | {k: "section (f): torch.compile of sgd_step_shared, ms per batch of 1,024 pairs, compiled against "
                "eager, same machine; not repeated in the notebook (compiling alone takes about 19 s)"
             for k in ("4.6", "0.46")},
    "09": {},
    "09b": {k: "section 3: the shipped English corpus, 5 epochs, 2 workers: our fast CBOW with the 1/n share of "
                 "dL/dh, gensim's CBOW, and our fast CBOW with word2vec's whole step; not rerun in the notebook"
           for k in ("2.8%", "0.34", "5.3%", "0.42", "5.0%", "0.44")},
    "10": {},
    "10b": {"17.5M": "section 3: CBOW + HS with batches of 256 diverged on the shipped corpus repeated to 17.5M "
                    "tokens (text8's size), 2 workers; the README's benchmark section"},
    "12": {k: "section 5: gensim's FastText with the notebook's settings but alpha=0.05 (fastText's default rate), "
              "shipped English corpus, 3 epochs, one worker: analogy accuracy 0.4138, WordSim-353 rho 0.3382"
           for k in ("0.414", "0.338")},
}
YEAR = re.compile(r"(19[5-9]\d|20[0-3]\d)[ab]?")
MASK = [
    re.compile(r"```.*?```", re.S),          # fenced code
    re.compile(r"`[^`]*`"),                   # code spans
    re.compile(r"\$\$.*?\$\$", re.S),         # display maths
    re.compile(r"\$[^$]*\$"),                 # inline maths
    re.compile(r"\]\([^)]*\)"),               # link targets
    re.compile(r"https?://\S+"),
    re.compile(r"<!--.*?-->", re.S),
    re.compile(r"^#+\s*\d+(?:\.\d+)*", re.M),      # heading numbers: ## 2.1 Pairs
    re.compile(r"\b(?:[Ss]ections?|[Cc]hapters?|[Ee]xercises?|sec\.)\s+\d+(?:\.\d+)*"),  # cross-references
    re.compile(r"<[^>]+>"),                   # html tags (badge images)
    re.compile(r"\b[A-Za-z_]+[\w-]*\d+[\w-]*"),  # names with digits: text8, WordSim-353, log2, dim100
]
NUMBER = re.compile(r"(?<![\w.])((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)(?:\s?(%|k\b|M\b|x\b|×))?")
OUT_NUMBER = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:e[-+]?\d+)?|\.\d+")


def markdown_text(nb: dict) -> str:
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    for pattern in MASK:
        text = pattern.sub(" ", text)
    return text


def output_text(nb: dict) -> str:
    parts = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            parts.append("".join(out.get("text", "")))
            data = out.get("data", {})
            for kind in ("text/plain", "text/markdown", "text/html"):
                parts.append("".join(data.get(kind, "")))
    return "\n".join(parts)


def code_text(nb: dict) -> str:
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")


def values(text: str) -> set[float]:
    found = set()
    for m in OUT_NUMBER.finditer(text.replace("_", "")):
        try:
            found.add(float(m.group().replace(",", "")))
        except ValueError:
            pass
    return found


def checked(number: str, suffix: str | None) -> bool:
    digits = number.replace(",", "").replace(".", "")
    return "." in number or suffix in ("%", "k", "M", "x", "×") or len(digits.lstrip("0")) >= 3


def shown(number: str, suffix: str | None, outputs: set[float]) -> bool:
    value = float(number.replace(",", ""))
    decimals = len(number.split(".")[1]) if "." in number else 0
    scale = {"k": 1e3, "M": 1e6}.get(suffix or "", 1.0)
    candidates = [value * scale]
    if suffix == "%":
        candidates.append(value / 100)
    for target in candidates:
        step = 10.0 ** -decimals * (scale if target == value * scale else 1 / 100)
        for v in outputs:
            if abs(v - target) <= step / 2 + 1e-9 * max(1.0, abs(target)):
                return True
            if scale == 1.0 and decimals == 0 and abs(round(v) - target) < 1e-9 and target >= 100 and \
                    abs(v - target) < 1:
                return True
    return False


def drifted(nb_path: Path) -> list[str]:
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    outputs = values(output_text(nb))
    code = values(code_text(nb))
    elsewhere = ELSEWHERE.get(layout.notebook_id(nb_path), {})
    bad = []
    for m in NUMBER.finditer(markdown_text(nb)):
        number, suffix = m.group(1), m.group(2)
        quoted = m.group().strip()
        if not checked(number, suffix) or YEAR.fullmatch(number) or number in CONSTANTS or quoted in elsewhere:
            continue
        if shown(number, suffix, outputs) or shown(number, suffix, code):
            continue
        bad.append(quoted)
    return bad


def test_the_checker_tells_a_shown_number_from_a_drifted_one():
    outputs = values("ours 0.588 gensim 0.5104; analogy 0.055; 1,460,479 tokens; 40.2 s")
    assert shown("0.59", None, outputs) and shown("0.588", None, outputs) and shown("0.51", None, outputs)
    assert shown("5.5", "%", outputs) and shown("1.46", "M", outputs) and shown("1,460,479", None, outputs)
    assert not shown("0.60", None, outputs) and not shown("6.5", "%", outputs) and not shown("1.4", "M", outputs)
    assert not shown("0.549", None, outputs) and not shown("402", None, outputs)
    assert not checked("5", None) and checked("0.5", None) and checked("353", None) and checked("3", "%")


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_numbers_in_the_text_are_in_the_outputs(nb_path):
    bad = drifted(nb_path)
    assert not bad, (f"{nb_path.name}: the text quotes numbers its stored outputs do not show: {', '.join(bad)}; "
                     "quote the output, or add a true constant to CONSTANTS in tests/test_prose_numbers.py")
