"""The contributor's inner loop: lint, one-page runs, templates."""
import subprocess
import sys
import time

import pytest
from conftest import ROOT, build_tiny_book

from bookkit.lint import lint_numbers

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


def numbers_page(tmp_path, prose, before='x = 1', after='y = 2'):
    """A page whose paragraph `prose` sits between two code cells; returns its path."""
    page = tmp_path / 'page.md'
    page.write_text(f'# 标题\n\n```{{code-cell}} ipython3\n{before}\n```\n\n{prose}\n\n'
                    f'```{{code-cell}} ipython3\n{after}\n```\n', encoding='utf-8')
    return page


def test_lint_names_a_bare_decimal_in_prose_at_its_line(tmp_path):
    page = numbers_page(tmp_path, '训练后的精度约为 $0.83$。\n\n'
                        '```{admonition} 简答\n:class: dropdown\n\n损失降到 1.5e-3 以下。\n```')
    result = lint(str(page))
    assert result.returncode == 1
    assert 'page.md:7: NUM001 bare decimal in prose: 0.83' in result.stdout, result.stdout
    assert 'page.md:12: NUM001 bare decimal in prose: 1.5e-3' in result.stdout, result.stdout


@pytest.mark.parametrize('prose', [
    '精度约为 {glue:text}`acc:.2f`。',                         # glued from the run
    '学习率取 0.03，误差小于 0.5。',                             # literals of the cells around it
    '见 2.6 节、练习 2.6.1 与 [2.6 概率](https://zh.d2l.ai/2.6.html)，代码 `lr = 0.1`。',
])
def test_lint_accepts_glued_checked_and_non_numeric_decimals(tmp_path, prose):
    page = numbers_page(tmp_path, prose, before='lr = 0.03', after='assert err < 0.5')
    result = lint(str(page))
    assert 'NUM001' not in result.stdout, result.stdout


@pytest.mark.parametrize('before, after', [
    ('x = 0.03\n```\n\n```{code-cell} ipython3\nx = 1', 'y = 2'),   # not the nearest cell
    ('x = 1  # 0.03', 'y = 2'),                                       # only in a comment
    ('x = 3', 'y = 2'),                                               # a different value
])
def test_lint_accepts_only_a_literal_of_the_nearest_code_cell(tmp_path, before, after):
    result = lint(str(numbers_page(tmp_path, '学习率取 0.03。', before, after)))
    assert 'NUM001 bare decimal in prose: 0.03' in result.stdout, result.stdout


def test_lint_accepts_a_quoted_number_with_its_source(tmp_path):
    page = numbers_page(tmp_path, '原书报告的测试精度约为 0.83。')
    source = {'number': 0.83, 'source': '原书 3.7 节'}
    assert lint_numbers([page], {str(page): [source]}) == []
    assert lint_numbers([page], {}) != []
    unsourced = lint_numbers([page], {str(page): [{'number': 0.83, 'source': ''}]})
    assert len(unsourced) == 1 and '0.83 has no source' in unsourced[0], unsourced
    stale = lint_numbers([page], {str(page): [source, {'number': 0.5, 'source': '原书'}]})
    assert len(stale) == 1 and '0.5 is not quoted in the prose any more' in stale[0], stale


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
