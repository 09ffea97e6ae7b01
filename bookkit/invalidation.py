"""When a cached notebook output is out of date although its code cells are not.

jupyter-cache keys a notebook on its code cells (and kernelspec) only. The rule
on top of that, used by the build and by the parallel prefill alike:

- a change to requirements.txt, bookkit/matplotlibrc or bookkit/__init__.py (the
  kernel environment) re-executes every page;
- a change to the Fashion-MNIST files (real <-> stand-in) re-executes the pages
  that load them;
- a change to a page's code cells re-executes that page only (jupyter-cache);
- a change to its Markdown cells re-renders it without executing anything.

Pages import nothing from this repository (they stay runnable on their own), so
no other helper module can change their outputs.
"""
import hashlib
from datetime import UTC
from pathlib import Path

from . import ROOT, fashion_mnist

USES_DATA = 'load_data_fashion_mnist'
KERNEL_INPUTS = ['requirements.txt', 'bookkit/matplotlibrc', 'bookkit/__init__.py']


def kernel_fingerprint():
    digest = hashlib.sha256()
    for name in KERNEL_INPUTS:
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def uses_data(path):
    return USES_DATA in Path(path).read_text(encoding='utf-8')


def drop_stale(cache, cache_path, paths):
    """Remove cached outputs of the pages whose inputs changed; return those paths."""
    paths = [Path(p).resolve() for p in paths]
    stale = set()
    for name, current, pages in [('kernel', kernel_fingerprint(), set(paths)),
                                 ('data', fashion_mnist.fingerprint(),
                                  {p for p in paths if uses_data(p)})]:
        stamp = Path(cache_path) / f'bookkit-{name}-stamp'
        if stamp.exists() and stamp.read_text() != current:
            stale |= pages
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(current)
    for path in stale:
        if cache.list_project_records(filter_uris=[str(path)]):
            cached = cache.get_cached_project_nb(str(path))
            if cached is not None:
                cache.remove_cache(cached.pk)
    return stale


def created_at(record):
    """A cache record's creation time in seconds since the epoch (SQLite drops the UTC zone)."""
    created = record.created
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    return created.timestamp()
