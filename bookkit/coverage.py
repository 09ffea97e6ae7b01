"""The `coverage-table` directive: the catalogue, rendered at build time.

One row per section: number and title (linked to our page), how many of its
exercises the page answers (counted by their `ex-…` labels), and the section
on zh.d2l.ai; a last row with the totals.
"""
import re

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

from . import ROOT, catalogue

LABEL = re.compile(r'^:label:\s*(ex-[\d-]+)\s*$', re.M)


def answered(section):
    text = (ROOT / 'book' / section['source']).read_text(encoding='utf-8')
    return set(LABEL.findall(text)) & {catalogue.anchor(e['id']) for e in section['exercises']}


class CoverageTable(SphinxDirective):
    def run(self):
        self.env.note_dependency(str(catalogue.PATH))
        rows = ['| 小节 | 习题 | 已解答 | 原书 |', '| --- | --- | --- | --- |']
        n_done = n_all = 0
        for s in catalogue.sections():
            self.env.note_dependency(str(ROOT / 'book' / s['source']))
            done = answered(s)
            n_done, n_all = n_done + len(done), n_all + len(s['exercises'])
            links = ' '.join(f"{{ref}}`{e['id']} <{catalogue.anchor(e['id'])}>`"
                             if catalogue.anchor(e['id']) in done else e['id']
                             for e in s['exercises'])
            rows.append(f"| {{doc}}`{s['section']} {s['title']} </{s['source'][:-3]}>` | {links} "
                        f"| {len(done)}/{len(s['exercises'])} | [zh.d2l.ai]({s['url']}) |")
        rows.append(f'| **合计** | | **{n_done}/{n_all}** | |')
        container = nodes.container(classes=['coverage-table'])
        self.state.nested_parse(StringList(rows, source='exercises.yml'), self.content_offset,
                                container)
        return [container]
