"""Cache invalidation a contributor can trust (rule: bookkit/invalidation.py)."""
import json
import subprocess
import uuid

import pytest
from conftest import BOOK, FRONT, ROOT, cell
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn

from bookkit import invalidation, prefill


@pytest.fixture
def fake_cache(tmp_path, monkeypatch):
    cache = get_cache(str(tmp_path / 'cache'))
    pages = {}
    for name, code in [('plain', 'x = 1'), ('data', 'd2l.load_data_fashion_mnist(256)')]:
        path = tmp_path / f'{name}.md'
        path.write_text(FRONT.format(extra='') + cell(code), encoding='utf-8')
        cache.add_nb_to_project(str(path), read_data=prefill.READER)
        cache.cache_notebook_bundle(CacheBundleIn(prefill.read(path), str(path)),
                                    check_validity=False)
        pages[name] = path
    monkeypatch.setattr(invalidation, 'kernel_fingerprint', lambda: 'kernel-1')
    monkeypatch.setattr(invalidation.fashion_mnist, 'fingerprint', lambda: 'data-1')
    invalidation.drop_stale(cache, tmp_path / 'cache')  # first stamps
    return cache, tmp_path / 'cache', pages, monkeypatch


def test_nothing_changed_drops_nothing(fake_cache):
    cache, path, pages, _ = fake_cache
    assert invalidation.drop_stale(cache, path) == set()
    assert len(cache.list_cache_records()) == 2


def test_new_requirements_rerun_every_page(fake_cache):
    cache, path, pages, monkeypatch = fake_cache
    monkeypatch.setattr(invalidation, 'kernel_fingerprint', lambda: 'kernel-2')
    assert invalidation.drop_stale(cache, path) == set(pages.values())
    assert cache.list_cache_records() == []


def test_new_data_reruns_only_the_pages_that_load_it(fake_cache):
    cache, path, pages, monkeypatch = fake_cache
    monkeypatch.setattr(invalidation.fashion_mnist, 'fingerprint', lambda: 'data-2')
    assert invalidation.drop_stale(cache, path) == {pages['data']}
    assert [r.uri for r in cache.list_cache_records()] == [str(pages['plain'])]


def test_kernel_fingerprint_covers_requirements_and_helpers():
    assert {'requirements.txt', 'bookkit/__init__.py', 'bookkit/figure_check.py'} <= set(invalidation.KERNEL_INPUTS)


def executed_by(report):
    return sorted(r['notebook'] for r in report if r['executed'] != 'cache')


def make_html():
    result = subprocess.run(['make', '-s', 'html'], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return json.loads((ROOT / '_build' / 'exec-report.json').read_text())


def test_editing_one_page_reexecutes_exactly_that_page(site):
    page = BOOK / 'chapter_preliminaries' / 'ndarray.md'
    log = ROOT / '_build' / 'build.log'
    original, first_log = page.read_text(encoding='utf-8'), log.read_bytes()
    # new code on every run, so no earlier run of this test has cached it
    probe = f'\n```{{code-cell}} ipython3\nedit_probe = {uuid.uuid4().hex!r}\n```\n'
    try:
        page.write_text(original + probe, encoding='utf-8')
        edited = prefill.read(page)
        assert executed_by(make_html()) == ['book/chapter_preliminaries/ndarray.md']
    finally:
        page.write_text(original, encoding='utf-8')
    # the original code is still in the cache: restoring it executes nothing
    assert executed_by(make_html()) == []
    log.write_bytes(first_log)
    cache = get_cache(str(prefill.CACHE))  # leave the cache as the build left it
    cache.remove_cache(cache.match_cache_notebook(edited).pk)


def test_editing_the_stylesheet_reaches_the_site(site):
    """Sphinx copies _static only when it writes a page; every page depends on those files."""
    css, built = BOOK / '_static' / 'bookkit.css', ROOT / '_build' / 'html' / '_static' / 'bookkit.css'
    log = ROOT / '_build' / 'build.log'
    original, first_log = css.read_text(encoding='utf-8'), log.read_bytes()
    probe = f'\n/* edit probe {uuid.uuid4().hex} */\n'
    try:
        css.write_text(original + probe, encoding='utf-8')
        assert executed_by(make_html()) == []
        assert probe in built.read_text(encoding='utf-8')
    finally:
        css.write_text(original, encoding='utf-8')
        make_html()
        log.write_bytes(first_log)
    assert probe not in built.read_text(encoding='utf-8')
