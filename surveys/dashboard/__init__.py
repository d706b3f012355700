"""The director's dashboard: pages, CSV export and the rollup's Celery task. The figures live in surveys.metrics."""
