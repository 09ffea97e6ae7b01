# The IPython profile of the kernels that execute pages (IPYTHONDIR in bookkit.KERNEL_ENV):
# checks every figure after each cell (bookkit/figure_check.py, loaded by path so that
# pages import nothing from this repository). Leaves no names in the page's namespace.
def _install_figure_check():
    import importlib.util
    import pathlib
    import sys

    path = pathlib.Path(__file__).resolve().parents[3] / 'figure_check.py'
    spec = importlib.util.spec_from_file_location('bookkit_figure_check', path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    module.install(get_ipython())  # noqa: F821 (IPython's own global)


_install_figure_check()
del _install_figure_check
