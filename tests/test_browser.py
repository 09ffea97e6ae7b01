"""The built site in a real browser: Debian's chromium, driven by Playwright.

Every written page is loaded from a local HTTP server at a desktop and a phone
width. Checked: math typeset by the vendored MathJax, every image loaded, no
console error, no request leaving localhost, no horizontal scroll on a phone,
short answers and solutions each hidden until clicked (one by one, or all at
once), Chinese search, and the training badge and stand-in warning on screen. Screenshots for review
go to _build/screenshots/.
"""
import re
from urllib.parse import quote

import pytest
from conftest import ROOT, anchor, written_sections

SHOTS = ROOT / '_build' / 'screenshots'
DESKTOP = {'width': 1280, 'height': 900}
PHONE = {'width': 390, 'height': 844}
PAGES = ['intro.html'] + [s['source'].replace('.md', '.html') for s in written_sections()]
SEARCHES = {'广播': 'chapter_preliminaries/ndarray.html'}


class Visit:
    """One page load, with every request and console error it caused."""

    def __init__(self, browser, server, path, viewport):
        self.context = browser.new_context(viewport=viewport)
        self.page = self.context.new_page()
        self.requests, self.errors = [], []
        self.page.on('request', lambda r: self.requests.append(r.url))
        self.page.on('console', lambda m: m.type == 'error' and self.errors.append(m.text))
        self.page.on('pageerror', lambda e: self.errors.append(str(e)))
        self.page.goto(server + path, wait_until='networkidle')
        self.page.evaluate('() => window.MathJax?.startup?.promise')

    def outside(self, server):
        return [u for u in self.requests if not u.startswith((server, 'data:', 'blob:'))]

    def close(self):
        self.context.close()


@pytest.fixture(scope='module', params=PAGES)
def desktop(request, browser, server):
    visit = Visit(browser, server, request.param, DESKTOP)
    yield request.param, visit
    visit.close()


def test_page_loads_cleanly(desktop, server):
    path, visit = desktop
    assert visit.outside(server) == []
    assert visit.errors == []
    broken = visit.page.evaluate(
        "() => [...document.images].filter(i => !(i.complete && i.naturalWidth > 0))"
        ".map(i => i.src)")
    assert broken == []


PROSE = """() => {
    const article = document.querySelector('article').cloneNode(true);
    article.querySelectorAll('pre, code, .cell_output, mjx-container').forEach(e => e.remove());
    return article.textContent;
}"""


def test_math_is_typeset(desktop):
    path, visit = desktop
    expected = visit.page.locator('.math').count()
    typeset = visit.page.locator('mjx-container').count()
    assert typeset >= expected
    assert visit.page.locator('mjx-merror').count() == 0, 'MathJax could not parse a formula'
    prose = visit.page.evaluate(PROSE)  # text outside code and typeset math
    for raw in ('$', '\\(', '\\)', '\\[', '\\frac'):
        assert raw not in prose, f'raw TeX {raw!r} left in the text'


@pytest.mark.parametrize('path', PAGES)
def test_no_horizontal_scroll_on_a_phone(browser, server, path):
    visit = Visit(browser, server, path, PHONE)
    overflow = visit.page.evaluate(
        '() => document.documentElement.scrollWidth - window.innerWidth')
    visit.close()
    assert overflow <= 0


def body_shown(page, selector, index):
    """Is the body of the index-th folded block (not just its title) on screen?"""
    return page.locator(selector).nth(index).locator(':scope > :not(.admonition-title)') \
        .first.is_visible()


def click_title(page, selector, index):
    page.locator(selector).nth(index).locator(':scope > .admonition-title').click()


def test_short_answer_and_solution_fold_separately(browser, server):
    """The intro's promise: question on screen; 简答 and 完整解答 each open with one click."""
    visit = Visit(browser, server, 'chapter_preliminaries/ndarray.html', DESKTOP)
    page = visit.page
    n = page.locator('.solution').count()
    assert n >= 2 and page.locator('.short-answer').count() == n
    assert page.locator('.exercise').first.is_visible()
    assert not any(body_shown(page, sel, i) for sel in ('.short-answer', '.solution')
                   for i in range(n))
    click_title(page, '.short-answer', 0)
    assert body_shown(page, '.short-answer', 0) and not body_shown(page, '.solution', 0)
    click_title(page, '.solution', 0)
    assert body_shown(page, '.solution', 0) and not body_shown(page, '.solution', 1)
    page.locator('button.btn-reveal-all-button').first.click()
    assert all(body_shown(page, sel, i) for sel in ('.short-answer', '.solution')
               for i in range(n))
    visit.close()


@pytest.mark.parametrize('term', SEARCHES)
def test_chinese_search_finds_the_page(browser, server, term):
    visit = Visit(browser, server, f'search.html?q={quote(term)}', DESKTOP)
    visit.page.wait_for_selector('#search-results li', timeout=15000)
    links = visit.page.eval_on_selector_all('#search-results li a', 'as => as.map(a => a.href)')
    visit.close()
    assert any(SEARCHES[term] in link for link in links), links


def tagged_gpu(section):
    text = (ROOT / 'book' / section['source']).read_text(encoding='utf-8')
    return re.search(r'^:tags: \[[^\]]*\bgpu\b', text, re.M) is not None


@pytest.mark.parametrize('section', [s for s in written_sections() if tagged_gpu(s)],
                         ids=lambda s: s['section'])
@pytest.mark.parametrize('viewport', [DESKTOP, PHONE], ids=['desktop', 'phone'])
def test_training_badge_is_on_screen(browser, server, section, viewport):
    visit = Visit(browser, server, section['source'].replace('.md', '.html'), viewport)
    cell = visit.page.locator('div.cell.tag_gpu').first
    badge = cell.evaluate("c => getComputedStyle(c, '::before').content")
    box = cell.bounding_box()
    visit.close()
    assert '训练单元格' in badge
    assert box['width'] <= viewport['width']


def test_screenshots_for_review(browser, server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    pages = {'intro': 'intro.html'}
    section = next((s for s in written_sections() if tagged_gpu(s)), written_sections()[0])
    pages[section['source'].split('/')[-1].removesuffix('.md')] = \
        section['source'].replace('.md', '.html')
    for name, path in pages.items():
        for label, viewport in [('desktop', DESKTOP), ('mobile', PHONE)]:
            visit = Visit(browser, server, path, viewport)
            shot = SHOTS / f'{name}-{label}.png'
            visit.page.screenshot(path=str(shot))
            visit.close()
            assert shot.stat().st_size > 10_000


def test_exercise_links_land_on_the_exercise(browser, server):
    section = max(written_sections(), key=lambda s: len(s['exercises']))
    last = anchor(section['exercises'][-1]['id'])
    path = section['source'].replace('.md', '.html') + '#' + last
    visit = Visit(browser, server, path, PHONE)
    in_view = visit.page.locator(f'#{last}').evaluate(
        'e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }')
    visit.close()
    assert in_view


def loads_data(section):
    return 'load_data_fashion_mnist' in (ROOT / 'book' / section['source']).read_text('utf-8')


@pytest.mark.parametrize('section', [s for s in written_sections() if loads_data(s)],
                         ids=lambda s: s['section'])
@pytest.mark.parametrize('viewport', [DESKTOP, PHONE], ids=['desktop', 'phone'])
def test_stand_in_warning_is_on_screen(browser, server, section, viewport):
    if (ROOT / 'book' / 'data' / 'FashionMNIST' / 'STAND_IN').exists():
        visit = Visit(browser, server, section['source'].replace('.md', '.html'), viewport)
        warning = visit.page.locator('.stand-in-data')
        visible, box = warning.is_visible(), warning.bounding_box()
        visit.close()
        assert visible and box['width'] <= viewport['width'] and box['y'] < 2 * viewport['height']
