"""Checks around the PDF edition (`make pdf`).

    python -m bookkit.pdf tools    # before the LaTeX build: are xelatex and friends installed?
    python -m bookkit.pdf finish   # after it: fail on LaTeX errors or missing glyphs, publish

`finish` copies _build/latex/book.pdf to _build/html/book.pdf, where every page's
download menu links it.
"""
import re
import shutil
import sys

from . import ROOT

LATEX = ROOT / '_build' / 'latex'
PDF, LOG = LATEX / 'book.pdf', LATEX / 'book.log'
PUBLISHED = ROOT / '_build' / 'html' / 'book.pdf'
MAX_BYTES = 40 * 2**20
# program -> Debian package (scripts/install-system-packages.sh installs them all)
TOOLS = {'xelatex': 'texlive-xetex', 'latexmk': 'latexmk', 'rsvg-convert': 'librsvg2-bin'}
PROBLEMS = re.compile(r'^! .*|^.*Missing character.*$', re.M)


def missing_tools():
    return {tool: pkg for tool, pkg in TOOLS.items() if shutil.which(tool) is None}


def tools():
    missing = missing_tools()
    if missing:
        sys.exit('the PDF edition needs ' + ', '.join(missing) + ': install the Debian packages '
                 + ' '.join(sorted(set(missing.values()))) + ' (all of TeX Live that it needs: '
                 'bash scripts/install-system-packages.sh)')


def problems(log_text):
    """LaTeX errors ('! ...') and missing glyphs in a LaTeX log."""
    return PROBLEMS.findall(log_text)


def finish():
    if not PDF.exists():
        sys.exit(f'no {PDF}: the LaTeX run failed, see {LOG}')
    found = problems(LOG.read_text(encoding='utf-8', errors='replace'))
    if found:
        sys.exit(f'{LOG}:\n' + '\n'.join(found[:20]))
    if PDF.stat().st_size > MAX_BYTES:
        sys.exit(f'{PDF} is {PDF.stat().st_size / 2**20:.1f} MB (limit 40 MB)')
    shutil.copy2(PDF, PUBLISHED)
    print(f'{PUBLISHED} ({PDF.stat().st_size / 2**20:.1f} MB)')


if __name__ == '__main__':
    {'tools': tools, 'finish': finish}[sys.argv[1]]()
