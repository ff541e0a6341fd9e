"""Development tools outside the runtime package: the offline boundary derivation (``geo``) and
the browser helpers shared by the tests and the benchmark (``site``, ``visible_text``).
"""
