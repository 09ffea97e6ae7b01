"""Shared fixtures: the exercise catalogue, the toc, the built site, and Chromium serving it."""
import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from bookkit import catalogue as catalogue_module

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / 'book'
HTML = ROOT / '_build' / 'html'
anchor = catalogue_module.anchor


def catalogue():
    """Sections of book/exercises.yml, all of which the book covers (chapter 1 included)."""
    return list(catalogue_module.sections())


def is_written(section):
    return catalogue_module.PLACEHOLDER not in (BOOK / section['source']).read_text(encoding='utf-8')


def written_sections():
    return [s for s in catalogue() if is_written(s)]


def page_html(source):
    path = HTML / re.sub(r'\.md$', '.html', source)
    return path.read_text(encoding='utf-8')


@pytest.fixture(scope='session')
def site():
    if not (HTML / 'index.html').exists():
        pytest.fail('no built site: run `make html` first (`make test` does)')
    return HTML


@pytest.fixture(scope='session')
def standalone_runs(site, tmp_path_factory):
    """({section: standalone.Run}, facts): every written page's executed notebook, run as a
    downloaded copy runs (tests/standalone.py); the first section alone, the others after it."""
    import standalone

    from bookkit import fashion_mnist, prefill
    raw = fashion_mnist.folders()[0]
    if fashion_mnist.status() == 'missing':
        pytest.fail('no Fashion-MNIST in book/data: run `make data` first (`make test` does)')
    sections = written_sections()
    executed = {s['section']: executed_notebook(s) for s in sections}
    rest = sorted(sections[1:], key=lambda s: -prefill.last_seconds(BOOK / s['source']))
    order = [executed[s['section']] for s in sections[:1] + rest]  # the longest early
    runs, facts = standalone.run_all(order, tmp_path_factory.mktemp('standalone'), raw)
    facts['first'] = sections[0]['section']
    return {name: runs[path] for name, path in executed.items()}, facts


def executed_notebook(section):
    """The notebook the build executed for `section` (behind the download button)."""
    return ROOT / '_build' / 'jupyter_execute' / section['source'].replace('.md', '.ipynb')


@pytest.fixture(scope='session')
def exec_report(site):
    return json.loads((ROOT / '_build' / 'exec-report.json').read_text())


# --- the built site in Chromium (tests/test_browser.py, tests/test_search.py) --
CHROMIUM = shutil.which('chromium') or shutil.which('chromium-browser') or '/usr/bin/chromium'


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope='module')
def server(site):
    httpd = http.server.ThreadingHTTPServer(
        ('127.0.0.1', 0), functools.partial(QuietHandler, directory=str(HTML)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f'http://127.0.0.1:{httpd.server_port}/'
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope='module')
def browser():
    from playwright.sync_api import sync_playwright
    if not shutil.which(CHROMIUM):
        pytest.fail('no chromium: install the Debian package chromium '
                    '(bash scripts/install-system-packages.sh --tests)')
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=['--no-sandbox'])
        yield browser
        browser.close()


# --- building a throw-away one-page book -------------------------------------
JB = str(Path(sys.executable).with_name('jupyter-book'))
FRONT = """---
jupytext: {{text_representation: {{extension: .md, format_name: myst}}}}
kernelspec: {{display_name: Python 3, language: python, name: python3}}
{extra}---
# 故障演示

"""


def cell(code):
    return f'```{{code-cell}} ipython3\n{code}\n```\n'


def build_tiny_book(tmp_path, body, front='', env=None, page=None):
    """Build a one-page book with the real _config.yml; return (exit code, output).

    The page is FRONT + body, or the whole text `page`.
    """
    book = tmp_path / 'book'
    shutil.copytree(BOOK / '_static', book / '_static')
    text = page if page is not None else FRONT.format(extra=front) + body
    (book / 'broken.md').write_text(text, encoding='utf-8')
    (tmp_path / '_toc.yml').write_text('format: jb-book\nroot: broken\n')
    result = subprocess.run(
        [JB, 'build', str(book), '--config', str(ROOT / '_config.yml'), '--toc', str(tmp_path / '_toc.yml'),
         '--path-output', str(tmp_path), '-n', '-W', '--keep-going'],
        capture_output=True, text=True, timeout=300, env=dict(os.environ, **(env or {})))
    return result.returncode, re.sub(r'\x1b\[[0-9;]*m', '', result.stdout + result.stderr)


def hide_cjk_fonts(config_dir):
    """Write a matplotlib font cache to config_dir that lists no CJK font: with
    MPLCONFIGDIR=config_dir, matplotlib behaves as on a machine without one."""
    script = ('from matplotlib import font_manager as fm\n'
              'fm.fontManager.ttflist = [f for f in fm.fontManager.ttflist if "CJK" not in f.name]\n'
              'fm.json_dump(fm.fontManager, '
              f'{str(config_dir)!r} + f"/fontlist-v{{fm.FontManager.__version__}}.json")\n')
    subprocess.run([sys.executable, '-c', script], check=True)
