"""The portal's sources of documents: one builder per indexed model.

Importing this module registers them with ``search.indexing``.
"""
