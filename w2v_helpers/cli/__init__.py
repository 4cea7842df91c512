"""Command line: `python -m w2v_helpers SUBCOMMAND ...` (also installed as `w2v`).

Each subcommand is two functions side by side in one of the modules here: `_NAME_args` declares
its arguments and `_NAME` runs it (train.py; vectors.py for queries on saved vectors; tools.py for
the benchmark and the course tools). Every user mistake (missing file, empty corpus, unknown word,
bad number, offline download) ends as one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading

from ..atomic import exit_on_sigterm
from ..errors import W2VError
from ..rendezvous import launched
from . import tools, train, vectors

SUBCOMMANDS = {**train.COMMANDS, **vectors.COMMANDS, **tools.COMMANDS}  # name: (help, declare arguments, run)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse prints usage + error on two lines; keep it to one
        if launched() and os.environ["LOCAL_RANK"] != "0":
            self.exit(2)  # under torchrun every rank has the same flags: the first of each machine says it
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m w2v_helpers", description="Train and query skip-gram word2vec vectors.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name, (help_text, declare, _) in SUBCOMMANDS.items():
        declare(sub.add_parser(name, help=help_text))
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.command_line = list(sys.argv[1:] if argv is None else argv)  # train --nproc-per-node passes it on
    if threading.current_thread() is threading.main_thread():
        exit_on_sigterm()  # kill or a scheduler's stop unwinds like Ctrl-C: no temporary file stays behind
    try:
        return SUBCOMMANDS[args.command][2](args)
    except W2VError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
