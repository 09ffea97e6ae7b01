"""Details of the PDF edition that the web pages do not need.

- xeCJK drops a space between two Chinese characters (it takes line breaks in the
  source for such spaces), so the chapter title 第 2 章 预备知识 printed as
  第 2 章预备知识. In titles such a space becomes an ideographic space (U+3000),
  which xeCJK keeps, in the headings, the contents and the PDF bookmarks.
- Figures are numbered within their section, as on the web (图 2.6.1): LaTeX does
  not number the sections (their titles carry the numbers), so each section page
  sets the figure number's prefix itself.
"""
import re

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from . import catalogue

CJK = r'[\u3400-\u9fff\uf900-\ufaff]'
SPACE_BETWEEN_CJK = re.compile(rf'(?<={CJK}) +(?={CJK})')
FIGURE_PREFIX = r'\setcounter{figure}{0}\renewcommand{\thefigure}{%s.\arabic{figure}}' + '\n'


class TitleSpaces(SphinxPostTransform):
    builders = ('latex',)
    default_priority = 700

    def run(self, **kwargs):
        for title in self.document.findall(nodes.title):
            for text in list(title.findall(nodes.Text)):
                spaced = SPACE_BETWEEN_CJK.sub('\u3000', text.astext())
                if spaced != text.astext():
                    text.parent.replace(text, nodes.Text(spaced))


class FigureNumbersInPrint(SphinxPostTransform):
    builders = ('latex',)
    default_priority = 700

    def run(self, **kwargs):
        titles = {}
        for s in catalogue.sections():  # chapter 1 is one page, headed 第 1 章 引言
            titles[f"{s['section']} {s['title']}"] = titles[f"第 {s['section']} 章 {s['title']}"] \
                = s['section']
        for section in self.document.findall(nodes.section):
            number = titles.get(re.sub(r'\s+', ' ', section[0].astext()))
            if number:
                section.insert(1, nodes.raw('', FIGURE_PREFIX % number, format='latex'))
