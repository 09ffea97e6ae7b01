"""When a cached notebook output is out of date although its code cells are not.

jupyter-cache keys a notebook on its code cells (and kernelspec) only. The rule
on top of that, used by the build and by the parallel prefill alike:

- a change to requirements.txt, bookkit/__init__.py (the kernel environment) or
  the kernels' figure check re-executes every page;
- a change to the Fashion-MNIST files (real <-> stand-in) re-executes the pages
  that load them;
- a change to a page's code cells re-executes that page only (jupyter-cache);
- a change to its Markdown cells re-renders it without executing anything;
- a built page is out of date when the cache holds no execution of its current
  code, or one made after the page was built (`outdated`): the build re-reads it,
  and a failed prefill removes it from _build/html.

Pages import nothing from this repository (they stay runnable on their own), so
no other helper module can change their outputs.
"""
import hashlib
from datetime import UTC
from pathlib import Path

from . import ROOT, fashion_mnist

USES_DATA = 'load_data_fashion_mnist'
KERNEL_INPUTS = ['requirements.txt', 'bookkit/__init__.py', 'bookkit/figure_check.py',
                 'bookkit/ipython/profile_default/startup/00-figure-check.py']


def kernel_fingerprint():
    digest = hashlib.sha256()
    for name in KERNEL_INPUTS:
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def uses_data(path):
    path = Path(path)
    return path.exists() and USES_DATA in path.read_text(encoding='utf-8')


def drop_stale(cache, cache_path):
    """Remove the cached outputs made with other inputs than now; return their pages.

    Every cached notebook is checked, whoever cached it, so that a stamp is never
    brought up to date while an output made with the old inputs survives.
    """
    records = cache.list_cache_records()
    stale = {}
    for name, current, affected in [('kernel', kernel_fingerprint(), lambda uri: True),
                                    ('data', fashion_mnist.fingerprint(), uses_data)]:
        stamp = Path(cache_path) / f'bookkit-{name}-stamp'
        if stamp.exists() and stamp.read_text() != current:
            stale.update({r.pk: r.uri for r in records if affected(r.uri)})
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(current)
    for pk in stale:
        cache.remove_cache(pk)
    return {Path(uri) for uri in stale.values()}


def created_at(record):
    """A cache record's creation time in seconds since the epoch (SQLite drops the UTC zone)."""
    created = record.created
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    return created.timestamp()


def outdated(cache, nb, built_at):
    """Is a page built at `built_at` (seconds since the epoch) older than its outputs?

    True when the cache holds no execution of the notebook's current code (it is
    executed again, or it failed), or holds one made after the page was built.
    """
    try:
        cached = cache.match_cache_notebook(nb)
    except KeyError:
        return True
    return created_at(cached) > built_at
