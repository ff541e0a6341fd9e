"""Computation on the validated tables: numbers, codes and snake_case columns, no words.

Imports only ``analysis.core``.
"""
