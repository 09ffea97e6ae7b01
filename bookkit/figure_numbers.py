"""Figures numbered within their section: the first plot of 2.6 is 图 2.6.1.

The pages are not a numbered toctree (their titles carry the numbers), so
Sphinx counts figures across the whole book. Its count is kept aside before the
toctree collector compares old and new numbers (so that only pages whose
figures changed are rewritten), and replaced by section-wise numbers after it.
"""
from . import catalogue


def section_number(docname):
    section = catalogue.by_docname().get(docname)
    return tuple(int(n) for n in section['section'].split('.')) if section else ()


def restore_sphinx_numbers(app, env):
    """env-get-updated, before the toctree collector: give it back its own numbers."""
    if hasattr(env, 'bookkit_sphinx_fignumbers'):
        env.toc_fignumbers = env.bookkit_sphinx_fignumbers
    return []


def number_within_sections(app, env):
    """env-get-updated, after the toctree collector: 1, 2, … per page and figure type,
    in the order Sphinx numbered them, prefixed by the page's section number."""
    env.bookkit_sphinx_fignumbers = env.toc_fignumbers
    env.toc_fignumbers = {
        docname: {figtype: {figure_id: (*section_number(docname), i)
                            for i, figure_id in enumerate(sorted(numbers, key=numbers.get), 1)}
                  for figtype, numbers in types.items()}
        for docname, types in env.toc_fignumbers.items()}
    return []


def setup(app):
    app.connect('env-get-updated', restore_sphinx_numbers, priority=400)
    app.connect('env-get-updated', number_within_sections, priority=600)
