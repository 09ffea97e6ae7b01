"""The `data-source` directive of the build-info page: the Fashion-MNIST this build read."""
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

from . import fashion_mnist

TEXT = {
    'real': '本次构建读取的是真实的 Fashion-MNIST，来源：`{source}`。'
            '四个 IDX 文件解压后的 SHA-256 都与原始数据集一致。',
    'stand-in': '本次构建**没有**读到真实的 Fashion-MNIST，用的是程序生成的替代数据（`{source}`）；'
                '第 3.5–3.7 节的数字不是 Fashion-MNIST 上的结果。',
}


class DataSource(SphinxDirective):
    def run(self):
        root = Path(self.env.srcdir) / 'data'
        self.env.note_dependency(str(fashion_mnist.folders(root)[2]))  # re-read when data changes
        text = TEXT[fashion_mnist.status(root)].format(source=fashion_mnist.source(root))
        container = nodes.container(classes=['data-source'])
        self.state.nested_parse(StringList([text], source='data-source'), self.content_offset,
                                container)
        return [container]
