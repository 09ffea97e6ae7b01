"""Header buttons on every section page.

Reveal: one click opens every collapsed short answer and solution (it presses the
buttons that sphinx-togglebutton put on them). Download: the executed notebook (.ipynb), the
MyST source (the theme's button) and the whole book as a PDF. Links (a menu with
words, since icons have no tooltips on a phone): the same section in the original
book on zh.d2l.ai, its discussion thread on the d2l forum, and the executed notebook
in Colab.

The publishing workflow pushes the executed notebooks to the `notebooks` branch and tags
that commit `notebooks-<source commit>`; a page built by the workflow (GITHUB_SHA set)
opens the notebook of its own commit in Colab, a page built elsewhere the branch.

The PDF link is in every page but only offered where the site holds book.pdf:
_static/book-pdf.js says whether it does (`publish_pdf_state`), and bookkit.js
removes the link when it does not. The HTML build writes that file; so must
whatever copies book.pdf into the site afterwards (bookkit.pdf finish).
"""
import os
from pathlib import Path

from . import catalogue

PDF_STATE = Path('_static') / 'book-pdf.js'

# Press sphinx-togglebutton's own button on every short answer and solution still hidden.
REVEAL_ALL = ("document.querySelectorAll('.short-answer.toggle-hidden > .admonition-title, "
              ".solution.toggle-hidden > .admonition-title').forEach(t => t.click())")
NOTEBOOKS_BRANCH = 'notebooks'  # .github/workflows/book.yml publishes the notebooks there
NOTEBOOKS_TAG = 'notebooks-{sha}'  # and tags them with the commit they were built from
COLAB = 'https://colab.research.google.com/github/{repo}/blob/{ref}/{docname}.ipynb'


def notebooks_ref():
    """The git ref of the published notebooks that belong to this build."""
    sha = os.environ.get('GITHUB_SHA')
    return NOTEBOOKS_TAG.format(sha=sha) if sha else NOTEBOOKS_BRANCH


def executed_notebook(app, docname):
    """The executed notebook's copy for download (see sphinx_ext.executed_notebooks)."""
    path = Path(app.outdir) / '_sources' / f'{docname}.ipynb'
    return path if path.exists() else None


def github_repo(app):
    url = app.config.html_theme_options.get('repository_url', '')
    return url.removeprefix('https://github.com/').strip('/')


def drop_duplicate_scripts(context):
    """Inline scripts that extensions add while documents are read (sphinx-thebe,
    sphinx-togglebutton) reach the page twice under Sphinx 7.4, once with filename
    None and once with '', and the second `const` declaration is a console error."""
    seen, unique = set(), []
    for script in context.get('script_files', []):
        key = (script.filename or '', tuple(sorted(script.attributes.items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context['script_files'] = unique


def publish_pdf_state(html_dir):
    """Write _static/book-pdf.js: does the site at html_dir hold book.pdf?"""
    present = (Path(html_dir) / 'book.pdf').exists()
    target = Path(html_dir) / PDF_STATE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(f'window.bookkitPdf = {str(present).lower()};\n', encoding='utf-8')


def write_pdf_state(app, *args):
    if app.builder.format == 'html':
        publish_pdf_state(app.outdir)


def add_buttons(app, pagename, templatename, context, doctree):
    drop_duplicate_scripts(context)
    buttons = context.get('header_buttons')
    if buttons is None:
        return
    pathto = context['pathto']
    downloads = next((b for b in buttons if b.get('label') == 'download-buttons'), None)
    notebook = executed_notebook(app, pagename)
    if downloads is not None:
        if notebook is not None:
            downloads['buttons'].insert(0, {
                'type': 'link', 'url': f"{pathto('_sources', 1)}/{pagename}.ipynb",
                'text': '.ipynb', 'icon': 'fas fa-code', 'tooltip': '下载已执行的笔记本',
                'label': 'download-notebook-button'})
        downloads['buttons'].append({
            'type': 'link', 'url': pathto('book.pdf', 1), 'text': '全书 PDF',
            'icon': 'fas fa-book', 'tooltip': '下载全书 PDF（离线阅读）',
            'label': 'download-book-pdf-button'})
    section = catalogue.by_docname().get(pagename)
    if section is None:
        return
    buttons.append({
        'type': 'javascript', 'javascript': REVEAL_ALL, 'tooltip': '展开本页全部解答',
        'icon': 'fas fa-eye', 'label': 'reveal-all-button'})
    links = [
        {'type': 'link', 'url': section['url'], 'text': f"原书 {section['section']} 节",
         'tooltip': 'zh.d2l.ai 上的原书小节', 'icon': 'fas fa-book-open',
         'label': 'original-book-button'},
        {'type': 'link', 'url': section['discuss'], 'text': '论坛讨论帖',
         'tooltip': 'd2l 论坛上本节的讨论帖', 'icon': 'fas fa-comments', 'label': 'discuss-button'},
    ]
    if notebook is not None:
        links.append({
            'type': 'link', 'url': COLAB.format(repo=github_repo(app), ref=app.config.notebooks_ref,
                                               docname=pagename),
            'text': '在 Colab 中打开', 'tooltip': '在 Colab 中打开已执行的笔记本',
            'icon': 'fas fa-rocket', 'label': 'colab-button'})
    buttons.append({'type': 'group', 'tooltip': '相关链接', 'icon': 'fas fa-link',
                    'buttons': links, 'label': 'links-buttons'})
