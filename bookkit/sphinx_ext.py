"""Sphinx extension for the book's build-time concerns.

- sets the kernels' environment and checks that the CJK font the setup cell of
  every page picks for plot labels is installed (the build installs nothing);
- refuses to build pages that need Fashion-MNIST when the data is missing, or
  when it is the stand-in and BOOK_REQUIRE_REAL_DATA is set (publishing);
- puts a visible warning on every page built from the stand-in data;
- writes an execution report (_build/exec-report.{json,md}) at the end;
- serves MathJax from the site, adds the page buttons (notebook, PDF, Colab,
  original book), the `coverage-table` directive for the landing page and the
  `data-source` directive for the build-info page;
- leaves the pages' setup cell out of the PDF (setup_cell.py).
"""
import gettext
import re
import time
from pathlib import Path

import nbformat
import sphinx.locale
from jupyter_cache import get_cache
from myst_nb.core.read import is_myst_markdown_notebook
from sphinx.errors import ExtensionError

from . import exec_report, fashion_mnist, invalidation, prefill, reader, set_kernel_env
from .build_info import DataSource
from .coverage import CoverageTable
from .mathjax import copy_mathjax
from .page_buttons import add_buttons, notebooks_ref
from .setup_cell import DropSetupCell
from .svg_to_png import SvgToPng

PLOT_FONT = 'Noto Sans CJK SC'  # the setup cell's first choice (templates/section.md)
STAND_IN_WARNING = """
```{admonition} 注意：本页使用的是替代数据
:class: danger stand-in-data

构建本页时无法获得真实的 Fashion-MNIST，代码读到的是同一路径、同一 IDX 格式的**替代数据**（程序生成的 10 类服装轮廓）。
本页打印的精度、速度等数字只说明代码能正确运行，不是 Fashion-MNIST 上的真实结果。
```
"""


class SolutionTitle(gettext.NullTranslations):
    """sphinx-exercise's zh_CN catalogue lacks the bare 'Solution' title; it follows a
    separately folded 简答 on every page, so it is the full solution."""

    def gettext(self, message):
        return '完整解答' if message == 'Solution' else message


def set_kernel_environment(app, config):
    """Set the kernels' environment; fail early if the plots' CJK font is missing.

    Every page's setup cell picks the first CJK font it finds and would install one
    with apt-get as root: the build must find the font the site's plots use."""
    set_kernel_env()
    from matplotlib import font_manager
    try:
        font_manager.findfont(PLOT_FONT, fallback_to_default=False)
    except ValueError as err:
        raise ExtensionError(f'plot labels need the font {PLOT_FONT!r}: install the Debian '
                             'package fonts-noto-cjk (scripts/install-system-packages.sh)') from err


def translate_solution_title(app, config):
    translator = sphinx.locale.translators.get(('general', 'exercise'))
    if translator is not None and config.language.startswith('zh'):
        translator.add_fallback(SolutionTitle())


def check_data(app, docname, source):
    """On source-read: fail early on missing data, flag stand-in pages."""
    if invalidation.USES_DATA not in source[0]:
        return
    root = fashion_mnist.page_root(app.env.doc2path(docname))
    state = fashion_mnist.status(root)
    if state == 'missing':
        raise ExtensionError(f'{docname} needs Fashion-MNIST but {fashion_mnist.folders(root)[0]} '
                             'holds no data: run `make data` first.')
    if state == 'stand-in':
        if fashion_mnist.require_real():
            raise ExtensionError(f'{docname}: BOOK_REQUIRE_REAL_DATA is set but the '
                                 'Fashion-MNIST files are the stand-in; refusing to publish.')
        source[0] = re.sub(r'^(# .*\n)', lambda m: m.group(1) + STAND_IN_WARNING,
                           source[0], count=1, flags=re.M)


def depend_on_static_files(app, docname, source):
    """On source-read: a page is rewritten when the book's CSS or scripts change.

    Sphinx copies _static only when it writes some page, and the pages link each
    file with a checksum of its content; without this, `make html` after editing
    book/_static/bookkit.css alone would keep serving the old copy.
    """
    for path in (Path(app.srcdir) / '_static').rglob('*'):
        if path.is_file():
            app.env.note_dependency(str(path))


def record_start(app):
    app.env.bookkit_build_start = time.time()


def stale_pages(app, env, added, changed, removed):
    """On env-get-outdated: pages to re-read although their source did not change.

    Those whose cached outputs bookkit.invalidation dropped, failed or were never
    made (they execute now), and those whose outputs the parallel prefill cached
    after the page was last read.
    """
    cache_path = env.mystnb_config.execution_cache_path
    cache = get_cache(cache_path)
    invalidation.drop_stale(cache, cache_path)
    stale = set()
    for docname, read_at in env.all_docs.items():  # microseconds since the epoch
        path = Path(env.doc2path(docname))
        if path.suffix == '.md' and path.exists() and \
                is_myst_markdown_notebook(path.read_text(encoding='utf-8')) and \
                invalidation.outdated(cache, prefill.read(path), read_at / 1e6):
            stale.add(docname)
    return sorted(stale - set(changed) - set(added))


def executed_notebooks(app, env):
    """On env-updated: jupyter_execute/<page>.ipynb with the outputs.

    myst-nb writes that file from the source notebook, which holds the outputs only
    when the page was executed during this build; for a page served from the cache
    it has none. The download button, Colab and the tests read it: rewrite it, and
    the copy under _sources/ that the download button links, from the cache.
    """
    cache = get_cache(env.mystnb_config.execution_cache_path)
    folder = Path(env.mystnb_config.output_folder)
    for docname in env.found_docs:
        path = Path(env.doc2path(docname))
        text = path.read_text(encoding='utf-8')
        if not is_myst_markdown_notebook(text):
            continue
        try:
            _, nb = cache.merge_match_into_notebook(prefill.read(path))
        except KeyError:
            continue  # not in the cache: it failed, and the build reports it
        targets = [folder / f'{docname}.ipynb']
        if app.builder.format == 'html':  # the page's download button links this copy
            targets.append(Path(app.outdir) / '_sources' / f'{docname}.ipynb')
        for target in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, target)


def write_report(app, exception):
    if exception is None and app.builder.format == 'html':
        exec_report.write(app)


def setup(app):
    app.connect('config-inited', set_kernel_environment)
    app.connect('config-inited', translate_solution_title)
    app.connect('builder-inited', record_start)
    app.connect('source-read', check_data)
    app.connect('source-read', depend_on_static_files)
    app.connect('env-get-outdated', stale_pages)
    app.connect('env-updated', executed_notebooks)
    app.connect('builder-inited', copy_mathjax)
    app.add_config_value('notebooks_ref', notebooks_ref(), 'html')  # a new ref rewrites every page
    app.connect('html-page-context', add_buttons, priority=502)  # after the theme's buttons
    app.add_directive('coverage-table', CoverageTable)
    app.add_directive('data-source', DataSource)
    app.add_post_transform(SvgToPng)
    app.add_post_transform(DropSetupCell)
    app.connect('build-finished', write_report)
    reader.setup(app)  # reading on every screen and in print: bookkit/reader.py
    # env_version: bump when a transform changes, so that every page is read again
    return {'parallel_read_safe': True, 'parallel_write_safe': True, 'env_version': 3}
