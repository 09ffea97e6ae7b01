"""Builds that must fail loudly, and a rebuild that must do nothing.

Most failing cases build a one-page book with the real _config.yml; the data swap
runs `make html` in a copy of the repository with a two-page table of contents.
"""
import json
import os
import shutil
import subprocess
import time

import pytest
from conftest import ROOT, build_tiny_book, cell, hide_cjk_fonts


def test_failing_cell_fails_the_build(tmp_path):
    code, out = build_tiny_book(tmp_path, cell('x = 1') + cell("raise ValueError('planted failure')"))
    assert code != 0, out
    assert 'broken.md' in out and 'Executing notebook failed' in out
    assert "raise ValueError('planted failure')" in out, 'the failing cell is named'
    assert 'ValueError: planted failure' in out


def test_cell_timeout_fails_the_build(tmp_path):
    start = time.monotonic()
    code, out = build_tiny_book(tmp_path, cell('import time\ntime.sleep(60)'),
                                front='mystnb: {execution_timeout: 3}\n')
    assert code != 0, out
    assert 'broken.md' in out and 'CellTimeoutError' in out and 'time.sleep(60)' in out
    assert time.monotonic() - start < 50, 'the timeout stopped the cell'


def test_broken_reference_fails_the_build(tmp_path):
    code, out = build_tiny_book(tmp_path, '见 {ref}`ex-9-9-9`。\n')
    assert code != 0 and 'broken.md' in out and 'ex-9-9-9' in out, out


def test_missing_image_fails_the_build(tmp_path):
    code, out = build_tiny_book(tmp_path, '![图](no-such-plot.png)\n')
    assert code != 0 and 'no-such-plot.png' in out, out


def test_missing_cjk_font_stops_the_build(tmp_path):
    hide_cjk_fonts(tmp_path)
    code, out = build_tiny_book(tmp_path, cell('x = 1'), env={'MPLCONFIGDIR': str(tmp_path)})
    assert code != 0 and 'fonts-noto-cjk' in out, out


def test_noop_rebuild_executes_nothing(site):
    log = ROOT / '_build' / 'build.log'
    first_build = log.read_bytes()  # test_site checks the log of the build under test
    start = time.monotonic()
    result = subprocess.run(['make', '-s', 'html'], cwd=ROOT, capture_output=True, text=True)
    seconds = time.monotonic() - start
    log.write_bytes(first_build)
    assert result.returncode == 0, result.stdout + result.stderr
    rows = json.loads((ROOT / '_build' / 'exec-report.json').read_text())
    assert rows and not [r['notebook'] for r in rows if r['executed'] != 'cache']
    print(f'no-op rebuild: {seconds:.1f} s')


SWAP_PAGE = """---
jupytext: {{text_representation: {{extension: .md, format_name: myst}}}}
kernelspec: {{display_name: Python 3, language: python, name: python3}}
---
# {title}

```{{code-cell}} ipython3
import torchvision  # the files d2l.load_data_fashion_mnist reads
train = torchvision.datasets.FashionMNIST(root='../data', train=True, download=True)
print(f'训练集 {{len(train)}} 张')
```
{extra}"""


def test_data_swap_that_breaks_a_page_fails_and_leaves_no_stale_page(tmp_path):
    """Build on the stand-in, swap in the real data, on which one cell fails:
    `make html` must fail, name the cell, and leave no page built on the old data."""
    from bookkit import fashion_mnist as fm
    if fm.status() != 'real':
        pytest.skip('needs the real Fashion-MNIST in book/data')
    repo = tmp_path / 'repo'
    tracked = subprocess.run(['git', 'ls-files', '-co', '--exclude-standard'], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout.split()
    for name in tracked:
        if (ROOT / name).is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, repo / name)
    for shared in ('.venv', 'node_modules'):
        (repo / shared).symlink_to(ROOT / shared)
    for name in ('requirements.txt', 'package.json'):  # the shared venv is up to date
        os.utime(repo / name, (0, 0))
    chapter = repo / 'book' / 'chapter_linear-networks'
    (repo / 'book' / 'probe-index.md').write_text('# 数据替换探针\n', encoding='utf-8')
    (chapter / 'steady.md').write_text(SWAP_PAGE.format(title='不受影响的页', extra=''),
                                       encoding='utf-8')
    (chapter / 'breaks.md').write_text(SWAP_PAGE.format(title='换数据后失败的页', extra=cell(
        "assert len(train) < 60000, 'planted: fails on the real data only'")), encoding='utf-8')
    (repo / '_toc.yml').write_text(
        'format: jb-book\nroot: probe-index\nchapters:\n'
        '- file: chapter_linear-networks/steady\n- file: chapter_linear-networks/breaks\n')
    fm.write_stand_in(root=repo / 'book' / 'data')

    def make_html():  # `-o data`: keep the data this test puts there
        result = subprocess.run(['make', '-o', 'data', 'html'], cwd=repo, capture_output=True,
                                text=True, timeout=600)
        return result.returncode, result.stdout + result.stderr

    code, out = make_html()
    assert code == 0, out[-3000:]
    built = sorted((repo / '_build' / 'html' / 'chapter_linear-networks').glob('*.html'))
    assert [p.name for p in built] == ['breaks.html', 'steady.html']
    assert all('训练集 6000 张' in p.read_text(encoding='utf-8') for p in built)

    fm.install(fm.folders()[0], 'real data, swapped in by the test', root=repo / 'book' / 'data')
    code, out = make_html()
    assert code != 0, out[-3000:]
    assert 'book/chapter_linear-networks/breaks.md:' in out and 'planted: fails' in out, out[-3000:]
    stale = [p.name for p in (repo / '_build' / 'html').rglob('*.html')
             if '训练集 6000 张' in p.read_text(encoding='utf-8')]
    assert stale == [], 'pages built on the old data survived the failed build'

    (chapter / 'breaks.md').write_text(SWAP_PAGE.format(title='修好的页', extra=''),
                                       encoding='utf-8')
    code, out = make_html()  # fixed: both pages are rendered again, on the new data
    assert code == 0, out[-3000:]
    for page in built:
        html = page.read_text(encoding='utf-8')
        assert '训练集 60000 张' in html and 'stand-in-data' not in html, page.name
