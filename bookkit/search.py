"""Site search that finds the book's own terms: the index side.

Sphinx's Chinese indexer (sphinx/search/zh.py) cuts the text with jieba's
cut_for_search, drops one-character words and stems Latin words. A domain word
missing from jieba's dictionary never becomes an index term (学习率 is cut into
学习 + 率), and cut_for_search emits the pieces of a long word only when they are
two or three characters long (梯度下降 inside 随机梯度下降 is lost). BookSearch,
registered for html_search_language 'zh':

- loads the book's dictionary, html_search_options['dict'] (a jieba user
  dictionary, path relative to the repository), into jieba;
- adds every dictionary term that occurs in a text, also inside a longer word
  (熵 in 交叉熵), so that each one is an index term wherever it occurs;
- keeps one-character dictionary terms (熵), which the base filter drops;
- indexes dotted API names whole (torch.cat) and does not stem: an index term is
  the lowercased text, which book/_static/book-search.js matches by substring.

Every page's index terms depend on the dictionary, so editing it re-reads them all.
The browser side is book/_static/book-search.js (Jupyter Book puts every script
of book/_static on every page).
"""
import re
from pathlib import Path

from sphinx.errors import ConfigError
from sphinx.search.zh import SearchChinese

from . import ROOT

API_NAME = re.compile(r'[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+')
HAS_WORD_CHARACTER = re.compile(r'\w')


def dictionary_path(options):
    name = options.get('dict')
    path = ROOT / name if name else None
    if path is None or not path.is_file():
        raise ConfigError(f"html_search_options['dict'] must name the search dictionary "
                          f'(relative to {ROOT}); got {name!r}')
    return path


def read_terms(path):
    """The words of a jieba user dictionary: the first field of every non-empty line."""
    return [line.split()[0] for line in Path(path).read_text(encoding='utf-8').splitlines()
            if line.strip()]


class Dictionary:
    """Finds every occurrence of its terms in a text, nested ones included."""

    def __init__(self, terms):
        self.terms = frozenset(terms)
        longest_first = sorted(self.terms, key=len, reverse=True)
        # At each position the lookahead matches the longest term that starts there;
        # the shorter terms inside it (also those starting there) come from `inside`.
        alternatives = '|'.join(map(re.escape, longest_first))
        self._starts = re.compile(f'(?=({alternatives}))')
        self._inside = {term: [t for t in self.terms if t in term] for term in self.terms}

    def find(self, text):
        found = set()
        for match in self._starts.finditer(text):
            found.update(self._inside[match.group(1)])
        return found


class BookSearch(SearchChinese):
    def init(self, options):
        path = dictionary_path(options)
        terms = read_terms(path)
        if not terms:
            raise ConfigError(f'the search dictionary {path} is empty')
        super().init({**options, 'dict': str(path)})  # jieba.load_userdict
        self.dictionary = Dictionary(terms)

    def split(self, input):
        return (super().split(input) + sorted(self.dictionary.find(input))
                + API_NAME.findall(input))

    def word_filter(self, word):
        return HAS_WORD_CHARACTER.search(word) is not None and \
            (len(word) > 1 or word in self.dictionary.terms)

    def stem(self, word):
        return word.lower()


def depend_on_dictionary(app, doctree):
    app.env.note_dependency(str(dictionary_path(app.config.html_search_options)))


def setup(app):
    app.add_search_language(BookSearch)
    app.connect('doctree-read', depend_on_dictionary)
    return {'parallel_read_safe': True, 'parallel_write_safe': True}
