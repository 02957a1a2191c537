"""Vetted job postings with itemised fees, applications and the agency pipeline."""
