"""Build-time helpers for the book: data, Sphinx extension, single-page runs."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Environment of every kernel that executes a page (build, prefill, `make nb`): the
# IPython profile whose startup file checks every figure (bookkit/figure_check.py), and
# one torch thread per kernel so that parallel execution does not oversubscribe the
# cores and every path prints the same numbers. Plot fonts are set by each page's
# setup cell (templates/section.md).
KERNEL_ENV = {
    'IPYTHONDIR': str(ROOT / 'bookkit' / 'ipython'),
    'OMP_NUM_THREADS': '1',
    'MKL_NUM_THREADS': '1',
}


def set_kernel_env():
    for name, value in KERNEL_ENV.items():
        os.environ.setdefault(name, value)
