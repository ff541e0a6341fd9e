"""Presentation helpers: HTML tables, charts (Vega), maps (Leaflet), glued sentences.

Imports only ``analysis.core``; knows nothing of the chapters.
"""
