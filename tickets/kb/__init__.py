"""The self-help knowledge base: articles, search, suggestions while filing, votes and deflections.

Models live in tickets/models.py (one migration history for the app); everything
else of the knowledge base lives in this package.
"""
