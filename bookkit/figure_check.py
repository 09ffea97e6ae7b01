"""Figure check: every plotted series is visible and its legend entry matches it.

Loaded into every kernel that executes a page (bookkit/ipython, named by IPYTHONDIR in
bookkit.KERNEL_ENV), so it covers the build, `make nb` and the tests that re-execute
pages. After each cell it inspects the open figures, before the inline backend shows
and closes them; a problem fails that cell with a FigureCheckError naming the figure,
so the build names the page and the cell. Pages import nothing from here.

A problem is:
- an axes that shows fewer series than the code passed to `d2l.plot` (or `d2l.Animator`):
  both draw one line per entry of their `fmts`, so extra series silently vanish;
- a legend with fewer entries than the labels passed to `legend(...)`, or more entries
  than visible series in its axes;
- a line legend entry that matches no visible line (colour, line style, marker), or two
  legend entries drawn alike.

A line is visible when it is drawn (line style or marker), not transparent, and has a
finite point inside its axes after scaling (a log axis hides values <= 0).

The kernel loads this file by path, outside the bookkit package: it imports only the
standard library up front, and patches matplotlib and d2l when a page imports them.
"""
import importlib.util
import inspect
import sys

NO_LINE = {'None', 'none', '', ' '}
NO_MARKER = {None, 'None', 'none', '', ' '}
SERIES = '_bookkit_series'          # on an Axes: how many series the plotting call passed
REQUESTED = '_bookkit_labels'       # on a Legend: how many labels its call passed


class FigureCheckError(AssertionError):
    """A figure hides a series or mislabels one."""


# --- what a figure shows -------------------------------------------------------------
def is_visible_line(line, ax):
    import numpy as np
    from matplotlib.colors import to_rgba
    if not line.get_visible() or line.get_alpha() == 0:
        return False
    no_line = line.get_linestyle() in NO_LINE or line.get_linewidth() == 0
    if no_line and line.get_marker() in NO_MARKER:
        return False
    if to_rgba(line.get_color())[3] == 0:
        return False
    xy = np.asarray(line.get_xydata(), dtype=float)
    if xy.size == 0:
        return False
    with np.errstate(all='ignore'):
        pixels = line.get_transform().transform(xy)
    x0, y0, x1, y1 = ax.bbox.extents
    tol = 0.5  # half a pixel: a point on the frame is shown
    inside = (np.isfinite(pixels).all(axis=1) & (pixels[:, 0] >= x0 - tol) & (pixels[:, 0] <= x1 + tol)
              & (pixels[:, 1] >= y0 - tol) & (pixels[:, 1] <= y1 + tol))
    return bool(inside.any())


def visible_lines(ax):
    _ = ax.viewLim  # applies pending autoscaling, so that the data transform is current
    return [line for line in ax.lines if is_visible_line(line, ax)]


def series_count(ax):
    """Visible series in an axes: lines, plus collections, containers (bars) and loose patches."""
    in_containers = {id(a) for c in ax.containers for a in c if a is not None}
    others = [c for c in ax.collections if c.get_visible()] + list(ax.containers) + [
        p for p in ax.patches if p.get_visible() and id(p) not in in_containers]
    return len(visible_lines(ax)) + len(others)


def line_style(line):
    from matplotlib.colors import to_rgba
    return (tuple(round(c, 3) for c in to_rgba(line.get_color())), line.get_linestyle(),
            str(line.get_marker()))


def legend_problems(legend, axes, where):
    from matplotlib.lines import Line2D
    entries = len(legend.get_texts())
    problems = []
    requested = getattr(legend, REQUESTED, entries)
    if requested > entries:
        problems.append(f'{where}: legend(...) was given {requested} labels but shows {entries} '
                        '(fewer plotted series than labels)')
    shown = sum(series_count(ax) for ax in axes)
    if shown < entries:
        problems.append(f'{where}: legend has {entries} entries but only {shown} visible series')
    drawn = {line_style(line) for ax in axes for line in visible_lines(ax)}
    styles = {}
    for handle, text in zip(legend.legend_handles, legend.get_texts()):
        if not isinstance(handle, Line2D):
            continue
        style, label = line_style(handle), text.get_text()
        if style not in drawn:
            problems.append(f'{where}: legend entry {label!r} matches no visible line')
        if style in styles:
            problems.append(f'{where}: legend entries {styles[style]!r} and {label!r} are drawn alike')
        styles.setdefault(style, label)
    return problems


def figure_problems(fig):
    """Problems of one figure, each naming the figure and the axes."""
    problems = []
    for i, ax in enumerate(fig.axes):
        where = f'figure {fig.number}, axes {i}' + (f' ({ax.get_ylabel()})' if ax.get_ylabel() else '')
        passed, shown = getattr(ax, SERIES, 0), len(visible_lines(ax))
        if shown < passed:
            problems.append(f'{where}: the code passed {passed} series but {shown} are visible '
                            '(d2l.plot and d2l.Animator draw one series per entry of fmts)')
        if ax.get_legend() is not None:
            problems += legend_problems(ax.get_legend(), [ax], where)
    for legend in fig.legends:
        problems += legend_problems(legend, fig.axes, f'figure {fig.number}, figure legend')
    return problems


# --- recording what the code passed ----------------------------------------------------
def one_axis(values):
    """d2l's own test for 'a single series' (d2l.plot's has_one_axis)."""
    return (hasattr(values, 'ndim') and values.ndim == 1
            or isinstance(values, list) and not hasattr(values[0], '__len__'))


def d2l_series(X, Y=None):
    """How many series d2l.plot(X, Y) is asked to draw."""
    values = X if Y is None else Y
    return 1 if one_axis(values) else len(values)


def patch_d2l(module):
    """Record on the axes how many series d2l.plot and d2l.Animator.add were given."""
    plot, signature = module.plot, inspect.signature(module.plot)

    def checked_plot(*args, **kwargs):
        plot(*args, **kwargs)
        bound = signature.bind(*args, **kwargs).arguments
        ax = bound.get('axes') or module.plt.gca()
        setattr(ax, SERIES, d2l_series(bound['X'], bound.get('Y')))

    add = module.Animator.add

    def checked_add(self, x, y):
        add(self, x, y)
        setattr(self.axes[0], SERIES, len(self.Y))

    checked_plot.__wrapped__, checked_add.__wrapped__ = plot, add
    module.plot, module.Animator.add = checked_plot, checked_add


def legend_labels(args, kwargs):
    """The labels a legend(...) call passes explicitly, or None."""
    if 'labels' in kwargs:
        return kwargs['labels']
    if len(args) == 1 and not kwargs.get('handles'):
        return args[0]
    return args[1] if len(args) >= 2 else None


def patch_matplotlib(module):
    """Record on each legend how many labels its Axes.legend call passed."""
    legend = module.Axes.legend

    def checked_legend(self, *args, **kwargs):
        result = legend(self, *args, **kwargs)
        labels = legend_labels(args, kwargs)
        if labels is not None:
            setattr(result, REQUESTED, len(list(labels)))
        return result

    checked_legend.__wrapped__ = legend
    module.Axes.legend = checked_legend


class PatchOnImport:
    """A meta path finder that applies patch(module) right after `name` is first imported."""

    def __init__(self, name, patch):
        self.name, self.patch = name, patch

    def find_spec(self, fullname, path=None, target=None):
        if fullname != self.name:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None:
            return spec
        exec_module = spec.loader.exec_module

        def exec_and_patch(module):
            exec_module(module)
            self.patch(module)

        spec.loader.exec_module = exec_and_patch
        return spec


def patch_when_imported(name, patch):
    if name in sys.modules:
        patch(sys.modules[name])
    else:
        sys.meta_path.insert(0, PatchOnImport(name, patch))


# --- the kernel hook ---------------------------------------------------------------------
def open_figure_problems():
    if 'matplotlib.pyplot' not in sys.modules:
        return []
    from matplotlib._pylab_helpers import Gcf  # the open figures, without changing the current one
    return [p for manager in Gcf.get_all_fig_managers() for p in figure_problems(manager.canvas.figure)]


def install(shell):
    """Check the figures after every cell of this IPython shell."""
    patch_when_imported('matplotlib.axes', patch_matplotlib)
    patch_when_imported('d2l.torch', patch_d2l)
    found = []

    def check():  # post_execute: registered first, so it runs before the inline backend closes figures
        found[:] = open_figure_problems()

    def fail_cell(result):
        if found and result is not None and result.error_in_exec is None:
            err = FigureCheckError('\n'.join(found))
            shell.showtraceback((FigureCheckError, err, None))  # an error output, as a raise makes
            result.error_in_exec = err  # the kernel then reports the cell as failed
        found.clear()

    shell.events.register('post_execute', check)
    shell.events.register('post_run_cell', fail_cell)
