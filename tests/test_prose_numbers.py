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

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

# Values that are not measurements: the paper's and word2vec's settings, sizes of the standard datasets,
# well-known constants. A measured number never belongs here.
CONSTANTS = {
    "0.75",       # the unigram distribution's power (Mikolov et al. 2013b)
    "3/4",
    "1e-3", "1e-5", "1e-4", "0.001", "0.0001", "0.00001",  # subsampling thresholds and word2vec's rate floor
    "0.025", "0.05",  # word2vec's starting learning rates (skip-gram, CBOW)
    "353", "999", "19,544", "8,869", "10,675",  # WordSim-353, SimLex-999, questions-words (all, semantic, syntactic)
    "100", "300", "1,000", "10,000", "1,024", "512", "256", "128",  # usual sizes: dimensions, batches
    "16.6",       # log(1e-10) reached by float32 cancellation (Chapter 1 derives it)
    "0.5",
}
# Numbers a chapter quotes from a run it cannot show (text8, the corpus repeated to 17.5M tokens), each with
# where it was measured: chapter prefix -> {number as the text writes it: source}.
ELSEWHERE: dict[str, dict[str, str]] = {
    "00": {},
    "01": {},
    "02": {},
    "03": {},
    "04": {},
    "05": {},
    "06": {},
    "07": {},
    "08": {},
    "09": {},
    "10": {},
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
    elsewhere = ELSEWHERE.get(nb_path.name[:2], {})
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
    assert not shown("0.60", None, outputs) and not shown("6.5", "%", outputs) and not shown("1.5", "M", outputs)
    assert not shown("0.549", None, outputs) and not shown("402", None, outputs)
    assert not checked("5", None) and checked("0.5", None) and checked("353", None) and checked("3", "%")


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_numbers_in_the_text_are_in_the_outputs(nb_path):
    bad = drifted(nb_path)
    assert not bad, (f"{nb_path.name}: the text quotes numbers its stored outputs do not show: {', '.join(bad)}; "
                     "quote the output, or add a true constant to CONSTANTS in tests/test_prose_numbers.py")
