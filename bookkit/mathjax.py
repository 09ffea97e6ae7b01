"""Serve MathJax 3 from the site itself (vendored from npm), never from a CDN.

`make env` runs `npm install`, which puts the pinned mathjax package under
node_modules/; the build copies the TeX-input/CHTML-output component with the
fonts and lazily loaded extensions into _static/mathjax/.

MathJax's menu puts every formula in the tab order by default, so a keyboard
user tabs through every inline symbol before reaching the next link or
button; here formulas stay out of it (screen readers still read them).
"""
import shutil

from sphinx.errors import ExtensionError

from . import ROOT

SOURCE = ROOT / 'node_modules' / 'mathjax' / 'es5'
ENTRY = 'tex-chtml.js'
# Loaded on demand by tex-chtml.js: TeX extensions, CHTML fonts, menu, accessibility.
PARTS = [ENTRY, 'input', 'output/chtml', 'ui', 'a11y', 'sre', 'adaptors']


def copy_mathjax(app):
    if app.builder.format != 'html':
        return
    if not (SOURCE / ENTRY).exists():
        raise ExtensionError(f'MathJax is not installed ({SOURCE / ENTRY} missing): '
                             'run `npm install` (part of `make env`).')
    target = app.outdir / '_static' / 'mathjax'
    for part in PARTS:
        src, dst = SOURCE / part, target / part
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)


def keep_formulas_out_of_tab_order(app, config):
    mathjax = config.mathjax3_config = dict(config.mathjax3_config or {})
    options = mathjax.setdefault('options', {})
    options.setdefault('menuOptions', {}).setdefault('settings', {})['inTabOrder'] = False
