"""The catalogue, the table of contents and the files under book/ agree."""
import re

import pytest
import yaml
from conftest import BOOK, ROOT, anchor, catalogue, is_written, written_sections

SHARED = ROOT.parent / 'shared' / 'exercises.yml'


def toc_files():
    toc = yaml.safe_load((ROOT / '_toc.yml').read_text(encoding='utf-8'))
    files = []
    for part in toc['parts']:
        for chapter in part['chapters']:
            files.append(chapter['file'])
            files += [s['file'] for s in chapter.get('sections', [])]
    return toc, files


@pytest.mark.skipif(not SHARED.exists(), reason='../shared is not beside this checkout')
def test_catalogue_copy_is_current():
    assert (BOOK / 'exercises.yml').read_text(encoding='utf-8') == SHARED.read_text(encoding='utf-8'), \
        'book/exercises.yml differs from ../shared/exercises.yml: copy the new catalogue'


def test_toc_lists_every_section_in_book_order():
    _, files = toc_files()
    sections = [s['source'].removesuffix('.md') for s in catalogue()]
    assert [f for f in files if f in sections] == sections
    assert len(sections) == 15 and sum(len(s['exercises']) for s in catalogue()) == 56


def test_toc_groups_chapters():
    toc, _ = toc_files()
    captions = [p['caption'] for p in toc['parts']]
    assert captions[:3] == ['第 1 章 引言', '第 2 章 预备知识', '第 3 章 线性神经网络']
    prefixes = ['chapter_introduction/', 'chapter_preliminaries/', 'chapter_linear-networks/']
    for part, prefix in zip(toc['parts'][:3], prefixes):
        files = [f for c in part['chapters'] for f in [c['file'], *(s['file'] for s in c.get('sections', []))]]
        assert files and all(f.startswith(prefix) for f in files), files


def test_every_toc_file_exists():
    _, files = toc_files()
    for f in files:
        assert (BOOK / f'{f}.md').exists(), f


@pytest.mark.parametrize('section', catalogue(), ids=lambda s: s['section'])
def test_page_title_matches_catalogue(section):
    text = (BOOK / section['source']).read_text(encoding='utf-8')
    title = re.search(r'^# (.+)$', text, re.M).group(1)
    number = section['section']  # chapter 1 is one page, headed as a chapter
    assert title == (f"第 {number} 章" if '.' not in number else number) + f" {section['title']}"
    assert section['url'] in text, 'the page links the section on zh.d2l.ai'


@pytest.mark.parametrize('section', written_sections(), ids=lambda s: s['section'])
def test_written_page_has_every_exercise(section):
    text = (BOOK / section['source']).read_text(encoding='utf-8')
    for ex in section['exercises']:
        label = anchor(ex['id'])
        assert f':label: {label}\n' in text, f'{label} has no exercise block'
        assert f'{{solution-start}} {label}\n' in text, f'{label} has no solution'
        assert f"## 练习 {ex['id']}\n" in text, f"{ex['id']} has no heading"


@pytest.mark.parametrize('section', written_sections(), ids=lambda s: s['section'])
def test_solutions_are_collapsed(section):
    text = (BOOK / section['source']).read_text(encoding='utf-8')
    starts = re.findall(r'```\{solution-start\}[^\n]*\n((?::[^\n]*\n)*)', text)
    assert starts and all(':class: dropdown' in opts for opts in starts)


def test_chapter_1_is_covered():
    """The catalogue marks chapter 1 `optional`; the book answers it like every other section."""
    first = catalogue()[0]
    assert first['section'] == '1' and is_written(first)
