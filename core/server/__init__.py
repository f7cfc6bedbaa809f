"""The FastAPI backend: thin routers per feature, auth, permissions and the change feed."""
