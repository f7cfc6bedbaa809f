"""The order conversion centre: platform adapters, split/merge, audit, placement, classification.

Pure rules: nothing here imports storage, the services, the server, the wire schemas,
SQLAlchemy or FastAPI.
"""
