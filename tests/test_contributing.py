"""The contributor's inner loop: lint, one-page runs, templates."""
import subprocess
import sys
import time

from conftest import ROOT, build_tiny_book

TEMPLATE = ROOT / 'templates' / 'section.md'


def lint(*args):
    return subprocess.run([sys.executable, '-m', 'bookkit.lint', *args], cwd=ROOT,
                          capture_output=True, text=True)


def test_lint_passes_on_the_repo():
    result = lint()
    assert result.returncode == 0, result.stdout + result.stderr


def test_lint_catches_a_planted_error_at_its_line(tmp_path):
    page = tmp_path / 'page.md'
    page.write_text(TEMPLATE.read_text(encoding='utf-8').replace(
        'import torch\n', 'import os\nimport torch\n', 1), encoding='utf-8')
    result = lint(str(page))
    line = page.read_text(encoding='utf-8').splitlines().index('import os') + 1
    assert result.returncode == 1
    assert f'page.md:{line}: F401' in result.stdout, result.stdout


def test_lint_catches_display_math_glued_to_text(tmp_path):
    page = tmp_path / 'page.md'
    page.write_text('# 标题\n\n由此得\n$$a = b$$\n\n$$\nc = d\n$$\n', encoding='utf-8')
    result = lint(str(page))
    assert result.returncode == 1
    assert 'page.md:4: MD001' in result.stdout and 'page.md:6' not in result.stdout, \
        result.stdout


def test_single_page_run_reports_quickly(exec_report):
    start = time.monotonic()
    result = subprocess.run([sys.executable, '-m', 'bookkit.run_one',
                             'book/chapter_preliminaries/ndarray.md'],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    seconds = time.monotonic() - start
    assert result.returncode == 0 and result.stdout.startswith('OK book/chapter_preliminaries/ndarray.md')
    total = sum(r['seconds'] or 0 for r in exec_report)
    print(f'one page: {seconds:.1f} s; executing all pages took {total:.1f} s')
    assert seconds < max(60, total)


def test_single_page_run_names_the_failing_cell(tmp_path):
    page = tmp_path / 'page.md'
    page.write_text(TEMPLATE.read_text(encoding='utf-8').replace(
        'x.sum()\n```', "x.sum()\nraise ValueError('planted')\n```"), encoding='utf-8')
    result = subprocess.run([sys.executable, '-m', 'bookkit.run_one', str(page)], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert "raise ValueError('planted')" in result.stderr and 'FAILED' in result.stderr


def test_page_template_builds(tmp_path):
    code, out = build_tiny_book(tmp_path, '', page=TEMPLATE.read_text(encoding='utf-8'))
    assert code == 0, out
    html = (tmp_path / '_build' / 'html' / 'broken.html').read_text(encoding='utf-8')
    assert 'id="ex-X-Y-1"' in html


def test_templates_are_referenced():
    guide = (ROOT / 'CONTRIBUTING.md').read_text(encoding='utf-8')
    for path in ['templates/section.md', 'templates/exercise.md', '.github/ISSUE_TEMPLATE',
                 '.github/pull_request_template.md', 'make nb', 'make lint', 'make preview']:
        assert path in guide, path
