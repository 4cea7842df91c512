"""`train --nproc-per-node N`: torch's own launcher (torchrun's), run inside the command.

torchrun reports any rank that ends with a non-zero code with a banner and a Python traceback of its
own, even when the rank has already said in one line what was wrong (a missing corpus, --out a
folder). Started from here, the same launcher (torch.distributed.launcher, with its rendezvous on a
free port of this machine) starts the N ranks, each `python -m w2v_helpers` with the same arguments,
and a failure ends as the ranks' one line: a rank that stopped on bad input (exit code 2) has printed
it; any other end (a crash, a kill) is named here in one line. Ctrl-C stops every rank.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import tempfile
from pathlib import Path
from uuid import uuid4

from .errors import W2VError

LAUNCHED_HERE = "W2V_RANK_OF_TRAIN"   # set in the ranks this module starts; a plain torchrun does not set it
_TORCH_LOGGERS = ("torch.distributed.elastic", "torch.distributed.launcher")


def run_ranks(argv: list[str], nproc: int) -> int:
    """Run `python -m w2v_helpers *argv` as `nproc` ranks on this machine; 0, or W2VError in one line.

    Used by the command line (train --nproc-per-node).
    """
    from torch.distributed.elastic.multiprocessing import DefaultLogsSpecs, SignalException
    from torch.distributed.elastic.multiprocessing.errors import ChildFailedError
    from torch.distributed.launcher.api import LaunchConfig, elastic_launch

    package_root = str(Path(__file__).resolve().parent.parent)   # the ranks run this very copy of the package
    env = {LAUNCHED_HERE: "1", "PYTHONPATH": os.pathsep.join(filter(None, [package_root,
                                                                             os.environ.get("PYTHONPATH")]))}
    loggers = [logging.getLogger(name) for name in list(logging.Logger.manager.loggerDict)
               if name.startswith(_TORCH_LOGGERS)]   # each has a level of its own, so the parents' would not do
    levels = [(logger, logger.level) for logger in loggers]
    saved_env = {name: os.environ.get(name) for name in env}
    with tempfile.TemporaryDirectory(prefix="w2v-ranks-") as logs:   # torch keeps its error files here
        config = LaunchConfig(min_nodes=1, max_nodes=1, nproc_per_node=nproc, run_id=f"w2v-{uuid4().hex}",
                              rdzv_backend="c10d", rdzv_endpoint="127.0.0.1:0", max_restarts=0,
                              logs_specs=DefaultLogsSpecs(log_dir=logs))
        try:
            os.environ.update(env)
            for logger in loggers:   # its own reports of a failure: the ranks have said it in one line
                logger.setLevel(logging.CRITICAL + 1)
            elastic_launch(config, sys.executable)("-m", "w2v_helpers", *argv)
            return 0
        except ChildFailedError as exc:
            rank, failure = exc.get_first_failure()
            if failure.exitcode == 2:     # bad input: the rank printed its one line
                return 2
            if failure.exitcode < 0:
                raise W2VError(f"rank {rank} was killed by {failure.signal_name()}; the other ranks were stopped "
                               "too") from None
            raise W2VError(f"rank {rank} stopped with exit code {failure.exitcode} (its messages are above); the "
                           "other ranks were stopped too") from None
        except SignalException as exc:   # the launcher has stopped the ranks
            if exc.sigval == signal.SIGINT:
                raise KeyboardInterrupt from None
            sys.exit(128 + int(exc.sigval))
        finally:
            for logger, level in levels:
                logger.setLevel(level)
            for name, value in saved_env.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
