"""Shared building blocks. Imports no feature package."""
