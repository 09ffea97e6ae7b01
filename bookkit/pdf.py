"""Checks around the PDF edition (`make pdf`).

    python -m bookkit.pdf tools    # before the LaTeX build: are xelatex and friends installed?
    python -m bookkit.pdf current  # exit 0 when book.pdf was built from the inputs there now
    python -m bookkit.pdf finish   # after it: fail on LaTeX errors or missing glyphs, publish

`finish` copies _build/latex/book.pdf to _build/html/book.pdf, where every page's
download menu links it (and tells the pages so), and records the inputs it was built from, so that a
rebuild with nothing changed (`make book` twice) skips LaTeX.
"""
import hashlib
import re
import shutil
import sys

from jupyter_cache import get_cache

from . import ROOT
from .page_buttons import publish_pdf_state

LATEX = ROOT / '_build' / 'latex'
PDF, LOG = LATEX / 'book.pdf', LATEX / 'book.log'
PUBLISHED = ROOT / '_build' / 'html' / 'book.pdf'
MAX_BYTES = 40 * 2**20
# program -> Debian package (scripts/install-system-packages.sh installs them all)
TOOLS = {'xelatex': 'texlive-xetex', 'latexmk': 'latexmk', 'rsvg-convert': 'librsvg2-bin'}
PROBLEMS = re.compile(r'^! .*|^.*Missing character.*$', re.M)
INPUTS = LATEX / 'bookkit-inputs'
CACHE = ROOT / '_build' / '.jupyter_cache'


def inputs_digest():
    """Everything the PDF is made from: sources, configuration, build code, executed outputs."""
    digest = hashlib.sha256()
    files = [ROOT / '_config.yml', ROOT / '_toc.yml', ROOT / 'requirements.txt', *sorted((ROOT / 'bookkit').iterdir()),
             *sorted(p for p in (ROOT / 'book').rglob('*')
                     if 'data' not in p.relative_to(ROOT / 'book').parts)]
    for path in files:
        if path.is_file():
            digest.update(f'{path.relative_to(ROOT)}\0'.encode() + path.read_bytes())
    records = sorted((r.pk, r.hashkey) for r in get_cache(str(CACHE)).list_cache_records())
    digest.update(repr(records).encode())
    return digest.hexdigest()


def current():
    """Exit 0 when book.pdf exists and was built from exactly these inputs."""
    built = INPUTS.read_text() if INPUTS.exists() else None
    sys.exit(0 if PDF.exists() and built == inputs_digest() else 1)


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
    publish_pdf_state(PUBLISHED.parent)  # the site's download menu now offers it
    INPUTS.write_text(inputs_digest())
    print(f'{PUBLISHED} ({PDF.stat().st_size / 2**20:.1f} MB)')


if __name__ == '__main__':
    {'tools': tools, 'current': current, 'finish': finish}[sys.argv[1]]()
