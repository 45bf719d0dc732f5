"""Satupintu: one door to public services, learning for civil servants and the hybrid workplace."""

__version__ = "0.1.0"
