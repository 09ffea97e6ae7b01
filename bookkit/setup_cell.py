"""The PDF edition leaves out the setup cell that opens every notebook page.

That cell (tagged `setup`, text in templates/section.md) installs what a notebook
needs when it runs outside the book, in Colab or a plain Jupyter; the site folds
it to one line, and on paper it would only repeat itself in every section.
"""
from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform


class DropSetupCell(SphinxPostTransform):
    default_priority = 199
    formats = ('latex',)

    def run(self, **kwargs):
        for cell in list(self.document.findall(nodes.container)):
            if cell.get('nb_element') == 'cell_code' and 'tag_setup' in cell['classes']:
                cell.parent.remove(cell)
