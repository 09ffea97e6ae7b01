"""Builds that must fail loudly, and a rebuild that must do nothing.

Each failing case builds a one-page book with the real _config.yml.
"""
import json
import subprocess
import time

from conftest import ROOT, build_tiny_book, cell


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
    rc = tmp_path / 'matplotlibrc'
    rc.write_text('font.sans-serif: No Such CJK Font\n')
    code, out = build_tiny_book(tmp_path, cell('x = 1'), env={'MATPLOTLIBRC': str(rc)})
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
