"""The site's search in Chromium finds the book's own terms (bookkit/search.py,
book/_static/book-search.js).

Which pages contain a query is read from the built HTML (the text of each page's
article), not from the search index. Every term of the dictionary
bookkit/search_terms.txt is an index term of every page that contains it, and on
the search page itself:
- every dictionary term that occurs on some page returns every page that contains
  it (through the page's own query functions);
- QUERIES, typed as a reader would (Chinese terms, several words, words run
  together, English words and API names in any case, one-character terms): the
  result list holds every page that contains all the words, and no other page
  for a single term; the recall is printed;
- snippets are plain text around a match, without the TeX of the page's formulas;
- opening a result shows the first match, with its exercise's 简答 and 完整解答 open.
And in a throw-away book: a term added to the dictionary is indexed by the next build.
"""
import json
import re
import shutil
import subprocess
from functools import cache
from urllib.parse import quote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import BOOK, HTML, JB, ROOT

from bookkit.search import read_terms

DICTIONARY = read_terms(ROOT / 'bookkit' / 'search_terms.txt')
QUERIES = [
    # the terms of issue 15 (half of them found nothing before the dictionary)
    '学习率', '过拟合', '交叉熵', '正则化', '反向传播', '梯度下降', '随机梯度下降', '独热编码',
    '权重衰减', '损失函数', '条件概率', '矩阵乘法', '偏导数', '超参数', '测试集', '数据集',
    '张量', '广播', '小批量', '链式法则', '范数',
    # more of the book's terms, two of them one character long
    '熵', '秩', '黑塞矩阵', '正规方程', '自动微分', '舍入误差', '上溢', '贝叶斯定理', '假阳性',
    '缺失值', '定长码', '协方差', '批量大小', '训练循环', '数据增强',
    # several words, and words run together
    '权重 衰减', '学习 率', '交叉熵 损失', '梯度 下降 学习率', '小批量平均损失', '线性回归模型',
    'softmax回归', '测试精度曲线',
    # English words and API names, in any case
    'softmax', 'logsumexp', 'SGD', 'torch.cat', 'requires_grad', 'log_softmax', 'nn.Linear',
    'DataLoader', 'huber', 'ARGMAX', 'torch.linalg.norm', 'F.cross_entropy',
]
# Results opened from the search page, and the folded block that holds their first
# match in an exercise.
LANDINGS = {'正规方程': 'short-answer', '链式法则': 'solution'}
NOT_PAGES = {'search.html', 'genindex.html'}  # generated, not searched
RERUN = """query => {
    document.querySelectorAll('input[name="q"]').forEach(input => (input.value = query));
    document.getElementById('search-results').replaceChildren();
    Search.performSearch(query);
}"""
FINISHED = """() => Search.status && Search.status.innerText !== '' &&
    [...document.querySelectorAll('#search-results ul.search li')]
        .every(li => li.querySelector('p.context'))"""
RESULTS = """() => [...document.querySelectorAll('#search-results ul.search li')].map(li => ({
    href: li.querySelector('a').getAttribute('href'),
    snippet: li.querySelector('p.context').textContent,
    marked: li.querySelectorAll('p.context span.highlighted').length}))"""
SEARCH_ALL = """terms => Object.fromEntries(terms.map(term => {
    const [query, words, excluded, highlight, objects] = Search._parseQuery(term);
    const results = Search._performSearch(query, words, excluded, highlight, objects);
    return [term, [...new Set(results.map(r => r[0] + DOCUMENTATION_OPTIONS.FILE_SUFFIX))]];
}))"""


def search_index(site):
    text = (site / 'searchindex.js').read_text(encoding='utf-8')
    return json.loads(text[text.index('(') + 1:text.rindex(')')])


def index_terms(site):
    index = search_index(site)
    return set(index['terms']) | set(index['titleterms'])


@cache
def articles():
    """Page (path relative to the site) -> its article: text (lowercased) and formulas."""
    pages = {}
    for path in sorted(HTML.rglob('*.html')):
        soup = BeautifulSoup(path.read_text(encoding='utf-8'), 'html.parser')
        article = soup.select_one('article.bd-article')
        if article is None or path.name in NOT_PAGES:
            continue
        for link in article.select('.headerlink'):
            link.decompose()
        formulas = {m.get_text().strip() for m in article.select('.math')}
        pages[path.relative_to(HTML).as_posix()] = (article.get_text().lower(), formulas)
    return pages


def pages_containing(query):
    words = query.lower().split()
    return {page for page, (text, _) in articles().items() if all(w in text for w in words)}


def raw_tex(formula):
    """The TeX source of a formula as it stands in the HTML, if it shows as TeX."""
    inner = re.sub(r'^\\[(\[]|\\[)\]]$', '', formula).strip()
    return inner if re.search(r'[\\{]', inner) else None


class Searcher:
    """The site's search page in one browser tab, with the errors it logs."""

    def __init__(self, browser, server):
        self.server = server
        self.page = browser.new_page(viewport={'width': 1280, 'height': 900})
        self.errors = []
        self.page.on('console', lambda m: m.type == 'error' and self.errors.append(m.text))
        self.page.on('pageerror', lambda e: self.errors.append(str(e)))

    def search(self, query):
        """The first query opens search.html?q=…; later ones rerun the page's search."""
        if '/search.html' in self.page.url:
            self.page.evaluate(RERUN, query)
        else:
            self.page.goto(f'{self.server}search.html?q={quote(query)}')
        self.page.wait_for_function(FINISHED, timeout=15000)
        return self.page.evaluate(RESULTS)


def found(results):
    return {urlsplit(r['href']).path for r in results}


@pytest.fixture(scope='module')
def searcher(browser, server):
    searcher = Searcher(browser, server)
    yield searcher
    searcher.page.close()
    assert searcher.errors == []


@pytest.fixture(scope='module')
def answers(searcher):
    """Query -> the search page's results (link, snippet), typed into the page."""
    return {query: searcher.search(query) for query in QUERIES}


def test_the_dictionary_is_the_books_vocabulary():
    assert len(DICTIONARY) >= 300
    assert len(set(DICTIONARY)) == len(DICTIONARY), 'a term is listed twice'
    assert [t for t in DICTIONARY if not re.fullmatch('[\u4e00-\u9fff]+', t)] == [], \
        'Chinese terms only: the indexer finds Latin words and API names itself'
    occurring = [t for t in DICTIONARY if pages_containing(t)]
    assert len(occurring) >= 300, 'most terms should come from the pages'
    assert any(len(t) == 1 for t in occurring)


def test_every_dictionary_term_is_an_index_term_of_every_page_that_contains_it(site):
    index = search_index(site)
    pages = [f'{name}.html' for name in index['docnames']]

    def indexed(term):
        files = [index[table].get(term, []) for table in ('terms', 'titleterms')]
        return {pages[f] for entry in files for f in ([entry] if isinstance(entry, int) else entry)}

    missing = {term: sorted(pages_containing(term) - indexed(term)) for term in DICTIONARY}
    assert {term: pages for term, pages in missing.items() if pages} == {}


def test_every_dictionary_term_finds_every_page_that_contains_it(searcher, capsys):
    searcher.search('张量')  # the page with its index loaded
    results = searcher.page.evaluate(SEARCH_ALL, DICTIONARY)
    present = {term: pages_containing(term) for term in DICTIONARY if pages_containing(term)}
    missed = {term: sorted(pages - set(results[term])) for term, pages in present.items()
              if pages - set(results[term])}
    with capsys.disabled():
        print(f'\ndictionary recall: {len(present) - len(missed)}/{len(present)} terms that occur '
              'on a page find every page that contains them')
    assert missed == {}


def test_queries_find_every_page_that_contains_them(answers, capsys):
    present = {q: pages_containing(q) for q in QUERIES}
    assert [q for q in QUERIES if not present[q]] == [], 'a query that no page contains tests nothing'
    pairs = sum(len(p) for p in present.values())
    missed = {q: sorted(present[q] - found(answers[q])) for q in QUERIES}
    missed = {q: pages for q, pages in missed.items() if pages}
    with capsys.disabled():
        print(f'\nsearch recall: {len(QUERIES) - len(missed)}/{len(QUERIES)} queries find every page '
              f'that contains them; {pairs - sum(map(len, missed.values()))}/{pairs} (query, page) pairs')
    assert missed == {}


def test_single_terms_find_only_pages_that_contain_them(answers):
    """A dictionary term or an English word is matched as written (words run
    together may also match pages that hold their parts apart)."""
    extra = {q: sorted(found(answers[q]) - pages_containing(q))
             for q in QUERIES if q in DICTIONARY or q.isascii() and ' ' not in q}
    assert {q: pages for q, pages in extra.items() if pages} == {}


def test_snippets_are_plain_text_around_a_match(answers):
    for query, results in answers.items():
        for result in results:
            page = urlsplit(result['href']).path
            snippet = result['snippet']
            assert result['marked'] > 0, (query, page, snippet)
            assert not re.search(r'\\[()\[\]]', snippet), (query, page, snippet)
            tex = [t for t in map(raw_tex, articles()[page][1]) if t and t in snippet]
            assert tex == [], (query, page, snippet)


@pytest.mark.parametrize('query', LANDINGS)
def test_a_result_opens_at_the_match_with_its_solution_unfolded(browser, server, query):
    searcher = Searcher(browser, server)
    searcher.search(query)
    searcher.page.locator('#search-results ul.search li a').first.click()
    searcher.page.wait_for_function('() => document.documentElement.dataset.searchLanding',
                                    timeout=20000)
    landing = searcher.page.evaluate("""async () => {
        const exerciseOf = (e) => {
            let s = e.closest('section');
            while (s && !s.querySelector(':scope > .exercise')) s = s.parentElement.closest('section');
            return s;
        };
        const match = [...document.querySelectorAll('article span.highlighted')].find(exerciseOf);
        const exercise = exerciseOf(match);
        const visible = () => match.checkVisibility({visibilityProperty: true, opacityProperty: true});
        for (const end = Date.now() + 3000; !visible() && Date.now() < end;)  // unfolding fades in
            await new Promise(resolve => setTimeout(resolve, 50));
        const box = match.getBoundingClientRect();
        return {
            landed: document.documentElement.dataset.searchLanding,
            folded: match.closest('.dropdown')?.className || '',
            onScreen: box.top >= 0 && box.bottom <= innerHeight && visible(),
            exercise: exercise.querySelector(':scope > .exercise').id,
            closed: [...exercise.querySelectorAll(':scope > .dropdown.toggle-hidden')]
                .map(d => d.className),
        };
    }""")
    searcher.page.close()
    assert searcher.errors == []
    assert landing['landed'] == 'match'
    assert LANDINGS[query] in landing['folded'].split(), 'the first match moved: pick another query'
    assert landing['closed'] == [], f"{landing['exercise']}: still folded"
    assert landing['onScreen']


def test_a_term_added_to_the_dictionary_is_indexed_by_the_next_build(tmp_path):
    """No page changes, yet every page is re-read: its index terms depend on the dictionary."""
    terms = tmp_path / 'terms.txt'
    terms.write_text('熵\n', encoding='utf-8')
    config = yaml.safe_load((ROOT / '_config.yml').read_text(encoding='utf-8'))
    config['sphinx']['config']['html_search_options']['dict'] = str(terms)
    config['sphinx']['local_extensions'] = dict.fromkeys(config['sphinx']['local_extensions'], str(ROOT))
    (tmp_path / '_config.yml').write_text(yaml.safe_dump(config, allow_unicode=True), encoding='utf-8')
    book = tmp_path / 'book'
    shutil.copytree(BOOK / '_static', book / '_static')
    (book / 'page.md').write_text('# 演示\n\n训练时把梯度裁剪到固定的范数以内。\n', encoding='utf-8')
    (tmp_path / '_toc.yml').write_text('format: jb-book\nroot: page\n')
    command = [JB, 'build', str(book), '--config', str(tmp_path / '_config.yml'),
               '--toc', str(tmp_path / '_toc.yml'), '--path-output', str(tmp_path), '-n', '-W']

    def build():
        result = subprocess.run(command, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
        return index_terms(tmp_path / '_build' / 'html')

    assert '梯度裁剪' not in build()
    terms.write_text('熵\n梯度裁剪\n', encoding='utf-8')
    assert '梯度裁剪' in build()
