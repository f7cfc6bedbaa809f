"""Helpers every test suite shares (importable as `support`: pytest puts tests/ on sys.path)."""
