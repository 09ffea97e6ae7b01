"""Builds that must fail loudly, and a rebuild that must do nothing."""
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT

JB = str(Path(sys.executable).with_name('jupyter-book'))
PAGE = """---
jupytext: {{text_representation: {{extension: .md, format_name: myst}}}}
kernelspec: {{display_name: Python 3, language: python, name: python3}}
{front}---
# 故障演示

```{{code-cell}} ipython3
x = 1
```

```{{code-cell}} ipython3
{code}
```
"""


def build_tiny_book(tmp_path, code, front=''):
    """Build a one-page book with the real _config.yml; return (exit code, output)."""
    book = tmp_path / 'book'
    book.mkdir()
    (book / 'broken.md').write_text(PAGE.format(code=code, front=front), encoding='utf-8')
    (tmp_path / '_toc.yml').write_text('format: jb-book\nroot: broken\n')
    result = subprocess.run(
        [JB, 'build', str(book), '--config', str(ROOT / '_config.yml'),
         '--toc', str(tmp_path / '_toc.yml'), '--path-output', str(tmp_path), '-n', '-W', '--keep-going'],
        capture_output=True, text=True, timeout=300)
    return result.returncode, result.stdout + result.stderr


def test_failing_cell_fails_the_build(tmp_path):
    code, out = build_tiny_book(tmp_path, "raise ValueError('planted failure')")
    assert code != 0, out
    assert 'broken.md' in out and 'Executing notebook failed' in out
    assert "raise ValueError('planted failure')" in out, 'the failing cell is named'
    assert 'ValueError: planted failure' in out


def test_cell_timeout_fails_the_build(tmp_path):
    start = time.monotonic()
    code, out = build_tiny_book(tmp_path, 'import time\ntime.sleep(60)',
                                front='mystnb: {execution_timeout: 3}\n')
    assert code != 0, out
    assert 'broken.md' in out and 'CellTimeoutError' in out and 'time.sleep(60)' in out
    assert time.monotonic() - start < 50, 'the timeout stopped the cell'


def test_noop_rebuild_executes_nothing(site):
    start = time.monotonic()
    result = subprocess.run(['make', '-s', 'html'], cwd=ROOT, capture_output=True, text=True)
    seconds = time.monotonic() - start
    assert result.returncode == 0, result.stdout + result.stderr
    rows = json.loads((ROOT / '_build' / 'exec-report.json').read_text())
    assert rows and not [r['notebook'] for r in rows if r['executed']]
    print(f'no-op rebuild: {seconds:.1f} s')
