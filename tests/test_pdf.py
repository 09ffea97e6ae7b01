"""The PDF edition (`make pdf`): complete, with every plot, Chinese typeset, no LaTeX
errors, bookmarks down to every exercise, and nothing that only makes sense on the web."""
import os
import re
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup
from conftest import HTML, ROOT, written_sections

from bookkit import pdf


@pytest.fixture(scope='module')
def book_pdf(site):
    if not pdf.PDF.exists():
        pytest.fail('no PDF: run `make pdf` first (`make test` does)')
    return pdf.PDF


@pytest.fixture(scope='module')
def text(book_pdf):
    out = subprocess.run(['pdftotext', '-layout', str(book_pdf), '-'], check=True,
                         capture_output=True, text=True).stdout
    return re.sub(r'\s+', ' ', out)


def test_every_section_title_and_exercise_number(text):
    # xeCJK sets its own spacing between Chinese and Latin text: compare without spaces
    text = text.replace(' ', '')
    assert '目录' in text
    for chapter in ('第 1 章 引言', '第 2 章 预备知识', '第 3 章 线性神经网络'):
        assert chapter.replace(' ', '') in text
    for section in written_sections():
        assert f"{section['section']}{section['title']}".replace(' ', '') in text
        for ex in section['exercises']:
            assert f"练习{ex['id']}" in text, ex['id']


def test_solutions_are_expanded_in_print(text):
    written = sum(len(s['exercises']) for s in written_sections())
    assert text.replace(' ', '').count('简答') >= written


# Instructions for the web pages' folded blocks, which the PDF prints open.
WEB_ONLY = ['点开', '点击展开', '点击收起', '点击即可展开', '默认折叠']


def test_chapter_titles_keep_their_space(text):
    for chapter in ('第 1 章 引言', '第 2 章 预备知识', '第 3 章 线性神经网络'):
        assert chapter in text  # not 第 2 章预备知识


def test_no_web_only_instructions(text):
    assert [phrase for phrase in WEB_ONLY if phrase in text.replace(' ', '')] == []


def test_figures_are_numbered_within_their_section(text):
    numbers = re.findall(r'图 (\d+(?:\.\d+)+):', text)
    sections = [n.rsplit('.', 1)[0] for n in numbers]
    assert numbers and all(n == f'{sec}.{sections[:i + 1].count(sec)}'
                           for i, (n, sec) in enumerate(zip(numbers, sections)))


def outline(book_pdf):
    """The PDF's bookmarks as (depth, title), in order (poppler's pdftohtml -xml)."""
    xml = subprocess.run(['pdftohtml', '-xml', '-i', '-q', '-stdout', '-f', '1', '-l', '1',
                          str(book_pdf)], check=True, capture_output=True, text=True).stdout
    found, depth = [], 0
    for tag in re.finditer(r'<(/?)outline>|<item[^>]*>(.*?)</item>', xml):
        if tag.group(2) is not None:
            found.append((depth, re.sub(r'\s+', ' ', tag.group(2))))
        else:
            depth += -1 if tag.group(1) else 1
    return found


def test_bookmarks_for_chapters_sections_and_exercises(book_pdf):
    marks = outline(book_pdf)
    expected = [(1, '第 2 章 预备知识'), (1, '第 3 章 线性神经网络')]
    for section in written_sections():
        if '.' in section['section']:  # a section: under its chapter
            expected.append((2, f"{section['section']} {section['title']}"))
        else:  # chapter 1 is one page, headed like a chapter
            expected.append((1, f"第 {section['section']} 章 {section['title']}"))
        depth = expected[-1][0] + 1
        expected += [(depth, f"练习 {ex['id']}") for ex in section['exercises']]
    assert [m for m in expected if m not in marks] == []


def test_setup_cell_is_left_out(text):
    """The cell that opens every notebook is for running it elsewhere (bookkit/setup_cell.py)."""
    assert 'prepare_environment' not in text


def html_plot_images():
    return sum(len(BeautifulSoup(p.read_text(encoding='utf-8'), 'html.parser')
                   .select('.cell_output img'))
               for p in HTML.rglob('*.html'))


def test_every_plot_is_in_the_pdf(book_pdf):
    listing = subprocess.run(['pdfimages', '-list', str(book_pdf)], check=True,
                             capture_output=True, text=True).stdout.splitlines()[2:]
    assert len(listing) >= html_plot_images() > 0


def test_latex_log_is_clean_and_pdf_is_small(book_pdf):
    assert pdf.problems(pdf.LOG.read_text(encoding='utf-8', errors='replace')) == []
    assert book_pdf.stat().st_size < pdf.MAX_BYTES
    assert (HTML / 'book.pdf').read_bytes() == book_pdf.read_bytes()


def test_checker_catches_latex_errors_and_missing_glyphs():
    log = ('(./book.aux)\n! LaTeX Error: File `bbm.sty\' not found.\n'
           'Missing character: There is no 龘 in font FreeSerif!\n')
    assert len(pdf.problems(log)) == 2


def test_missing_xelatex_names_the_package(tmp_path):
    env = dict(os.environ, PATH=str(tmp_path))  # no TeX on this PATH
    result = subprocess.run([sys.executable, '-m', 'bookkit.pdf', 'tools'], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert 'texlive-xetex' in result.stderr and 'install-system-packages.sh' in result.stderr
