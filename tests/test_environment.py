"""Fonts, data and the environment the notebooks rely on."""
import gzip
import os
import subprocess
import sys
import time

import numpy as np
import pytest
from conftest import ROOT

RC = ROOT / 'bookkit' / 'matplotlibrc'
DRAW_CHINESE = """
import warnings, matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt
from matplotlib import font_manager
warnings.simplefilter('error')          # 'Glyph ... missing from font' becomes an error
fig, ax = plt.subplots()
ax.set_title('训练损失与学习率'); ax.set_xlabel('迭代周期'); ax.plot([0, 1], [-1, 1])
fig.savefig({out!r})
print(font_manager.findfont(matplotlib.rcParams['font.sans-serif'][0], fallback_to_default=False))
"""


def draw(tmp_path, rc):
    env = dict(os.environ, MATPLOTLIBRC=str(rc))
    return subprocess.run([sys.executable, '-c', DRAW_CHINESE.format(out=str(tmp_path / 'zh.png'))],
                          env=env, capture_output=True, text=True)


def test_chinese_plot_labels_have_glyphs(tmp_path):
    result = draw(tmp_path, RC)
    assert result.returncode == 0, result.stderr
    assert 'NotoSansCJK' in result.stdout, 'install fonts-noto-cjk (scripts/install-system-packages.sh)'


def test_missing_cjk_font_is_detected(tmp_path):
    plain = tmp_path / 'matplotlibrc'
    plain.write_text('font.sans-serif: DejaVu Sans\n')
    result = draw(tmp_path, plain)
    assert result.returncode != 0 and 'missing from font' in result.stderr


def test_environment_check_passes():
    result = subprocess.run([sys.executable, '-m', 'bookkit.check_env'], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def read_idx(path):
    data = gzip.decompress(path.read_bytes())
    ndim = data[3]
    shape = tuple(int.from_bytes(data[4 + 4 * i:8 + 4 * i], 'big') for i in range(ndim))
    assert data[2] == 0x08, 'unsigned byte data'
    return np.frombuffer(data, np.uint8, offset=4 + 4 * ndim).reshape(shape)


def test_stand_in_has_idx_format_and_class_structure(tmp_path, monkeypatch):
    from bookkit import fashion_mnist as fm
    monkeypatch.setattr(fm, 'RAW', tmp_path / 'raw')
    monkeypatch.setattr(fm, 'MARKER', tmp_path / 'STAND_IN')
    fm.write_stand_in()
    images = read_idx(tmp_path / 'raw' / 'train-images-idx3-ubyte.gz')
    labels = read_idx(tmp_path / 'raw' / 'train-labels-idx1-ubyte.gz')
    assert images.shape == (fm.STAND_IN_SIZES['train'], 28, 28) and labels.shape == images.shape[:1]
    assert set(np.unique(labels)) == set(range(10))
    means = np.stack([images[labels == c].mean(axis=0) for c in range(10)])
    assert min(np.abs(means[i] - means[j]).mean() for i in range(10) for j in range(i)) > 5
    assert fm.status() in ('stand-in', 'missing')


def test_stand_in_loads_through_d2l():
    from bookkit import fashion_mnist as fm
    if fm.status() != 'stand-in':
        pytest.skip('real Fashion-MNIST is present')
    import torchvision
    train = torchvision.datasets.FashionMNIST(root=str(fm.DATA_ROOT), train=True, download=False)
    assert len(train) == fm.STAND_IN_SIZES['train']


def test_publish_refuses_stand_in():
    from bookkit import fashion_mnist as fm
    if fm.status() != 'stand-in':
        pytest.skip('real Fashion-MNIST is present')
    env = dict(os.environ, BOOK_REQUIRE_REAL_DATA='1')
    result = subprocess.run([sys.executable, '-m', 'bookkit.fashion_mnist'], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and 'forbids the stand-in' in result.stderr
    assert fm.status() == 'stand-in', 'the failed fetch left the stand-in in place'


def test_corrupt_real_file_is_detected(tmp_path, monkeypatch):
    from bookkit import fashion_mnist as fm
    monkeypatch.setattr(fm, 'RAW', tmp_path)
    for name in fm.FILES:
        (tmp_path / f'{name}.gz').write_bytes(b'truncated')
    with pytest.raises(ValueError, match='corrupt'):
        fm.verify_real()


def test_download_without_network_fails_fast_and_says_what_to_do(tmp_path):
    """No network (every connection refused by a dead proxy): a clear message in seconds."""
    code = ('import sys; from pathlib import Path; from bookkit import fashion_mnist as fm; '
            f'fm.RAW = Path({str(tmp_path)!r}) / "raw"; fm.MARKER = Path({str(tmp_path)!r}) / "M"; '
            'print(fm.prepare())')
    dead = 'http://127.0.0.1:9'
    env = dict(os.environ, BOOK_REQUIRE_REAL_DATA='1', http_proxy=dead, https_proxy=dead,
               HTTP_PROXY=dead, HTTPS_PROXY=dead)
    start = time.monotonic()
    result = subprocess.run([sys.executable, '-c', code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    seconds = time.monotonic() - start
    assert result.returncode != 0
    assert 'could not be fetched' in result.stderr and 'Put the four real .gz files' in \
        result.stderr
    assert seconds < 60, f'took {seconds:.0f} s'
    assert not (tmp_path / 'raw').exists(), 'nothing half-downloaded is left behind'
