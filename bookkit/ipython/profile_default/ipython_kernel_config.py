# Kernels that execute pages keep no command history (it would land in this folder).
c = get_config()  # noqa: F821 (IPython's own global)
c.HistoryManager.enabled = False
