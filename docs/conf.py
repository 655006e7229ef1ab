# Sphinx configuration of the overlay's own pages (make docs). It follows
# QEMU's docs/conf.py where the pages need it (default role, the Read the
# Docs theme, the same substitutions) without QEMU's extensions, which
# these pages do not use, so they build with Debian's python3-sphinx and
# python3-sphinx-rtd-theme alone.

import os

project = 'smmu-vcm / pasr-ddr for QEMU 10.0'
author = 'smmu-vcm developers'
copyright = 'smmu-vcm developers'
version = release = '10.0'

master_doc = 'index'
source_suffix = '.rst'
default_role = 'any'
language = 'en'
pygments_style = 'sphinx'
exclude_patterns = ['_build', 'devicetree']

# QEMU's docs/defs.rst.inc, for pages written to join QEMU's tree
rst_epilog = '''
.. |qemu_system| replace:: qemu-system-arm
'''

html_theme = 'sphinx_rtd_theme'
html_theme_options = {
    'style_nav_header_background': '#802400',
    'navigation_with_keys': True,
}
html_show_sourcelink = False
