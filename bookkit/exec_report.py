"""Per-notebook execution report, written after every HTML build.

For each executed page: seconds, whether it ran in this build (in the parallel
prefill, see bookkit.prefill, or in Jupyter Book itself) or came from
jupyter-cache, whether it succeeded, the Fashion-MNIST it read (where it came
from, see bookkit.fashion_mnist), and for cells tagged ``gpu`` the device and
each cell's wall time (from nbclient's timing metadata in the cache).
"""
import json
import re
from datetime import datetime
from pathlib import Path

from jupyter_cache import get_cache
from myst_nb.sphinx_ import NbMetadataCollector

from . import fashion_mnist, invalidation

# Training cells print the device they used (house style: "设备 cuda:0，用时 …").
DEVICE = re.compile(r'设备\s*[:：]?\s*(cuda(?::\d+)?|cpu|mps)')


def devices_used(cells):
    """The devices that the gpu-tagged cells report in their printed output."""
    found = set()
    for cell in cells:
        for out in cell.get('outputs', []):
            found.update(DEVICE.findall(out.get('text', '')))
    return ', '.join(sorted(found)) or 'not printed'


def cell_seconds(timing):
    """Wall time from nbclient's per-cell timing metadata ({} when not recorded)."""
    start, end = timing.get('iopub.execute_input'), timing.get('shell.execute_reply')
    if not (start and end):
        return None
    return round((datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds(), 2)


def gpu_cells(cache, path):
    """([{cell, seconds}], device) for the cells tagged gpu, from the cached notebook.

    Wall times come from the prefill (None for pages executed by Jupyter Book itself).
    """
    if not cache.list_project_records(filter_uris=[str(path)]):
        return [], 'cpu'  # never executed through the cache (e.g. a page without code)
    cached = cache.get_cached_project_nb(str(path))
    if cached is None:
        return [], 'cpu'
    nb = cache.get_cache_bundle(cached.pk).nb
    tagged = [(i, c) for i, c in enumerate(nb.cells)
              if c.cell_type == 'code' and 'gpu' in c.metadata.get('tags', [])]
    if not tagged:
        return [], 'cpu'
    cells = cached.data.get('gpu_cells') or [{'cell': i, 'seconds': cell_seconds(c.metadata.get('execution', {}))}
                                             for i, c in tagged]
    return cells, devices_used(c for _, c in tagged)


def prefilled(root):
    """Pages the parallel prefill executed just before this build.

    Its report is consumed (renamed to prefill-last.json), so that a later build
    without a prefill does not claim its executions.
    """
    report = root / '_build' / 'prefill.json'
    if not report.exists():
        return {}
    data = json.loads(report.read_text())
    report.replace(report.with_name('prefill-last.json'))
    return {name: row for name, row in data['notebooks'].items() if row['succeeded']}


def how(name, data, env, prefill):
    if data['mtime'] >= env.bookkit_build_start:
        return 'build'
    return 'prefill' if name in prefill else 'cache'


def collect(app):
    env, root = app.env, Path(app.srcdir).parent
    prefill = prefilled(root)
    cache = get_cache(app.env.mystnb_config.execution_cache_path)
    rows = []
    for docname in sorted(env.found_docs):
        data = NbMetadataCollector.get_exec_data(env, docname)
        if not data:
            continue
        path = Path(env.doc2path(docname)).resolve()
        cells, device = gpu_cells(cache, path)
        name = str(path.relative_to(root))
        rows.append({
            'notebook': name,
            'seconds': round(data['runtime'], 2) if data['runtime'] is not None else None,
            'executed': how(name, data, env, prefill),
            'succeeded': data['succeeded'],
            'data': (fashion_mnist.source(fashion_mnist.page_root(path))
                     if invalidation.uses_data(path) else None),
            'gpu_cells': cells,
            'device': device,
        })
    return rows


def markdown(rows):
    lines = ['| notebook | seconds | executed by | succeeded | Fashion-MNIST | device | '
             'gpu cells (s) |', '|---|---|---|---|---|---|---|']
    for r in rows:
        gpu = ', '.join(str(c['seconds']) for c in r['gpu_cells']) or '-'
        lines.append(f"| {r['notebook']} | {r['seconds']} | {r['executed']}"
                     f" | {r['succeeded']} | {r['data'] or '-'} | {r['device']} | {gpu} |")
    executed = sum(r['executed'] != 'cache' for r in rows)
    lines.append(f'\n{executed} of {len(rows)} notebooks executed in this build '
                 '(prefill: in parallel before Jupyter Book; build: by Jupyter Book; '
                 'cache: outputs reused).')
    return '\n'.join(lines) + '\n'


def write(app):
    rows = collect(app)
    build_dir = Path(app.outdir).parent
    (build_dir / 'exec-report.json').write_text(json.dumps(rows, indent=1, ensure_ascii=False))
    (build_dir / 'exec-report.md').write_text(markdown(rows))
