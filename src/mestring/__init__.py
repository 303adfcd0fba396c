"""Mestring: habilitation and rehabilitation services for Norwegian municipalities."""
