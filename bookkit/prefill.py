"""Execute the book's notebooks in parallel and put the results in jupyter-cache.

    python -m bookkit.prefill [--jobs N]

Jupyter Book 1.x executes notebooks one after another. Run before it, this fills
the same cache (same reader, same hash, same project records) with the pages
whose code changed, one kernel per core (each limited to one torch thread by
bookkit.KERNEL_ENV), so the build then finds every page in the cache.

A page that fails stops the build: prefill names the page, the line of the failing
cell and the error, removes every built page whose outputs are out of date (so no
page built on older code or data survives in _build/html), and exits 1.
Writes _build/prefill.json.
"""
import argparse
import json
import os
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import yaml
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn
from jupyter_cache.executors.utils import single_nb_execution
from myst_nb.core.read import is_myst_markdown_notebook, read_myst_markdown_notebook
from nbclient.exceptions import CellExecutionError

from . import ROOT, exec_report, invalidation, set_kernel_env
from .run_one import cell_timeout

BOOK = ROOT / 'book'
CACHE = ROOT / '_build' / '.jupyter_cache'
HTML = ROOT / '_build' / 'html'
REPORT = ROOT / '_build' / 'prefill.json'  # read and removed by the build's execution report
STATS = CACHE / 'bookkit-seconds.json'       # last execution time per page, for scheduling
READER = {'type': 'plugin', 'name': 'myst_nb_md'}  # what myst-nb records for MyST pages


def toc_pages(toc=ROOT / '_toc.yml'):
    """The book's source files, in toc order."""
    data = yaml.safe_load(toc.read_text(encoding='utf-8'))
    files = [data['root']]

    def walk(node):
        if isinstance(node, dict):
            if 'file' in node:
                files.append(node['file'])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
    walk(data)
    return [BOOK / f'{name}.md' for name in files]


def read(path):
    return read_myst_markdown_notebook(path.read_text(encoding='utf-8'), add_source_map=True,
                                       path=str(path))


def execute(path):
    """In a worker process: execute one page as myst-nb would.

    Returns (notebook json, seconds, failure or None, wall times of the gpu-tagged cells);
    a failure names the line of the failing cell in the page and the error.
    nbclient's per-cell timing metadata is taken out again: jupyter-cache hashes
    cell metadata, and the build must find the same hash as for the source.
    """
    set_kernel_env()
    nb = read(Path(path))
    result = single_nb_execution(nb, cwd=str(Path(path).parent), timeout=cell_timeout(nb),
                                 allow_errors=False, meta_override=True, record_timing=True)
    gpu = []
    for i, cell in enumerate(nb.cells):
        timing = cell.metadata.pop('execution', None)
        if cell.cell_type == 'code' and 'gpu' in cell.metadata.get('tags', []):
            gpu.append({'cell': i, 'seconds': exec_report.cell_seconds(timing or {})})
    return nbformat.writes(nb), result.time, failure(path, nb, result.err), gpu


def failure(path, nb, err):
    """'page.md:LINE: error' for a failed execution, None for a successful one."""
    if err is None:
        return None
    if not isinstance(err, CellExecutionError):  # a timeout: nbclient names the cell itself
        return f'{Path(path).relative_to(ROOT)}: {type(err).__name__}: {err}'
    failed = next((i for i, c in enumerate(nb.cells) if c.cell_type == 'code' and
                   any(o.get('output_type') == 'error' for o in c.get('outputs', []))), None)
    line = nb.metadata.source_map[failed] + 1 if failed is not None else '?'
    return f'{Path(path).relative_to(ROOT)}:{line}: ' + re.sub(r'\x1b\[[0-9;]*m', '', str(err))  # no colour codes


def pending(cache):
    """Notebook pages without a cached execution of their current code."""
    pages = [p for p in toc_pages() if is_myst_markdown_notebook(p.read_text(encoding='utf-8'))]
    invalidation.drop_stale(cache, CACHE)
    todo = []
    for path in pages:
        try:
            cache.match_cache_notebook(read(path))
        except KeyError:
            todo.append(path)
    return pages, todo


def remove_stale_pages(cache, pages):
    """Delete the built pages (and their notebooks) whose outputs are out of date."""
    removed = []
    for path in pages:
        docname = path.relative_to(BOOK).with_suffix('')
        html = HTML / docname.with_suffix('.html')
        if html.exists() and invalidation.outdated(cache, read(path), html.stat().st_mtime):
            for built in (html, HTML / '_sources' / docname.with_suffix('.ipynb'),
                          ROOT / '_build' / 'jupyter_execute' / docname.with_suffix('.ipynb')):
                built.unlink(missing_ok=True)
            removed.append(str(docname))
    return removed


def last_seconds(path):
    """The page's execution time in the last cache entry, else its size as a guess."""
    stats = json.loads(STATS.read_text()) if STATS.exists() else {}
    return stats.get(str(path.relative_to(ROOT)), path.stat().st_size / 1e4)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--jobs', type=int, default=os.cpu_count(),
                        help='kernels at once (default: one per core)')
    args = parser.parse_args(argv)
    started = time.time()
    cache = get_cache(str(CACHE))
    pages, todo = pending(cache)
    report = {'started': started, 'jobs': args.jobs, 'pages': len(pages), 'notebooks': {}}
    failures = []
    with ProcessPoolExecutor(max_workers=max(1, min(args.jobs, len(todo) or 1))) as pool:
        # the slowest pages first, so that one long page does not run alone at the end
        todo.sort(key=lambda p: -last_seconds(p))
        for path, (text, seconds, error, gpu) in zip(todo, pool.map(execute, map(str, todo))):
            name = str(path.relative_to(ROOT))
            report['notebooks'][name] = {'seconds': round(seconds, 2), 'succeeded': error is None}
            if error is not None:
                failures.append(error)
                continue
            record = cache.add_nb_to_project(str(path), read_data=READER)
            cache.cache_notebook_bundle(
                CacheBundleIn(nbformat.reads(text, as_version=4), record.uri,
                              data={'execution_seconds': seconds, 'gpu_cells': gpu}),
                check_validity=False, overwrite=True)
    stats = json.loads(STATS.read_text()) if STATS.exists() else {}
    stats.update({name: row['seconds'] for name, row in report['notebooks'].items()})
    STATS.write_text(json.dumps(stats, indent=1))
    report['seconds'] = round(time.time() - started, 2)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    print(f'prefill: executed {len(todo)} of {len(pages)} notebooks with {args.jobs} kernels '
          f"in {report['seconds']} s")
    if failures:
        removed = remove_stale_pages(cache, pages)
        print('\n\n'.join(['FAILED ' + f for f in failures]), file=sys.stderr)
        print(f'prefill: {len(failures)} notebook(s) failed; removed {len(removed)} out-of-date '
              'page(s) from _build/html', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
