"""Settings: ``base`` holds everything; ``dev``, ``test`` and ``production`` adjust it.

Every value that differs between machines comes from an environment variable with an
embedded default, so that ``make run`` needs no configuration at all.
"""
