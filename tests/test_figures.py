"""The figure check (bookkit/figure_check.py): every plotted series is visible and its legend
entry matches it. Unit cases on in-process figures, then the planted 3.2.6 defect (six
learning rates, d2l.plot's four default line styles) failing a real build."""
import matplotlib
import pytest
from conftest import build_tiny_book, cell

from bookkit import figure_check

matplotlib.use('agg')
import matplotlib.pyplot as plt  # noqa: E402

X = list(range(5))
SIX = [[(i + 1) * (k + 1) for k in X] for i in range(6)]
LABELS = [f'lr={lr}' for lr in (0.001, 0.01, 0.03, 0.1, 1.0, 1.9)]
SIX_FMTS = ('-', 'm--', 'g-.', 'r:', 'c-o', 'k-s')


@pytest.fixture
def d2l(monkeypatch):
    """d2l with the check's recording wrappers, restored afterwards."""
    from d2l import torch as d2l
    monkeypatch.setattr(d2l, 'plot', d2l.plot)
    monkeypatch.setattr(d2l.Animator, 'add', d2l.Animator.add)
    figure_check.patch_d2l(d2l)
    return d2l


@pytest.fixture
def legend_recorded(monkeypatch):
    from matplotlib import axes
    monkeypatch.setattr(axes.Axes, 'legend', axes.Axes.legend)
    figure_check.patch_matplotlib(axes)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close('all')


def problems():
    return [p for n in plt.get_fignums() for p in figure_check.figure_problems(plt.figure(n))]


def test_d2l_plot_with_more_series_than_line_styles_fails(d2l, legend_recorded):
    d2l.plot(X, SIX, 'x', 'y', legend=LABELS, yscale='log')
    found = problems()
    assert any('passed 6 series but 4 are visible' in p for p in found), found
    assert any('given 6 labels but shows 4' in p for p in found), found


def test_d2l_plot_with_a_style_per_series_passes(d2l, legend_recorded):
    d2l.plot(X, SIX, 'x', 'y', legend=LABELS, yscale='log', fmts=SIX_FMTS)
    assert problems() == []


def test_animator_with_more_series_than_line_styles_fails(d2l):
    animator = d2l.Animator(xlabel='epoch')
    for x in X:
        animator.add(x, [x + i for i in range(5)])
    assert any('passed 5 series but 4 are visible' in p for p in problems())


def test_too_many_labels_for_the_lines_fails(legend_recorded):
    _, ax = plt.subplots()
    ax.plot(X, X)
    ax.plot(X, X[::-1])
    ax.legend(['a', 'b', 'c'])
    assert any('given 3 labels but shows 2' in p for p in problems())


def test_series_outside_the_view_fails():
    _, ax = plt.subplots()
    ax.plot(X, X, label='shown')
    ax.plot(X, [100 + x for x in X], 'r--', label='above the y limits')
    ax.set_ylim(0, 10)
    ax.legend()
    found = problems()
    assert any("'above the y limits' matches no visible line" in p for p in found), found
    assert any('2 entries but only 1 visible series' in p for p in found), found


def test_non_positive_series_on_a_log_axis_fails():
    _, ax = plt.subplots()
    ax.plot(X, [x + 1 for x in X], label='positive')
    ax.plot(X, [-1] * len(X), 'r--', label='negative')
    ax.set_yscale('log')
    ax.legend()
    assert any("'negative' matches no visible line" in p for p in problems())


def test_legend_entries_drawn_alike_fail():
    _, ax = plt.subplots()
    ax.plot(X, X, 'b-', label='a')
    ax.plot(X, X[::-1], 'b-', label='b')
    ax.legend()
    assert any("'a' and 'b' are drawn alike" in p for p in problems())


def test_usual_figures_pass(legend_recorded):
    """Markers only, colour cycle, reference lines, bars, filled areas and a figure legend."""
    fig, (ax1, ax2) = plt.subplots(1, 2)
    for i in range(6):
        ax1.plot(X, [x + i for x in X], label=f'P(die={i + 1})')
    ax1.plot(X, X, '.', markersize=2, label='points')
    ax1.axvline(2, color='gray', linestyle=':')
    ax1.axhline(3, color='k', linestyle='--')
    ax1.legend()
    ax2.bar(X, X, label='bars')
    ax2.fill_between(X, X, label='area')
    ax2.hist([1, 2, 2, 3], label='hist')
    ax2.legend()
    fig.legend(['first'], loc='upper left')
    assert problems() == []


def test_planted_3_2_6_defect_fails_the_build(tmp_path):
    """A page whose six-series d2l.plot shows four lines: the build fails at that cell."""
    setup = ('%matplotlib inline\nfrom d2l import torch as d2l\n'
             f'x, ys, labels = {X}, {SIX}, {LABELS}')
    good = f'd2l.plot(x, ys, legend=labels, yscale="log", fmts={SIX_FMTS})'
    planted = 'd2l.plot(x, ys, legend=labels, yscale="log")  # four default line styles'
    code, out = build_tiny_book(tmp_path, cell(setup) + cell(good) + cell(planted))
    assert code != 0, out
    assert 'broken.md' in out and 'Executing notebook failed' in out, out
    assert planted in out, 'the failing cell is named'
    assert 'FigureCheckError' in out and 'passed 6 series but 4 are visible' in out, out
    assert good not in out, 'the cell with a style per series passed'
