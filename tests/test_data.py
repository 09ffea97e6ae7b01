"""Fashion-MNIST for the build (bookkit/fashion_mnist.py): real data from the first
source that has it, recognised by content, and the stand-in only as a last resort."""
import gzip
import hashlib
import os
import shutil
import subprocess
import sys
import time

import numpy as np
import pytest
from conftest import ROOT, build_tiny_book, cell

from bookkit import fashion_mnist as fm
from bookkit import run_one

DATA_PAGES = sorted(p for p in (ROOT / 'book').rglob('*.md')
                    if 'load_data_fashion_mnist' in p.read_text(encoding='utf-8'))


def real_files():
    """The real unpacked IDX files of the book's data, or skip where only the stand-in is."""
    if fm.status() != 'real':
        pytest.skip('book/data holds the stand-in: `make data` found no real Fashion-MNIST')
    return fm.folders()[0]


def read_idx(data):
    ndim = data[3]
    shape = tuple(int.from_bytes(data[4 + 4 * i:8 + 4 * i], 'big') for i in range(ndim))
    assert data[2] == 0x08, 'unsigned byte data'
    return np.frombuffer(data, np.uint8, offset=4 + 4 * ndim).reshape(shape)


def failing(name, calls):
    def fetch(root):
        calls.append(name)
        raise OSError(f'{name} is unreachable')
    return fetch


@pytest.fixture
def nothing_reachable(monkeypatch):
    """Every source fails; returns the names in the order they were tried."""
    calls = []
    monkeypatch.setattr(fm, 'SOURCES', {name: failing(name, calls) for name in fm.SOURCES})
    monkeypatch.setattr(fm, 'debian_files_present', lambda: False)
    return calls


def test_the_book_reads_the_real_data_where_a_source_has_it():
    """On this machine (and in CI) `make data` finds real files: the stand-in is a last resort."""
    if not fm.debian_files_present() and shutil.which('apt-get') is None:
        pytest.skip('neither the Debian package nor apt is available here')
    assert fm.status() == 'real', fm.source()
    fm.verify_real(fm.folders()[0])


def test_sources_are_tried_in_order_and_the_stand_in_comes_last(tmp_path, nothing_reachable):
    assert fm.prepare(tmp_path).startswith('stand-in')
    assert nothing_reachable == ['in place', 'download', 'Debian package']
    assert fm.status(tmp_path) == 'stand-in'


def test_publishing_refuses_the_stand_in(tmp_path, nothing_reachable, monkeypatch):
    fm.write_stand_in(root=tmp_path)
    monkeypatch.setenv('BOOK_REQUIRE_REAL_DATA', '1')
    with pytest.raises(SystemExit, match='forbids the stand-in') as err:
        fm.prepare(tmp_path)
    for name in fm.SOURCES:
        assert f'{name}: OSError: {name} is unreachable' in str(err.value)
    assert fm.status(tmp_path) == 'stand-in', 'the failed attempts left the stand-in in place'


def test_debian_files_are_the_real_data():
    if not fm.debian_files_present():
        pytest.skip(f'{fm.DEBIAN_DIR} is not installed')
    fm.verify_real(fm.DEBIAN_DIR)  # other gzip bytes than upstream, same content


def test_recompressed_files_count_as_real_and_altered_ones_do_not(tmp_path):
    raw = real_files()
    for name in fm.IDX_SHA256:  # as Debian did: the same content, other gzip bytes
        data = (raw / name).read_bytes()
        (tmp_path / f'{name}.gz').write_bytes(gzip.compress(data, compresslevel=1, mtime=1))
    fm.verify_real(tmp_path)
    labels = tmp_path / 't10k-labels-idx1-ubyte.gz'
    data = bytearray(gzip.decompress(labels.read_bytes()))
    data[-1] = (data[-1] + 1) % 10  # one label changed
    labels.write_bytes(gzip.compress(bytes(data)))
    with pytest.raises(ValueError, match='t10k-labels-idx1-ubyte is corrupt'):
        fm.verify_real(tmp_path)


def test_a_gzip_file_with_the_upstream_md5_counts_as_real(tmp_path, monkeypatch):
    """What torchvision downloads is checked by its gzip MD5, the way torchvision does."""
    md5s = {}
    for name in fm.IDX_SHA256:
        gz = gzip.compress(f'{name} as downloaded'.encode(), mtime=0)
        (tmp_path / f'{name}.gz').write_bytes(gz)
        md5s[name] = hashlib.md5(gz).hexdigest()
    monkeypatch.setattr(fm, 'UPSTREAM_GZ_MD5', md5s)
    fm.verify_real(tmp_path)
    (tmp_path / 't10k-labels-idx1-ubyte').write_bytes(b'unpacked beside it')  # checked by content
    with pytest.raises(ValueError, match='t10k-labels-idx1-ubyte is corrupt'):
        fm.verify_real(tmp_path)


def test_truncated_file_is_detected(tmp_path):
    for name in fm.IDX_SHA256:
        (tmp_path / f'{name}.gz').write_bytes(b'truncated')
    with pytest.raises(ValueError, match='corrupt'):
        fm.verify_real(tmp_path)


def test_real_files_put_in_place_by_hand_are_unpacked_and_recorded(tmp_path):
    raw = real_files()
    placed = fm.folders(tmp_path)[0]
    placed.mkdir(parents=True)
    for name in fm.IDX_SHA256:  # what a user downloads elsewhere: the four .gz files
        (placed / f'{name}.gz').write_bytes(gzip.compress((raw / name).read_bytes(), mtime=0))
    assert fm.prepare(tmp_path).startswith('in place')
    assert fm.status(tmp_path) == 'real'
    import torchvision
    train = torchvision.datasets.FashionMNIST(root=str(tmp_path), train=True, download=True)
    assert len(train) == 60000 and train.targets.bincount().tolist() == [6000] * 10


def test_debian_source_installs_verified_files(tmp_path, monkeypatch):
    raw = real_files()
    debian = tmp_path / 'usr-share'
    debian.mkdir()
    for name in fm.IDX_SHA256:
        (debian / f'{name}.gz').write_bytes(gzip.compress((raw / name).read_bytes(), mtime=0))
    monkeypatch.setattr(fm, 'DEBIAN_DIR', debian)
    fm.from_debian(tmp_path / 'data')
    assert fm.status(tmp_path / 'data') == 'real'
    assert fm.source(tmp_path / 'data').startswith('Debian package dataset-fashion-mnist')


def test_download_without_network_fails_fast_and_says_what_to_do(tmp_path):
    """No network (every connection refused by a dead proxy): a clear message in seconds."""
    code = ('from bookkit import fashion_mnist as fm; '
            'fm.SOURCES = {"download": fm.from_download}; '
            f'print(fm.prepare({str(tmp_path)!r}))')
    dead = 'http://127.0.0.1:9'
    env = dict(os.environ, BOOK_REQUIRE_REAL_DATA='1', http_proxy=dead, https_proxy=dead,
               HTTP_PROXY=dead, HTTPS_PROXY=dead)
    start = time.monotonic()
    result = subprocess.run([sys.executable, '-c', code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    seconds = time.monotonic() - start
    assert result.returncode != 0
    assert 'could not be fetched' in result.stderr and 'Put the four real .gz files' in \
        result.stderr and 'dataset-fashion-mnist' in result.stderr
    assert seconds < 60, f'took {seconds:.0f} s'
    assert fm.status(tmp_path) == 'missing', 'nothing half-downloaded is left behind'


def test_stand_in_has_idx_format_and_class_structure(tmp_path):
    fm.write_stand_in(root=tmp_path)
    raw = fm.folders(tmp_path)[0]
    images = read_idx(gzip.decompress((raw / 'train-images-idx3-ubyte.gz').read_bytes()))
    labels = read_idx((raw / 'train-labels-idx1-ubyte').read_bytes())
    assert images.shape == (fm.STAND_IN_SIZES['train'], 28, 28) and labels.shape == images.shape[:1]
    assert set(np.unique(labels)) == set(range(10))
    means = np.stack([images[labels == c].mean(axis=0) for c in range(10)])
    assert min(np.abs(means[i] - means[j]).mean() for i in range(10) for j in range(i)) > 5
    assert fm.status(tmp_path) == 'stand-in' and fm.source(tmp_path).startswith('stand-in')


@pytest.mark.parametrize('page', DATA_PAGES, ids=lambda p: p.stem)
def test_data_pages_pass_on_the_stand_in_too(tmp_path, page):
    """The book runs on the real data; each data page must also pass on the stand-in."""
    copy = tmp_path / 'book' / page.parent.name / page.name
    copy.parent.mkdir(parents=True)
    shutil.copy(page, copy)
    fm.write_stand_in(root=tmp_path / 'book' / 'data')  # the page's '../data'
    run_one.run(copy)  # raises CellExecutionError, naming the cell, if an assert fails


def test_a_page_built_on_the_stand_in_says_so_and_publishing_refuses_it(tmp_path):
    body = cell('x = 1  # 本页读取 d2l.load_data_fashion_mnist 的数据')
    for name in ('site', 'publish'):
        fm.write_stand_in(root=tmp_path / name / 'data')  # the one-page book's '../data'
    code, out = build_tiny_book(tmp_path / 'site', body)
    assert code == 0, out
    page = (tmp_path / 'site' / '_build' / 'html' / 'broken.html').read_text(encoding='utf-8')
    assert 'stand-in-data' in page and '替代数据' in page
    code, out = build_tiny_book(tmp_path / 'publish', body, env={'BOOK_REQUIRE_REAL_DATA': '1'})
    assert code != 0 and 'refusing to publish' in out, out
