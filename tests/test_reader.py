"""The build side of the reader's experience (bookkit/reader.py), on the built site
and on planted inputs: anchors, short tracebacks, pandas headers, alt text, figure
numbers, forum links, the PDF link. What a reader sees in a browser: test_browser.py."""
import re

import nbformat
import pytest
from bs4 import BeautifulSoup
from conftest import HTML, anchor, build_tiny_book, cell, page_html, written_sections

from bookkit.anchors import slug
from bookkit.outputs import exception_lines, tidy_dataframe
from bookkit.page_buttons import PDF_STATE, publish_pdf_state

CHAINED = """---------------------------------------------------------------------------
ValueError                                Traceback (most recent call last)
File /srv/build/.venv/lib/python3.11/site-packages/pandas/core/indexes/base.py:3812, in get_loc
-> 3812 return self._engine.get_loc(casted_key)

ValueError: 7 is not in range

The above exception was the direct cause of the following exception:

---------------------------------------------------------------------------
KeyError                                  Traceback (most recent call last)
Cell In[5], line 1
----> 1 data.drop(columns=7)

File /srv/build/.venv/lib/python3.11/site-packages/pandas/core/frame.py:5581, in drop
-> 5581 raise KeyError(f"{labels} not found in axis")

KeyError: '[7] not found in axis'
Note: the columns are strings"""
INDEX_NAME = """<table border="1" class="dataframe">
  <thead>
    <tr style="text-align: right;"><th></th><th>lr</th><th>说明</th></tr>
    <tr><th>轮数</th><th></th><th></th></tr>
  </thead>
  <tbody>
    <tr><th>1</th><td>0.10</td><td>较快</td></tr>
    <tr><th>2</th><td>-1.5e-03</td><td>较慢</td></tr>
  </tbody>
</table>"""


def soup(source):
    return BeautifulSoup(page_html(source), 'html.parser')


def test_traceback_is_cut_to_the_last_exception():
    assert exception_lines(CHAINED) == "KeyError: '[7] not found in axis'\nNote: the columns are strings"
    assert exception_lines('no traceback here') is None


def test_index_name_moves_into_the_header_row():
    table = BeautifulSoup(tidy_dataframe(INDEX_NAME), 'html.parser')
    rows = table.select('thead tr')
    assert len(rows) == 1 and [th.get_text() for th in rows[0].find_all('th')] == ['轮数', 'lr', '说明']
    text = [td.get('class') for td in table.select('tbody td')]
    assert text == [None, ['text-column'], None, ['text-column']]
    assert rows[0].find_all('th')[2]['class'] == ['text-column']


def test_heading_slugs_are_valid_css_identifiers():
    assert slug('2.3 线性代数') == 'sec-2-3-线性代数'
    assert slug('怎样使用') == '怎样使用'
    assert re.fullmatch(r'[^\W\d]\w*(-\w+)*', slug('3.4 softmax回归'))


@pytest.mark.parametrize('section', written_sections(), ids=lambda s: s['section'])
def test_section_page_anchors_figures_and_forum(site, section):
    page = soup(section['source'])
    # exercise headings carry the exercise's anchor; no automatic #idN anywhere
    for ex in section['exercises']:
        assert page.find('section', id=anchor(ex['id'])) is not None
    assert not page.find(id=re.compile(r'^id\d+$'))
    assert len({e['id'] for e in page.find_all(id=True)}) == len(page.find_all(id=True))
    # figures numbered within the section: 图 2.6.1, 图 2.6.2, ...
    numbers = [re.search(r'图 ([\d.]+)', c.get_text()).group(1) for c in page.select('figcaption')]
    assert numbers == [f"{section['section']}.{k}" for k in range(1, len(numbers) + 1)]
    # the forum thread: a closing line and an entry in the links menu
    assert page.select_one('p.discuss-link a')['href'] == section['discuss']
    assert page.select_one('a.btn-discuss-button')['href'] == section['discuss']


def raising_cells(nb):
    return [c for c in nb.cells if 'raises-exception' in c.metadata.get('tags', [])]


@pytest.mark.parametrize('section', written_sections(), ids=lambda s: s['section'])
def test_notebook_keeps_the_traceback_that_the_page_shortens(site, section):
    name = section['source'].replace('.md', '.ipynb')
    nb = nbformat.read(HTML / '_sources' / name, as_version=4)
    shown = soup(section['source']).select('.cell.tag_raises-exception .output.traceback')
    errors = [o for c in raising_cells(nb) for o in c.outputs if o.output_type == 'error']
    assert len(shown) == len(errors)
    for output, page in zip(errors, shown):
        assert 'Traceback' in ''.join(output.traceback)
        assert page.get_text().strip().startswith(f'{output.ename}: ')


def test_pdf_state_follows_the_file(tmp_path):
    publish_pdf_state(tmp_path)
    assert (tmp_path / PDF_STATE).read_text().strip() == 'window.bookkitPdf = false;'
    (tmp_path / 'book.pdf').write_bytes(b'%PDF-1.5')
    publish_pdf_state(tmp_path)
    assert (tmp_path / PDF_STATE).read_text().strip() == 'window.bookkitPdf = true;'


def test_site_never_claims_a_pdf_it_lacks(site):
    if 'true' in (HTML / PDF_STATE).read_text():
        assert (HTML / 'book.pdf').exists()


def test_plot_without_caption_fails_the_build(tmp_path):
    plot = 'import matplotlib.pyplot as plt\nplt.plot([0, 1], [1, 0])\nplt.show()'
    code, out = build_tiny_book(tmp_path, cell(plot))
    assert code != 0 and 'a plot without a caption has no alt text' in out, out
