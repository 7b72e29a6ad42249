"""Message catalogs: vi and en hold the same ids (tests/test_render.py checks)."""
