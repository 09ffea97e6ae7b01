"""The built site in a real browser: Debian's chromium, driven by Playwright.

Every written page is loaded from a local HTTP server at a desktop and a phone
width (the phone with touch), with every folded block opened. Checked: math
typeset by the vendored MathJax, every image loaded, no console error, no request
leaving localhost, no horizontal scroll on a phone, no line of code or output cut
off, an axe-core audit without serious or critical violations, meaningful alt
text, no English interface string, unique ids; the navigation menu at phone and
tablet widths, exercise links landing below the sticky header, the intro's promise
(short answers and solutions each hidden until clicked, one by one or all at
once), Chinese search, the training badge and stand-in warning on screen.
Screenshots for review go to _build/screenshots/.
"""
import posixpath
import re
from urllib.parse import quote

import pytest
from conftest import ROOT, anchor, catalogue, written_sections

AXE = ROOT / 'node_modules' / 'axe-core' / 'axe.min.js'
SHOTS = ROOT / '_build' / 'screenshots'
DESKTOP = {'width': 1280, 'height': 900}
TABLET = {'width': 820, 'height': 1180}
PHONE = {'width': 390, 'height': 844}
TOUCH = {'has_touch': True, 'is_mobile': True}
CHAPTERS = sorted({s['source'].rsplit('/', 1)[0] + '/index.html' for s in catalogue()})
PAGES = list(dict.fromkeys(['intro.html', *CHAPTERS, *(s['source'].replace('.md', '.html')
                                                        for s in written_sections()), 'build-info.html']))
SEARCHES = {'广播': 'chapter_preliminaries/ndarray.html'}
# Interface strings of the themes and extensions that once showed up in English.
# A whole text or attribute equal to one of them, or containing one of the longer
# ones, is an untranslated interface string.
ENGLISH_UI = [
    'Toggle primary sidebar', 'Toggle secondary sidebar', 'Toggle hidden content',
    'Color mode', 'Light', 'Dark', 'System Settings', 'Source repositories', 'Repository',
    'Suggest edit', 'Open issue', 'Open an issue', 'Link to this heading', 'Main', 'Page',
    '© Copyright', 'Document', 'Modified', 'Method', 'Run Time (s)', 'Status', 'cache',
    'Back to top', 'Download this page', 'Fullscreen mode', 'Print to PDF', 'Search',
    'Contents', 'Skip to main content', 'Previous', 'Next', 'Copy', 'Copied!',
    'Click to show', 'Click to hide', 'Show code cell source', 'Launch', 'Solution', 'Exercise',
]
INTERFACE_STRINGS = """() => {
    const texts = [];
    const skip = 'pre, code, .cell_output, mjx-container, .math, script, style, svg';
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode;
        if (node.textContent.trim() && !node.parentElement.closest(skip)) texts.push(node.textContent.trim());
    }
    for (const e of document.querySelectorAll('*')) {
        for (const a of ['title', 'aria-label', 'data-bs-title', 'data-bs-original-title',
                         'placeholder', 'alt', 'data-toggle-hint', 'data-tooltip']) {
            if (e.getAttribute(a)) texts.push(e.getAttribute(a).trim());
        }
    }
    return texts;
}"""
OPEN_FOLDS = """() => document.querySelectorAll('.toggle-hidden > .admonition-title')
    .forEach(t => t.click())"""
CUT_OFF = """() => [...document.querySelectorAll('article pre')]
    .filter(e => e.scrollWidth > e.clientWidth + 1)
    .map(e => e.textContent.trim().split('\\n')[0].slice(0, 80))"""
STICKY_HEADER_BOTTOM = "() => document.querySelector('.bd-header-article').getBoundingClientRect().bottom"


def page_of(section):
    return section['source'].replace('.md', '.html')


class Visit:
    """One page load, with every request and console error it caused."""

    def __init__(self, browser, server, path, viewport):
        touch = TOUCH if viewport['width'] < DESKTOP['width'] else {}
        self.context = browser.new_context(viewport=viewport, reduced_motion='reduce', **touch)
        self.page = self.context.new_page()
        self.requests, self.errors = [], []
        self.page.on('request', lambda r: self.requests.append(r.url))
        self.page.on('console', lambda m: m.type == 'error' and self.errors.append(m.text))
        self.page.on('pageerror', lambda e: self.errors.append(str(e)))
        self.page.goto(server + path, wait_until='networkidle')
        self.page.evaluate('() => window.MathJax?.startup?.promise')

    def outside(self, server):
        return [u for u in self.requests if not u.startswith((server, 'data:', 'blob:'))]

    def open_folds(self):
        self.page.evaluate(OPEN_FOLDS)
        self.page.wait_for_timeout(100)  # the page script updates tab stops after the click

    def audit(self, **rules):
        """axe-core's violations of serious or critical impact, vendored from npm."""
        if not AXE.exists():
            pytest.fail(f'{AXE} missing: run `npm install` (part of `make env`)')
        self.page.add_script_tag(path=str(AXE))
        options = {'resultTypes': ['violations'], 'rules': rules}
        found = self.page.evaluate('async (options) => (await axe.run(document, options)).violations'
                                   '.map(v => ({id: v.id, impact: v.impact, help: v.help,'
                                   ' where: v.nodes.slice(0, 3).map(n => n.target.join(" "))}))',
                                   options)
        return [v for v in found if v['impact'] in ('serious', 'critical')]

    def close(self):
        self.context.close()


@pytest.fixture(scope='module', params=PAGES)
def desktop(request, browser, server):
    visit = Visit(browser, server, request.param, DESKTOP)
    visit.open_folds()
    yield request.param, visit
    visit.close()


@pytest.fixture(scope='module', params=PAGES)
def phone(request, browser, server):
    visit = Visit(browser, server, request.param, PHONE)
    visit.open_folds()
    yield request.param, visit
    visit.close()


# --- every page, desktop and phone -------------------------------------------

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


def test_no_horizontal_scroll_on_a_phone(phone):
    path, visit = phone
    overflow = visit.page.evaluate('() => document.documentElement.scrollWidth - window.innerWidth')
    assert overflow <= 0


def test_no_line_is_cut_off_on_a_desktop(desktop):
    """Every line of code and output, error messages included, is on screen whole."""
    assert desktop[1].page.evaluate(CUT_OFF) == []


def test_no_line_is_cut_off_on_a_phone(phone):
    assert phone[1].page.evaluate(CUT_OFF) == []


def test_accessibility_audit_on_a_desktop(desktop):
    assert desktop[1].audit() == []


PHONE_AUDITS = ['intro.html', 'chapter_preliminaries/probability.html',
                'chapter_linear-networks/softmax-regression-concise.html']


@pytest.mark.parametrize('path', PHONE_AUDITS)
def test_accessibility_audit_on_a_phone(browser, server, path):
    """What changes on a phone: the header, the navigation dialog (open on the
    landing page), formulas and tables that scroll (math and pandas pages). The
    colours do not change, so the slow contrast check runs on the desktop only."""
    visit = Visit(browser, server, path, PHONE)
    if path == 'intro.html':
        visit.page.locator('.bd-header-article .primary-toggle').tap()
        visit.page.locator('#pst-primary-sidebar-modal').wait_for(state='visible')
    else:
        visit.open_folds()
    assert visit.audit(**{'color-contrast': {'enabled': False}}) == []
    visit.close()


def test_images_have_meaningful_alt_text(desktop):
    """A plot's alt text says what it shows (its caption), not where its file is; a
    tap on it opens the image itself."""
    plots = desktop[1].page.evaluate("""() => [...document.querySelectorAll('article img')].map(i => ({
        alt: i.alt, src: i.src, caption: i.closest('figure')?.querySelector('figcaption')?.textContent,
        link: i.closest('a')?.href}))""")
    for plot in plots:
        alt = plot['alt']
        assert not re.search(r'_images|\.(svg|png|jpe?g)$|[0-9a-f]{16}', alt), alt
        chinese = re.findall(r'[\u4e00-\u9fff]', alt)
        assert len(chinese) >= 4 and set(chinese) <= set(plot['caption'] or ''), alt
        assert plot['link'] == plot['src']


def test_interface_is_in_chinese(desktop):
    texts = desktop[1].page.evaluate(INTERFACE_STRINGS)
    long_ones = [s for s in ENGLISH_UI if ' ' in s]
    english = {t for t in texts if t in ENGLISH_UI or any(s in t for s in long_ones)}
    assert english == set()


def test_ids_are_unique_and_fold_buttons_named(desktop):
    page = desktop[1].page
    ids = page.evaluate("() => [...document.querySelectorAll('[id]')].map(e => e.id)")
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
    names = page.evaluate("""() => [...document.querySelectorAll('.admonition-title > .toggle-button')]
        .map(b => [b.closest('.admonition').querySelector('.admonition-title').firstChild.textContent.trim(),
                   b.getAttribute('aria-label')])""")
    for title, name in names:
        assert re.fullmatch(re.escape(title) + r'（练习 \d+(\.\d+)+）', name), name


def test_formulas_are_not_tab_stops(desktop):
    """Tabbing goes from control to control: a formula is a tab stop only while it
    scrolls sideways (so that the keyboard can scroll it)."""
    stops = desktop[1].page.evaluate("""() => [...document.querySelectorAll('mjx-container')]
        .filter(m => m.tabIndex >= 0 && !(m.scrollWidth > m.clientWidth)).length""")
    assert stops == 0


def test_outputs_of_deliberate_errors_are_short(desktop):
    """A cell tagged raises-exception shows the exception, not the build machine's
    traceback (the downloadable notebook keeps it: test_site)."""
    errors = desktop[1].page.evaluate(
        "() => [...document.querySelectorAll('.cell.tag_raises-exception .output.traceback')]"
        ".map(e => e.textContent.trim())")
    for error in errors:
        assert re.match(r'^[A-Za-z_][\w.]*(Error|Exception)\b', error), error
        assert 'site-packages' not in error and 'Traceback' not in error and len(error) < 600


SCROLLING_BOXES = """async () => {
    const boxes = [...document.querySelectorAll('div.math mjx-container, '
        + 'div.cell_output div.output.text_html, .pst-scrollable-table-container')];
    const fades = e => (getComputedStyle(e).maskImage + getComputedStyle(e).webkitMaskImage)
        .includes('gradient');
    const wide = boxes.filter(e => e.scrollWidth > e.clientWidth + 1);
    const wrong = boxes.filter(e => !wide.includes(e) && fades(e)).map(e => 'fades: ' + e.className);
    for (const e of wide) {
        if (getComputedStyle(e).overflowX !== 'auto' || e.tabIndex !== 0 || !fades(e)) {
            wrong.push('no scrolling cue: ' + e.className);
        }
        e.scrollLeft = e.scrollWidth;  // at the right end only the left edge fades
    }
    await new Promise(done => setTimeout(done, 100));
    const ends = wide.filter(e => [...e.classList].filter(c => c.startsWith('scrolls-')).join() !== 'scrolls-left');
    return wrong.concat(ends.map(e => 'cue not updated: ' + e.className));
}"""


def test_scrolling_boxes_show_that_they_scroll(phone):
    """On a phone, a display formula or table wider than the screen scrolls inside
    its box, fades out at the edge where more lies, and takes keyboard focus."""
    assert phone[1].page.evaluate(SCROLLING_BOXES) == []


def test_table_headers_align_with_their_columns(desktop):
    columns = desktop[1].page.evaluate("""() => [...document.querySelectorAll('table.dataframe')].flatMap(t => {
        const head = [...t.querySelector('thead tr:last-child').children];
        const row = [...t.querySelector('tbody tr').children];
        const style = e => [getComputedStyle(e).textAlign, parseFloat(getComputedStyle(e).paddingLeft)];
        return head.map((h, j) => [h.textContent, style(h), row[j] && style(row[j])]);
    })""")
    for header, (head_align, head_pad), (cell_align, cell_pad) in columns:
        assert head_align == cell_align and min(head_pad, cell_pad) >= 8, header
    rows = desktop[1].page.evaluate("""() => [...document.querySelectorAll('table.dataframe thead tr')]
        .map(r => [...r.children].slice(1).map(c => c.textContent.trim()).join(''))""")
    assert '' not in rows, 'a header row with only an index name'


# --- navigation ---------------------------------------------------------------

def section_link(page, section, path):
    """The link to a section in the opened navigation (the current page's is '#')."""
    target = page_of(section)
    href = '#' if target == path else posixpath.relpath(target, posixpath.dirname(path) or '.')
    return page.locator(f'#pst-primary-sidebar-modal a.reference[href="{href}"]').first


@pytest.mark.parametrize('path', ['intro.html', page_of(written_sections()[-1])])
@pytest.mark.parametrize('viewport', [PHONE, TABLET], ids=['phone', 'tablet'])
def test_menu_button_opens_the_navigation(browser, server, path, viewport):
    """Tapping ☰ opens the book's navigation, with every section a tap away, and
    no tooltip stays over the buttons."""
    visit = Visit(browser, server, path, viewport)
    page = visit.page
    page.locator('.bd-header-article .primary-toggle').tap()
    dialog = page.locator('#pst-primary-sidebar-modal')
    dialog.wait_for(state='visible', timeout=5000)
    page.wait_for_timeout(800)  # longer than Bootstrap's tooltip delay
    assert page.locator('.tooltip').count() == 0
    if viewport == PHONE and path == 'intro.html':
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / 'intro-390-navigation.png'))
    for section in catalogue():
        link = section_link(page, section, path)
        link.scroll_into_view_if_needed()
        assert link.is_visible(), section['section']
    other = next(s for s in catalogue() if page_of(s) != path)
    section_link(page, other, path).tap()
    page.wait_for_url('**/' + page_of(other))
    visit.close()


def test_contents_button_opens_the_page_contents_on_a_phone(browser, server):
    section = written_sections()[0]
    visit = Visit(browser, server, page_of(section), PHONE)
    visit.page.locator('.bd-header-article .secondary-toggle').tap()
    contents = visit.page.locator('#pst-secondary-sidebar-modal')
    contents.wait_for(state='visible', timeout=5000)
    for ex in section['exercises']:
        assert contents.locator(f'a[href="#{anchor(ex["id"])}"]').is_visible()
    visit.close()


def test_menu_button_hides_the_sidebar_on_a_desktop(browser, server):
    visit = Visit(browser, server, 'intro.html', DESKTOP)
    sidebar, button = visit.page.locator('#pst-primary-sidebar'), \
        visit.page.locator('.bd-header-article .primary-toggle')
    assert sidebar.is_visible()
    button.click()
    visit.page.wait_for_timeout(500)
    assert not sidebar.is_visible()
    button.click()
    visit.page.wait_for_timeout(500)
    assert sidebar.is_visible()
    visit.close()


def exercise_headings_in_view(page):
    """Go to every exercise's anchor in turn; the ones whose heading is not fully on
    screen below the sticky header."""
    hidden = []
    for section_id in page.evaluate("() => [...document.querySelectorAll('section[id^=\"ex-\"]')]"
                                    ".map(s => s.id).filter(i => /^ex-[\\d-]+$/.test(i))"):
        page.evaluate(f'() => {{ location.hash = "{section_id}"; }}')
        page.wait_for_timeout(50)
        top = page.evaluate(STICKY_HEADER_BOTTOM)
        box = page.locator(f'#{section_id} > h2').bounding_box()
        if not (top <= box['y'] and box['y'] + box['height'] <= page.viewport_size['height']):
            hidden.append(section_id)
    return hidden


def anchors_land_below_the_header(path, visit):
    """Every exercise anchor shows its heading; headings and contents link to
    meaningful anchors (ex-2-3-2), not #id3."""
    assert exercise_headings_in_view(visit.page) == [], path
    hrefs = visit.page.evaluate("() => [...document.querySelectorAll("
                          "'a.headerlink, #pst-page-toc-nav a')].map(a => a.hash)")
    assert [h for h in hrefs if re.fullmatch(r'#id\d+', h)] == []


def test_exercise_links_land_below_the_header_on_a_desktop(desktop):
    anchors_land_below_the_header(*desktop)


def test_exercise_links_land_below_the_header_on_a_phone(phone):
    anchors_land_below_the_header(*phone)


@pytest.mark.parametrize('section', [written_sections()[0], written_sections()[-1]],
                         ids=lambda s: s['section'])
def test_coverage_table_links_land_on_the_heading(browser, server, section):
    """From the coverage table on the landing page to an exercise on another page,
    on a phone: the heading is on screen once the page (and its math) has settled."""
    visit = Visit(browser, server, 'intro.html', PHONE)
    target = anchor(section['exercises'][-1]['id'])
    visit.page.locator(f'.coverage-table a[href$="#{target}"]').tap()
    visit.page.wait_for_url(f'**#{target}')
    visit.page.wait_for_load_state('networkidle')
    visit.page.evaluate('() => window.MathJax?.startup?.promise')
    visit.page.wait_for_timeout(300)
    box = visit.page.locator(f'#{target} > h2').bounding_box()
    assert visit.page.evaluate(STICKY_HEADER_BOTTOM) <= box['y'] < PHONE['height'] - box['height']
    visit.close()


def test_back_to_top_button_leaves_the_text(browser, server):
    """It appears in the corner while the reader scrolls up, then goes away."""
    visit = Visit(browser, server, page_of(written_sections()[0]), PHONE)
    page, button = visit.page, visit.page.locator('#pst-back-to-top')
    page.mouse.wheel(0, 3000)
    page.wait_for_timeout(300)
    page.mouse.wheel(0, -400)
    page.wait_for_timeout(300)
    box = button.bounding_box()
    assert button.is_visible() and box['width'] <= 48
    assert box['x'] >= PHONE['width'] - 80 and box['y'] >= PHONE['height'] - 100
    page.wait_for_timeout(3000)
    assert not button.is_visible()
    visit.close()


def test_pdf_link_is_never_dead(browser, server):
    """The download menu offers the whole-book PDF only where the site holds it, as
    _static/book-pdf.js says (its writers: test_reader)."""
    visit = Visit(browser, server, page_of(written_sections()[0]), DESKTOP)
    links = visit.page.locator('a.btn-download-book-pdf-button')
    assert links.count() == (1 if visit.page.evaluate('() => window.bookkitPdf') else 0)
    if links.count():
        status = visit.page.evaluate('async (url) => (await fetch(url, {method: "HEAD"})).status',
                                     links.first.get_attribute('href'))
        assert status == 200
    visit.close()


# --- the intro's promise, search, badges --------------------------------------

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
    visit = Visit(browser, server, page_of(section), viewport)
    cell = visit.page.locator('div.cell.tag_gpu').first
    badge = cell.evaluate("c => getComputedStyle(c, '::before').content")
    box = cell.bounding_box()
    visit.close()
    assert '训练单元格' in badge
    assert box['width'] <= viewport['width']


def loads_data(section):
    return 'load_data_fashion_mnist' in (ROOT / 'book' / section['source']).read_text('utf-8')


@pytest.mark.parametrize('section', [s for s in written_sections() if loads_data(s)],
                         ids=lambda s: s['section'])
@pytest.mark.parametrize('viewport', [DESKTOP, PHONE], ids=['desktop', 'phone'])
def test_stand_in_warning_is_on_screen(browser, server, section, viewport):
    if (ROOT / 'book' / 'data' / 'FashionMNIST' / 'STAND_IN').exists():
        visit = Visit(browser, server, page_of(section), viewport)
        warning = visit.page.locator('.stand-in-data')
        visible, box = warning.is_visible(), warning.bounding_box()
        visit.close()
        assert visible and box['width'] <= viewport['width'] and box['y'] < 2 * viewport['height']


# --- screenshots for review ----------------------------------------------------

def solution_with_plot(page):
    """Open the first solution that holds a plot and scroll so that the plot is in view."""
    solution = page.locator('.solution', has=page.locator('.cell_output img')).first
    solution.locator(':scope > .admonition-title').click()
    plot = solution.locator('.cell_output img').first
    plot.evaluate("i => window.scrollTo(0, i.getBoundingClientRect().top + scrollY - 220)")
    page.wait_for_timeout(300)
    return plot


SCREENSHOTS = {'intro': 'intro.html', 'probability': 'chapter_preliminaries/probability.html',
               'linear-regression-scratch': 'chapter_linear-networks/linear-regression-scratch.html'}


@pytest.mark.parametrize('name', SCREENSHOTS)
@pytest.mark.parametrize('viewport', [DESKTOP, PHONE], ids=['desktop', 'phone'])
def test_screenshots_for_review(browser, server, name, viewport):
    """Landing page; 2.6 and 3.2 with a solution open and its plot on screen."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    visit = Visit(browser, server, SCREENSHOTS[name], viewport)
    if name != 'intro':
        box = solution_with_plot(visit.page).bounding_box()
        assert 0 <= box['y'] and box['y'] + box['height'] <= viewport['height']
        if viewport == PHONE:
            assert box['width'] >= 0.8 * PHONE['width'], 'the plot is too small to read'
    shot = SHOTS / f"{name}-{viewport['width']}.png"
    visit.page.screenshot(path=str(shot))
    visit.close()
    assert shot.stat().st_size > 10_000
