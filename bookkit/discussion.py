"""A closing line on every section page: its discussion thread on the d2l forum
(the catalogue's `discuss` field), with the address written out so that it also
serves in print."""
from docutils import nodes
from sphinx.transforms import SphinxTransform

from . import catalogue


class DiscussionLink(SphinxTransform):
    default_priority = 700

    def apply(self):
        section = catalogue.by_docname().get(self.env.docname)
        top = next(self.document.findall(nodes.section), None)
        if section is None or top is None:
            return
        self.env.note_dependency(str(catalogue.PATH))
        url = section['discuss']
        line = nodes.paragraph('', '', classes=['discuss-link'])
        line += nodes.Text('本节在 d2l 论坛上的讨论帖：')
        line += nodes.reference('', url.removeprefix('https://'), refuri=url)
        top += line
