"""The core: where things are, the validated tables, and the checks on them.

Imports nothing from ``model``, ``render``, ``chapters`` or ``build``.
"""
