"""SVG plots in the PDF edition: converted to PNG by rsvg-convert (librsvg2-bin).

d2l.plot switches the inline backend to SVG, which LaTeX cannot include. PNG at
three times the SVG's size (about 200 dpi for the book's figures) keeps the
plots sharp, and every plot stays an image of the PDF.
"""
import shutil
import subprocess

from sphinx.errors import ExtensionError
from sphinx.transforms.post_transforms.images import ImageConverter

ZOOM = 3


class SvgToPng(ImageConverter):
    conversion_rules = [('image/svg+xml', 'image/png')]

    def is_available(self):
        if shutil.which('rsvg-convert') is None:
            raise ExtensionError('SVG plots need rsvg-convert for the PDF: install the Debian '
                                 'package librsvg2-bin (scripts/install-system-packages.sh)')
        return True

    def convert(self, _from, _to):
        subprocess.run(['rsvg-convert', f'--zoom={ZOOM}', '--format=png', f'--output={_to}',
                        str(_from)], check=True, capture_output=True)
        return True
