"""The reader's experience on every screen and in print (issue 17), registered in one place.

Build side: meaningful heading anchors (anchors.py), outputs that read well
(outputs.py: short tracebacks, pandas headers, plot alt text), figures numbered
within their section (figure_numbers.py), the forum thread on every section page
(discussion.py), Chinese interface strings (ui_zh.py), formulas out of the tab
order (mathjax.py), print-only fixes (print_edition.py) and the PDF link state
(page_buttons.py). Browser side: _static/bookkit.js and _static/bookkit.css.
"""
from . import figure_numbers, mathjax, page_buttons, ui_zh
from .anchors import HeadingAnchors
from .discussion import DiscussionLink
from .outputs import PandasTables, PlotAltText, ShortTracebacks
from .print_edition import FigureNumbersInPrint, TitleSpaces


def setup(app):
    for transform in (HeadingAnchors, ShortTracebacks, PandasTables, PlotAltText,
                      DiscussionLink):
        app.add_transform(transform)
    app.add_post_transform(ui_zh.ExecutionTableInChinese)
    app.add_post_transform(TitleSpaces)
    app.add_post_transform(FigureNumbersInPrint)
    app.connect('config-inited', ui_zh.add_theme_translations)
    app.connect('config-inited', mathjax.keep_formulas_out_of_tab_order)
    figure_numbers.setup(app)
    app.connect('builder-inited', page_buttons.write_pdf_state)
    app.connect('build-finished', page_buttons.write_pdf_state)
    app.add_js_file('book-pdf.js')
    app.add_js_file('bookkit.js', loading_method='defer')
