"""Execute one MyST notebook the way the build does and report the result.

    python -m bookkit.run_one book/chapter_preliminaries/ndarray.md [--save OUT.ipynb]

Runs in the notebook's folder with the build's kernel environment, the per-cell
timeout from _config.yml (or the page's front matter), and stops at the
first failing cell that is not tagged raises-exception.
"""
import argparse
import sys
import time
from pathlib import Path

import nbformat
import yaml
from myst_nb.core.read import read_myst_markdown_notebook
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from . import ROOT, set_kernel_env


def cell_timeout(nb):
    page = nb.metadata.get('mystnb', {}).get('execution_timeout')
    config = yaml.safe_load((ROOT / '_config.yml').read_text(encoding='utf-8'))
    return page or config['execute']['timeout']


def run(path):
    path = Path(path).resolve()
    nb = read_myst_markdown_notebook(path.read_text(encoding='utf-8'))
    set_kernel_env()
    client = NotebookClient(nb, timeout=cell_timeout(nb), kernel_name='python3',
                            resources={'metadata': {'path': str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    return nb, time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('notebook')
    parser.add_argument('--save', help='write the executed notebook here')
    args = parser.parse_args(argv)
    try:
        nb, seconds = run(args.notebook)
    except CellExecutionError as err:
        print(f'FAILED {args.notebook}\n{err}', file=sys.stderr)
        return 1
    if args.save:
        nbformat.write(nb, args.save)
    n_code = sum(c.cell_type == 'code' for c in nb.cells)
    print(f'OK {args.notebook}: {n_code} code cells in {seconds:.1f} s')
    return 0


if __name__ == '__main__':
    sys.exit(main())
