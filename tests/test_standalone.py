"""Every executed notebook runs as a downloaded copy would, in Colab or a plain Jupyter.

Each notebook behind a page's download and Colab buttons runs top to bottom in an
environment without d2l, myst-nb or this repository, without the build's
matplotlibrc or kernel settings, from a temporary folder, with Fashion-MNIST where
its download would put it (how, and why that environment stands in for Colab:
tests/standalone.py). Its setup cell must install what is missing once, from the
registry, and do nothing in the notebooks that follow; Chinese plot labels must find
their glyphs. test_determinism.py compares the printed outputs with the build's.
"""
import pytest
from conftest import ROOT, executed_notebook, written_sections

SETUP_TAG = 'setup'
NO_GLYPH = 'missing from font'  # matplotlib's warning for a character the font lacks
NO_FONT = '未找到中文字体'        # the setup cell's line when no CJK font can be had


def printed(cell):
    return ''.join(o.get('text', '') for o in cell.get('outputs', []) if o.output_type == 'stream')


def setup_output(nb):
    cell = next(c for c in nb.cells if c.cell_type == 'code')
    assert SETUP_TAG in cell.metadata.get('tags', []), 'the first code cell is not the setup cell'
    return printed(cell)


def test_every_executed_notebook_is_run(site):
    built = set((ROOT / '_build' / 'jupyter_execute').rglob('*.ipynb'))
    assert built == {executed_notebook(s) for s in written_sections()}


def test_environment_starts_without_what_the_notebooks_install(standalone_runs):
    _, facts = standalone_runs
    assert facts['present before the first run'] == []


@pytest.mark.parametrize('section', written_sections(), ids=lambda s: s['section'])
def test_notebook_runs_top_to_bottom(standalone_runs, section):
    run = standalone_runs[0][section['section']]
    assert run.notebook is not None, run.error


def test_setup_cell_installs_once_then_does_nothing(standalone_runs):
    runs, facts = standalone_runs
    first = setup_output(runs[facts['first']].notebook).splitlines()
    assert '已安装 d2l==0.17.6 myst-nb==1.4.0' in first, first
    assert all(line.startswith('已安装 ') for line in first), first
    later = {name: setup_output(run.notebook) for name, run in runs.items()
             if name != facts['first'] and run.notebook is not None}
    assert later and all(out == '' for out in later.values()), later


@pytest.mark.parametrize('section', written_sections(), ids=lambda s: s['section'])
def test_plot_labels_have_their_glyphs(standalone_runs, section):
    """In the standalone run and in the build alike: the setup cell sets the font in both."""
    import nbformat
    run = standalone_runs[0][section['section']]
    for nb in (run.notebook, nbformat.read(executed_notebook(section), as_version=4)):
        assert nb is not None, run.error
        text = ''.join(printed(c) for c in nb.cells if c.cell_type == 'code')
        assert NO_GLYPH not in text and NO_FONT not in text

