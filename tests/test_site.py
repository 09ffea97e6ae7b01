"""The built site: anchors, executed outputs, embedded plots, search, badges."""
import json
import re

import nbformat
import pytest
from bs4 import BeautifulSoup
from conftest import (
    HTML,
    ROOT,
    anchor,
    catalogue,
    executed_notebook,
    is_written,
    page_html,
    written_sections,
)
from myst_nb.ext.glue import GLUE_PREFIX

BUILD_LOG = ROOT / '_build' / 'build.log'


def soup(source):
    return BeautifulSoup(page_html(source), 'html.parser')


def test_build_had_no_warnings(site):
    log = re.sub(r'\x1b\[[0-9;]*m', '', BUILD_LOG.read_text(encoding='utf-8'))
    assert 'build succeeded' in log
    # Sphinx's own "WARNING:"/"ERROR:" lines; the kernel's "[IPKernelApp] WARNING |" is not one
    assert not re.search(r'(^|: )(WARNING|ERROR):', log, re.MULTILINE), 'the build printed warnings'


@pytest.mark.parametrize('section', written_sections(), ids=lambda s: s['section'])
def test_exercise_anchors_and_outputs(site, section):
    page = soup(section['source'])
    for ex in section['exercises']:
        heading = page.find(id=anchor(ex['id']))
        assert heading is not None, f"{ex['id']} is not an element id"
        # the anchor is the exercise's heading (bookkit/anchors.py), the question below it
        assert heading.name == 'section' and heading.h2.get_text().startswith(f"练习 {ex['id']}")
        block = heading.find(class_='exercise', recursive=False)
        # what the intro promises: the question, then a folded 简答, then the folded full solution
        short = block.find_next(class_='admonition')
        assert 'short-answer' in short['class'] and 'dropdown' in short['class'], ex['id']
        assert short.find(class_='admonition-title').get_text(strip=True) == '简答'
        solution = short.find_next(class_='admonition')
        assert 'solution' in solution['class'] and 'dropdown' in solution['class'], ex['id']
        assert solution.find(class_='admonition-title').get_text(strip=True) == '完整解答'
        assert solution.select('.cell_output'), f"{ex['id']} has no executed output"


def executed_notebooks():
    return sorted((ROOT / '_build' / 'jupyter_execute').rglob('*.ipynb'))


def image_outputs(nb):
    return sum(1 for c in nb.cells if c.cell_type == 'code' for o in c.get('outputs', [])
               if {'image/png', 'image/svg+xml'} & set(o.get('data', {})))


@pytest.mark.parametrize('section', written_sections(), ids=lambda s: s['section'])
def test_plots_are_embedded_images(site, section):
    nb_path = executed_notebook(section)
    expected = image_outputs(nbformat.read(nb_path, as_version=4))
    page_path = HTML / section['source'].replace('.md', '.html')
    imgs = [img for img in soup(section['source']).select('.cell_output img')]
    assert len(imgs) == expected
    for img in imgs:
        target = (page_path.parent / img['src']).resolve()
        assert target.exists() and target.stat().st_size > 1000, img['src']


def test_coverage_table_counts_every_exercise(site):
    """The intro's table: one row per catalogue section with its answered/all, then the totals."""
    table = soup('intro.md').select_one('.coverage-table table')
    rows = [[td.get_text(strip=True) for td in tr.select('td')] for tr in table.select('tbody tr')]
    sections = catalogue()
    assert [r[0] for r in rows[:-1]] == [f"{s['section']} {s['title']}" for s in sections]
    for row, section in zip(rows, sections):
        n = len(section['exercises'])
        assert row[2] == f'{n if is_written(section) else 0}/{n}', row
    answered = sum(len(s['exercises']) for s in written_sections())
    total = sum(len(s['exercises']) for s in sections)
    assert rows[-1][0] == '合计' and rows[-1][2] == f'{answered}/{total}'


def test_chinese_search_index(site):
    text = (HTML / 'searchindex.js').read_text(encoding='utf-8')
    index = json.loads(text[text.index('(') + 1:text.rindex(')')])
    docs = index['docnames']
    hits = index['terms'].get('广播')
    assert hits is not None, 'jieba did not index 广播'
    hits = hits if isinstance(hits, list) else [hits]
    assert 'chapter_preliminaries/ndarray' in [docs[i] for i in hits]


def test_ui_is_chinese(site):
    assert '<html lang="zh-CN"' in (HTML / 'intro.html').read_text(encoding='utf-8')


def test_gpu_cells_are_badged(site):
    css = (HTML / '_static' / 'bookkit.css').read_text(encoding='utf-8')
    assert 'div.cell.tag_gpu::before' in css
    for section in written_sections():
        source = (ROOT / 'book' / section['source']).read_text(encoding='utf-8')
        n_tagged = len(re.findall(r'^:tags: \[[^\]]*\bgpu\b', source, re.M))
        assert len(soup(section['source']).select('div.cell.tag_gpu')) == n_tagged


def test_stand_in_pages_carry_the_warning(site):
    from bookkit import fashion_mnist
    for section in written_sections():
        source = (ROOT / 'book' / section['source']).read_text(encoding='utf-8')
        warned = bool(soup(section['source']).select('.stand-in-data'))
        uses = 'load_data_fashion_mnist' in source
        assert warned == (uses and fashion_mnist.status() == 'stand-in'), section['section']


def test_execution_report(exec_report):
    rows = {r['notebook']: r for r in exec_report}
    for section in written_sections():
        row = rows['book/' + section['source']]
        assert row['succeeded'] and row['seconds'] is not None
        # training cells print their device; the report collects what they printed
        assert re.fullmatch(r'(cpu|cuda(:\d+)?)(, (cpu|cuda(:\d+)?))*', row['device']), row
    assert (ROOT / '_build' / 'exec-report.md').exists()


def rendered(output):
    """Does the page show this output? A glue(..., display=False) output only feeds the prose."""
    data = output.get('data')
    return data is None or any(not key.startswith(GLUE_PREFIX) for key in data)


@pytest.mark.parametrize('section', written_sections(), ids=lambda s: s['section'])
def test_downloadable_notebook_has_the_outputs(site, section):
    """The .ipynb behind the download and Colab buttons is the executed one."""
    name = section['source'].replace('.md', '.ipynb')
    shown = len(soup(section['source']).select('div.cell_output'))
    for path in (HTML / '_sources' / name, executed_notebook(section)):
        nb = nbformat.read(path, as_version=4)
        assert sum(any(map(rendered, c.get('outputs', []))) for c in nb.cells
                   if c.cell_type == 'code') == shown > 0, path


@pytest.mark.parametrize('section', written_sections(), ids=lambda s: s['section'])
def test_colab_and_download_buttons_open_this_builds_notebook(site, section):
    """Download: the executed notebook beside the page; Colab: the same notebook as the
    workflow publishes it for this commit (bookkit/page_buttons.py)."""
    from bookkit import page_buttons
    name = section['source'].replace('.md', '.ipynb')
    page = soup(section['source'])
    download = page.select_one('a.btn-download-notebook-button')['href']
    assert (HTML / section['source']).parent.joinpath(download).resolve() == HTML / '_sources' / name
    colab = page.select_one('a.btn-colab-button')['href']
    assert colab.endswith(f'/blob/{page_buttons.notebooks_ref()}/{name}'), colab
