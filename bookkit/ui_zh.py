"""Chinese for the interface strings that the themes' zh_CN catalogues lack.

Strings that the themes write through gettext get a fallback translation here;
the few that their templates hard-code are translated by _static/bookkit.js.
The execution table on the build-info page (myst-nb's `nb-exec-table`) gets
Chinese headers and values, and names each page by its title.
"""
import gettext

import sphinx.locale
from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

THEME_STRINGS = {
    'Source repositories': '源代码仓库',
    'Source repository': '源代码仓库',
    'Repository': '仓库',
    'Suggest edit': '建议修改',
    'Open issue': '报告问题',
    'Open an issue': '报告问题',
    'Color mode': '颜色模式',
    'Light': '浅色',
    'Dark': '深色',
    'System Settings': '跟随系统',
    'Link to this heading': '链接到本标题',
    'Fullscreen mode': '全屏',
    'Print to PDF': '打印本页',
    '© Copyright %(copyright)s.': '© %(copyright)s 版权所有。',
}
EXEC_TABLE = {
    'Document': '页面', 'Modified': '执行时间', 'Method': '方式', 'Run Time (s)': '耗时（秒）',
    'Status': '状态', 'cache': '缓存', 'auto': '执行', 'force': '执行', '✅': '成功', '❌': '失败',
}


class Fallback(gettext.NullTranslations):
    """Last in a catalogue's chain for now; a theme may add its own catalogue
    after it, so anything not translated here is passed on."""

    def gettext(self, message):
        return THEME_STRINGS.get(message) or super().gettext(message)


def add_theme_translations(app, config):
    if not config.language.startswith('zh'):
        return
    for catalog in ('sphinx', 'booktheme'):
        translator = sphinx.locale.translators.get(('general', catalog))
        if translator is not None:
            translator.add_fallback(Fallback())


class ExecutionTableInChinese(SphinxPostTransform):
    # myst-nb's ExecutionStatsPostTransform (also 8, registered earlier) has built the
    # table; the references in it are resolved later (10)
    default_priority = 8

    def run(self, **kwargs):
        for table in self.document.findall(nodes.table):
            head = [cell.astext() for cell in table.findall(nodes.entry)][:2]
            if head != ['Document', 'Modified']:
                continue
            for link in table.findall(addnodes.pending_xref):
                link['refexplicit'] = False  # the page's title, not its file name
            for cell in table.findall(nodes.paragraph):
                if cell.astext() in EXEC_TABLE:
                    cell.children = [nodes.Text(EXEC_TABLE[cell.astext()])]
