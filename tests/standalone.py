"""Run the executed notebooks the way a downloaded copy runs (used by conftest.py).

The environment stands in for Colab or a plain Jupyter: a virtual environment whose
interpreter sees the packages the issue found preinstalled on Colab (torch,
torchvision, numpy, pandas, matplotlib, seaborn, sympy, matplotlib-venn, scipy), a
Jupyter kernel (ipykernel) and pip, each with the dependencies it declares, and
nothing else: no d2l, no myst-nb, not even requests (Colab has it; a plain Jupyter
may not), no Sphinx, not this repository. Those distributions are the build's own
installed files, reached through a folder of symbolic links that a .pth file puts
on the path: the environment takes seconds to make instead of a 5 GB torch
install, and its interpreter and versions are the build's, which is what a check
of the notebooks (not of Colab's versions) needs. Whatever a notebook installs
goes into the environment's own site-packages, from the registry (PyPI) only, as
on Colab. Being that cheap, the environment is made afresh for every test session
instead of being cached, so every session runs the setup cell's install path: the
first notebook runs alone and installs what is missing, the others must find
everything present.

Each notebook runs from a folder of its own in a temporary directory, with the
Fashion-MNIST files where the download would put them (../data). The kernels get
no MATPLOTLIBRC, no PYTHONPATH, nothing from bookkit.KERNEL_ENV, a fresh matplotlib
config folder and IPython folder; THREADS below gives them one torch thread each,
because two kernels share two cores and because one thread gives the same
floating-point summation order as the build, whose printed numbers
test_determinism.py compares with these runs.
"""
import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import nbformat
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

COLAB_PACKAGES = ['torch', 'torchvision', 'numpy', 'pandas', 'matplotlib', 'seaborn', 'sympy',
                  'matplotlib-venn', 'scipy', 'ipykernel', 'pip']
ABSENT = ['d2l', 'myst_nb', 'requests', 'sphinx', 'jupyter_book', 'bookkit']  # checked
THREADS = {'OMP_NUM_THREADS': '1', 'MKL_NUM_THREADS': '1'}
KERNEL = 'standalone'
CELL_TIMEOUT = 600  # seconds


def distributions(roots):
    """The installed distributions `roots` and everything they require, recursively."""
    found, todo = {}, list(roots)
    while todo:
        name = canonicalize_name(todo.pop())
        if name in found:
            continue
        try:
            found[name] = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # an optional dependency the build does not have either
        for spec in found[name].requires or []:
            requirement = Requirement(spec)
            if requirement.marker is None or requirement.marker.evaluate({'extra': ''}):
                todo.append(requirement.name)
    return list(found.values())


def make_env(folder):
    """The environment described above, in `folder`; returns its Python."""
    subprocess.run([sys.executable, '-m', 'venv', '--without-pip', str(folder)], check=True)
    python = folder / 'bin' / 'python'
    shared = folder / 'colab' / 'site-packages'
    shared.mkdir(parents=True)
    for dist in distributions(COLAB_PACKAGES):
        for top in {f.parts[0] for f in dist.files or []}:
            link = shared / top
            if top not in ('..', '__pycache__') and not top.endswith('.pth') and not link.exists():
                link.symlink_to(dist.locate_file(top))
    own = subprocess.run([python, '-c', 'import sysconfig; print(sysconfig.get_path("purelib"))'],
                         check=True, capture_output=True, text=True).stdout.strip()
    (Path(own) / 'colab.pth').write_text(f'{shared}\n')
    spec = folder / 'share' / 'jupyter' / 'kernels' / KERNEL
    spec.mkdir(parents=True)
    (spec / 'kernel.json').write_text(json.dumps({
        'argv': [str(python), '-m', 'ipykernel_launcher', '-f', '{connection_file}'],
        'display_name': 'Python 3 (standalone)', 'language': 'python'}))
    return python


def importable(python, modules, cwd, env):
    """The modules of `modules` that `python` can import, run from `cwd`."""
    code = ('import importlib.util as u, json; '
            f'print(json.dumps([m for m in {modules!r} if u.find_spec(m)]))')
    return json.loads(subprocess.run([python, '-c', code], cwd=cwd, env=env, check=True,
                                     capture_output=True, text=True).stdout)


def kernel_env(env_folder, tmp):
    """What the kernels see: this process's environment without the build's settings."""
    env = {k: v for k, v in os.environ.items()
           if k not in ('MATPLOTLIBRC', 'PYTHONPATH', 'PIP_FIND_LINKS', 'OMP_NUM_THREADS',
                        'MKL_NUM_THREADS', 'JUPYTER_PATH', 'VIRTUAL_ENV')}
    return dict(env, **THREADS, JUPYTER_PATH=str(env_folder / 'share' / 'jupyter'),
                PIP_CONFIG_FILE=os.devnull,  # the registry only, no local wheel folders
                MPLCONFIGDIR=str(tmp / 'matplotlib'), IPYTHONDIR=str(tmp / 'ipython'))


@dataclass
class Run:
    notebook: nbformat.NotebookNode | None  # None when it failed
    error: str
    seconds: float


def run(executed, tmp, env):
    """Execute a copy of the executed notebook `executed` in tmp/<its name>/."""
    folder = tmp / executed.stem
    folder.mkdir()
    copy = folder / executed.name
    shutil.copyfile(executed, copy)
    start = time.perf_counter()
    result = subprocess.run(
        [str(Path(sys.executable).with_name('jupyter-execute')), '--inplace',
         f'--kernel_name={KERNEL}', f'--timeout={CELL_TIMEOUT}', '--startup_timeout=120',
         str(copy)], cwd=folder, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        return Run(None, result.stderr[-6000:], seconds)
    return Run(nbformat.read(copy, as_version=4), '', seconds)


def run_all(executed, tmp, data):
    """Run the notebooks `executed` (paths, the first alone); return ({path: Run}, facts)."""
    python = make_env(tmp / 'env')
    shutil.copytree(data, tmp / 'data' / 'FashionMNIST' / 'raw')
    env = kernel_env(tmp / 'env', tmp)
    bare = importable(python, ABSENT, tmp, env)
    start = time.perf_counter()
    runs = {executed[0]: run(executed[0], tmp, env)}  # installs what is missing
    with ThreadPoolExecutor(max_workers=2) as pool:  # one kernel per core
        runs.update(zip(executed[1:], pool.map(lambda nb: run(nb, tmp, env), executed[1:])))
    return runs, {'present before the first run': bare,
                  'seconds': round(time.perf_counter() - start, 1)}
