"""How cell outputs read on the page (the downloadable notebooks keep them as executed).

- A cell tagged `raises-exception` shows the error it demonstrates, not a
  traceback through the build machine's site-packages.
- A pandas table whose index has a name shows it in the header row, not in a
  second, otherwise empty header row; its text columns are aligned left.
- A plot's alt text is its figure caption; a plot without a caption fails the build.
"""
import re

from bs4 import BeautifulSoup
from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)

HEADER = re.compile(r'^(\S+)\s+Traceback \(most recent call last\)$', re.M)
# what pandas prints in a numeric column; an empty cell does not make a column text
NUMBER = re.compile(r'([-+−]?(\d[\d,]*(\.\d*)?(e[-+]?\d+)?%?|nan|inf))?', re.I)
TEX_WORDS = {'pm': '±', 'le': '≤', 'ge': '≥', 'times': '×', 'cdot': '·', 'infty': '∞',
             'lambda': 'λ', 'sigma': 'σ', 'mu': 'μ', 'kappa': 'κ', 'delta': 'δ'}


def in_cell(node, tag):
    """Is node inside a code cell that carries this tag?"""
    while node is not None:
        if node.get('nb_element') == 'cell_code':
            return f'tag_{tag}' in node['classes']
        node = node.parent
    return False


def exception_lines(traceback):
    """The last exception's 'Name: message' lines of an IPython traceback, or None."""
    headers = HEADER.findall(traceback)
    if not headers:
        return None
    name = headers[-1]
    start = traceback.rfind(f'\n{name}:')
    if start < 0:
        start = traceback.rfind(f'\n{name}\n')
    return traceback[start + 1:].rstrip() if start >= 0 else None


class ShortTracebacks(SphinxTransform):
    default_priority = 700

    def apply(self):
        for block in list(self.document.findall(nodes.literal_block)):
            if 'traceback' not in block['classes'] or not in_cell(block, 'raises-exception'):
                continue
            short = exception_lines(block.astext())
            if short is None:
                logger.warning('no exception line found in this traceback', location=block)
                continue
            block.rawsource = short
            block.children = []
            block += nodes.Text(short)


def filled(cells):
    return [cell.get_text(strip=True) != '' for cell in cells]


def merge_index_name(table):
    """Move the index name(s) from pandas' second header row, which holds nothing
    else, into the corner of the first (next to the columns' name, if any)."""
    rows = table.select('thead > tr')
    if len(rows) != 2:
        return
    top, names = rows[0].find_all('th'), rows[1].find_all('th')
    levels = sum(filled(names))
    if levels and len(top) == len(names) and \
            filled(names) == [True] * levels + [False] * (len(names) - levels):
        for corner, name in zip(top, names[:levels]):  # a columns name stays: "rows \\ columns"
            columns = corner.get_text(strip=True)
            corner.string = f'{name.get_text()} \\ {columns}' if columns else name.get_text()
        rows[1].decompose()


def mark_text_columns(table):
    """Class `text-column` on the cells (and header) of every column that is not all numbers."""
    body = [row.find_all('td') for row in table.select('tbody > tr')]
    header = table.select('thead > tr')[-1].find_all('th')
    width = max(map(len, body), default=0)
    for j in range(width):
        column = [row[j] for row in body if j < len(row)]
        if not all(NUMBER.fullmatch(cell.get_text(strip=True)) for cell in column):
            for cell in column + [header[len(header) - width + j]]:
                cell['class'] = cell.get('class', []) + ['text-column']


def tidy_dataframe(html):
    """A pandas table as readers expect it: one header row, text columns aligned left
    (numbers stay right-aligned, see bookkit.css)."""
    soup = BeautifulSoup(html, 'html.parser')
    for table in soup.select('table.dataframe'):
        merge_index_name(table)
        mark_text_columns(table)
    return str(soup)


class PandasTables(SphinxTransform):
    default_priority = 700

    def apply(self):
        for raw in list(self.document.findall(nodes.raw)):
            if raw.get('format') == 'html' and 'class="dataframe"' in raw.astext():
                html = tidy_dataframe(raw.astext())
                raw.replace_self(nodes.raw('', html, format='html', classes=raw['classes']))


def plain_text(caption):
    """A caption as alt text: TeX commands become symbols or words, braces go."""
    text = re.sub(r'\\([A-Za-z]+)', lambda m: TEX_WORDS.get(m.group(1), m.group(1)),
                  caption.astext())
    return re.sub(r'[{}]|\s+(?=\s)', '', text).strip()


def enclosing_figure(node):
    """The figure that holds node (myst-nb puts the image in a mime bundle inside it)."""
    while node is not None and not isinstance(node, nodes.figure):
        node = node.parent
    return node


class PlotAltText(SphinxTransform):
    default_priority = 700

    def apply(self):
        for image in self.document.findall(nodes.image):
            if image.get('alt', '').strip() and image['alt'] != image['uri']:
                continue
            figure = enclosing_figure(image)
            caption = next(figure.findall(nodes.caption), None) if figure else None
            if caption is not None:
                image['alt'] = plain_text(caption)
            else:
                logger.warning('a plot without a caption has no alt text: give its cell '
                               '`mystnb: {figure: {caption: ..., name: ...}}` metadata',
                               location=image)
